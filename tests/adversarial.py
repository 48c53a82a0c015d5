"""Inputs built to make a text scanner slow: long runs of the characters regular expressions
and hand-written loops repeat over. Shared by the robustness and regular-expression tests."""
from __future__ import annotations

import json
import resource

from checker.knowledge import load

# Address-space cap for the subprocesses that run hostile input: a blow-up ends in MemoryError
# there, instead of the kernel's out-of-memory killer picking a process on a shared machine.
MEMORY_LIMIT = 3 * 1024**3


def limit_memory() -> None:
    """preexec_fn for subprocess.run: cap the child's address space at MEMORY_LIMIT."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

MESSAGE = load().findings["failed-runs"].messages[0]


def attacks(size: int) -> dict[str, str]:
    """Named adversarial texts of about `size` characters each."""
    def fill(unit: str, tail: str = "") -> str:
        return unit * max(1, size // len(unit)) + tail

    return {
        "backslashes": fill("\\"),
        "backslashes-then-quote": fill("\\", '"'),
        "escaped-backslashes": fill("\\\\\\\\", "u12"),
        "aadsts": fill("AADSTS"),
        "aadsts-space": fill("AADSTS "),
        "aadsts-ocr": fill("A4DST5"),
        "digits": fill("5"),
        "digits-newlines": fill("50076\n"),
        "spaces": fill(" "),
        "tabs-newlines": fill("\t\r\n"),
        "percent": fill("%"),
        "percent-25": fill("%25"),
        "percent-broken": fill("%2"),
        "quotes": fill('"'),
        "single-quotes": fill("'"),
        "code-equals": fill("code="),
        "error-code": fill("Error Code: "),
        "error-codes-list": '"error_codes":[' + fill("50076,"),
        "unclosed-brackets": fill("[{("),
        "ampersands": fill("&amp;"),
        "html-entities-broken": fill("&#"),
        "html-entity-long-number": "&#" + fill("5", ";"),
        "html-entity-long-hex": "&#x" + fill("f", ";"),
        "unicode-escape-broken": fill("\\u00"),
        "stars": fill("*"),
        "words": fill("two factor "),
        "one-long-word": fill("authentication"),
        "dashes-dots": fill("-."),
        "nul": fill("\x00"),
        "ocr-digits": fill("5O"),
        "json-deep": "[" * (size // 2) + "]" * (size // 2),
        "json-escaped-deep": fill(escape_json(MESSAGE, 10) + " "),
    }


def escape_json(text: str, times: int) -> str:
    """`text` JSON-encoded `times` times over, as logs that re-wrap errors produce."""
    for _ in range(times):
        text = json.dumps(text)
    return text
