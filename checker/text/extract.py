"""Find sign-in error codes in prepared text, in order of appearance.

Codes come in many shapes: `AADSTS50076`, `aadsts 50076`, OCR slips (`AADSTS5OO76`), a code
wrapped across two lines (also with a hyphen: `AAD-\nSTS53003`), `"error_codes":[50076,50079]`, `Error Code: 530033`, `code=50076`.
A number after the AADSTS prefix is always a code (unknown ones are reported as such); a bare
number counts only when it is a code the knowledge base knows, so ports, sizes and HTTP statuses
are not mistaken for codes.
"""
from __future__ import annotations

import re
from collections import namedtuple

# Prefix with the usual OCR slips (4 for A, 5 for S, 7 for T). No nested repeats: linear.
_PREFIX = re.compile(r"[Aa4]{1,2}[Dd][Ss5][Tt7][Ss5]")
# A label that introduces a bare code: "Error Code:", "error_codes", "code=", "Código de error".
_LABEL = re.compile(r"(?i)(?:error.?codes?|codes?|c[oó]digo|codice|kod|fehlercode)(?![a-z])")
# A standalone 5- or 6-digit number (not inside an id, a version or a negative number; a full
# stop after it ends the sentence).
_BARE = re.compile(r"(?<![\w.\-])\d{5,6}(?!\w|\.\d)")

_OCR_DIGITS = {"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"}
_SEPARATORS = " \t:-_#=\"'"
_NOT_BARE = {16000}  # too common as a plain number (sizes, timeouts) to count without a prefix


# code: the number; start: its position in the prepared text; text: as it appeared (evidence)
FoundCode = namedtuple("FoundCode", "code start text")


def _read_digits(text: str, i: int, limit: int = 8) -> tuple[str, int]:
    """Digits (with OCR slips mapped) from position i; returns them and the end position."""
    out = []
    n = len(text)
    while i < n and len(out) < limit:
        c = text[i]
        if c.isdigit() and c.isascii():
            out.append(c)
        elif c in _OCR_DIGITS and out and i + 1 < n and (text[i + 1].isdigit() or text[i + 1] in _OCR_DIGITS):
            out.append(_OCR_DIGITS[c])  # only between digits: "5OO76", never a word like "Oops"
        else:
            break
        i += 1
    return "".join(out), i


def _after_prefix(text: str, i: int, known) -> tuple[int, int] | None:
    """The code following an AADSTS prefix ending at i: (code, end) or None."""
    n = len(text)
    skipped = 0
    while i < n and text[i] in _SEPARATORS and skipped < 3:
        i += 1
        skipped += 1
    digits, end = _read_digits(text, i)
    # A line wrapped inside the code: "AADSTS500\n76". Join only if that gives a known code, so
    # "AADSTS50076\n2024-..." keeps its own code.
    j = end
    while j < n and text[j] in " \t\r" and j - end < 4:
        j += 1
    if 0 < len(digits) < 6 and j < n and text[j] == "\n":
        k = j + 1
        while k < n and text[k] in " \t>" and k - j < 12:
            k += 1
        more, more_end = _read_digits(text, k, 7 - len(digits))
        if more and int(digits + more) in known:
            return int(digits + more), more_end
    if 4 <= len(digits) <= 7:
        return int(digits), end
    return None


# A hyphen where a line was wrapped inside a word or a code: "AAD-\nSTS53003", "pol-\nicies".
# One fixed character, then one run of each kind: linear.
_WRAP = re.compile(r"(?<=[A-Za-z0-9])-[ \t]*\r?\n[ \t>]*(?=[A-Za-z0-9])")


def find_codes(text: str, known) -> list[FoundCode]:
    """Codes in order of first appearance, each once. `known` is the set of known codes."""
    if "-\n" in text or "-\r\n" in text or "- \n" in text:
        text = _WRAP.sub("", text)  # positions are then those of the joined text
    found: dict[int, FoundCode] = {}

    def add(code: int, start: int, end: int) -> None:
        if code not in found or start < found[code].start:
            found[code] = FoundCode(code, start, text[start:end])

    for m in _PREFIX.finditer(text):
        hit = _after_prefix(text, m.end(), known)
        if hit:
            add(hit[0], m.start(), hit[1])
    for m in _LABEL.finditer(text):
        i, n = m.end(), len(text)
        # "Error Code: 530033", "error_codes":[50076, 50079], "code=50076" (never "Code=-50002")
        while i < n and text[i] in " \t\"':=[" and i - m.end() < 8:
            i += 1
        while i < n:
            digits, end = _read_digits(text, i, 7)
            if not (5 <= len(digits) <= 6) or (end < n and text[end].isalnum()):
                break
            if int(digits) in known:
                add(int(digits), m.start(), end)
            i = end
            while i < n and text[i] in " ,\t" and i - end < 3:
                i += 1
            if i >= n or not text[i].isdigit():
                break
    for m in _BARE.finditer(text):
        code = int(m.group())
        if code in known and code not in _NOT_BARE:
            add(code, m.start(), m.end())
    return sorted(found.values(), key=lambda f: f.start)
