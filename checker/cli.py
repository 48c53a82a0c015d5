"""`python -m checker`: the command line, and the contract the browser and the tests share.

    python -m checker "TEXT"            diagnose TEXT (several arguments are joined with spaces)
    python -m checker < FILE            diagnose standard input
    python -m checker --json ...        print one JSON object (see checker/__init__.py)
    python -m checker --answer where=flow-run [--answer since=unused] ...   answer the clarifying questions
    python -m checker --setup FILE.json [--json]    evaluate a described setup (schema:
                                        checker/rollout.py); FILE may be - for standard input

Exit status: 0 something matched, 1 nothing matched, 2 bad usage or unreadable input (with a
one-line message on standard error).
"""
from __future__ import annotations

import argparse
import json
import sys

from . import __version__


class OneLineParser(argparse.ArgumentParser):
    """Usage errors as one line on stderr and exit 2, for the checker and its subcommands."""

    def error(self, message):
        self.exit(2, f"{self.prog.removeprefix('python -m ')}: {message} (see --help)\n")


def emit(text: str) -> None:
    """Prints the answer; `... | head` closing the pipe is not an error worth a traceback."""
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:
        sys.stdout = None


def _parser() -> argparse.ArgumentParser:
    p = OneLineParser(
        prog="python -m checker",
        description="Diagnose Power Automate failures caused by conditional access and MFA.",
        epilog="Exit status: 0 something matched, 1 nothing matched, 2 bad usage or unreadable input. "
               + " ".join(f"See also: python -m checker {name} --help." for name in _available()),
    )
    p.add_argument("text", nargs="*", help="the error or description (default: standard input)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--setup", metavar="FILE", help="evaluate a setup described in a JSON file (- for stdin)")
    p.add_argument("--answer", action="append", default=[], metavar="QUESTION=ANSWER",
                   help="answer a clarifying question, e.g. where=flow-run or since=unused (repeat for several)")
    p.add_argument("--version", action="version", version=f"checker {__version__}")
    return p


def _available() -> list[str]:
    """The subcommands this version has (each lives in its own package)."""
    import importlib.util

    return [name for name, module in SUBCOMMANDS.items() if importlib.util.find_spec(module.rpartition(".")[0])]


def _fail(message: str) -> int:
    print(f"checker: {message}", file=sys.stderr)
    return 2


def _read_stdin() -> bytes:
    if sys.stdin is None or sys.stdin.isatty():
        raise OSError("no text given: pass it as an argument or on standard input")
    return sys.stdin.buffer.read()


# Subcommands for admins' artefacts, each with its own parser in its own package: the first
# argument names one, anything else is text to diagnose.
SUBCOMMANDS = {
    "policies": "checker.policies.cli",
    "signins": "checker.signins.cli",
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in SUBCOMMANDS:
        import importlib

        try:
            module = importlib.import_module(SUBCOMMANDS[argv[0]])
        except ModuleNotFoundError:
            return _fail(f"{argv[0]}: not available in this version")
        return module.main(argv[1:])
    args = _parser().parse_args(argv)
    answers = {}
    for item in args.answer:
        key, sep, value = item.partition("=")
        if not sep or not key or not value:
            return _fail(f"--answer expects QUESTION=ANSWER, got {item!r}")
        answers[key.strip()] = value.strip()
    wrong = _wrong_answer(answers)
    if wrong:
        return _fail(wrong)
    try:
        if args.setup:
            if args.text:
                return _fail("--setup takes a file, not text arguments")
            result = _run_setup(args.setup)
        else:
            data = " ".join(args.text) if args.text else _read_stdin()
            if not (data.strip() if isinstance(data, str) else data.strip(b" \t\r\n\x00")):
                return _fail("nothing to check: the input is empty")
            from . import diagnose

            result = diagnose(data, answers)
    except (OSError, ValueError) as exc:
        return _fail(str(exc))
    if args.json:
        out = json.dumps(result, ensure_ascii=False, indent=1)
    else:
        from .answer import render

        out = render(result)
    emit(out)
    return 0 if result["findings"] else 1


def _wrong_answer(answers: dict[str, str]) -> str | None:
    """Says which --answer names no question, or no answer of its question, and what would."""
    if not answers:
        return None
    from .knowledge import load

    questions = load().questions
    for key, value in answers.items():
        if key not in questions:
            return f"--answer {key}=...: there is no question {key!r} (questions: {', '.join(questions)})"
        options = [o.id for o in questions[key].options]
        if value not in options:
            return f"--answer {key}={value}: not an answer to {questions[key].text!r} (answers: {', '.join(options)})"
    return None


def _run_setup(path: str) -> dict:
    try:
        raw = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    except OSError as exc:
        raise OSError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        setup = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(setup, dict):
        raise ValueError(f"{path} must hold a JSON object (see the schema in checker/rollout.py)")
    from . import evaluate_setup

    return evaluate_setup(setup)
