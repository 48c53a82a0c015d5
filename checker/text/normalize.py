"""Turn whatever the user pasted into plain text the other stages can search.

Pastes arrive JSON-escaped (often several times over), URL-encoded, HTML-escaped (a saved
sign-in page), with NUL bytes or invalid UTF-8. Nothing here parses JSON: escape sequences are
undone textually, so 10,000-deep nesting or a truncated paste costs no more than plain text.
Every pattern below starts with a fixed character and consumes a whole run, so each runs in
linear time whatever the input.
"""
from __future__ import annotations

import re
from collections import namedtuple

# Input beyond this many characters is cut (with a notice): enough for any log excerpt, small
# enough that a check stays well under a second.
MAX_INPUT_CHARS = 1_000_000

# A run of backslashes and the escape letter after it. Matching the whole run at once undoes any
# depth of JSON escaping in one pass (\\\\\\\" -> ") and keeps the scan linear.
_ESCAPES = re.compile(r'\\+(u[0-9a-fA-F]{4}|[nrtbf"\'/])?')
_PERCENT = re.compile(r"%[0-9a-fA-F]{2}")
# A numeric character reference; html.unescape raises on one with thousands of digits.
_CHARREF = re.compile(r"&#[xX]?[0-9a-fA-F]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+")
_SIMPLE = {"n": "\n", "r": "\n", "t": " ", "b": " ", "f": " ", '"': '"', "'": "'", "/": "/"}


# text: decoded, same case as the input; notices: what was done to it that the user should know
Prepared = namedtuple("Prepared", "text notices")


def to_text(data: str | bytes) -> tuple[str, list[str]]:
    """Decode bytes (replacing what is not UTF-8) and cut oversized input, saying so."""
    notices: list[str] = []
    if isinstance(data, (bytes, bytearray)):
        try:
            data = bytes(data).decode("utf-8")
        except UnicodeDecodeError:
            data = bytes(data).decode("utf-8", errors="replace")
            notices.append("Part of the input was not valid UTF-8 text; those bytes were ignored.")
    if len(data) > MAX_INPUT_CHARS:
        notices.append(
            f"The input is {len(data):,} characters long; only the first {MAX_INPUT_CHARS:,} were checked."
        )
        data = data[:MAX_INPUT_CHARS]
    return data, notices


def _unescape(match: re.Match) -> str:
    esc = match.group(1)
    if esc is None:
        return "\\"  # a path separator or a stray backslash: keep one
    if esc[0] == "u":
        char = chr(int(esc[1:], 16))
        return char if char.isprintable() else " "
    return _SIMPLE[esc]


def _percent_decode(text: str) -> str:
    from urllib.parse import unquote  # imported only for the pastes that need it

    # URL-encoded more than once is common (%253A); three rounds cover what people paste.
    for _ in range(3):
        if not _PERCENT.search(text):
            break
        text = unquote(text, errors="replace")
    return text


def prepare(data: str | bytes) -> Prepared:
    text, notices = to_text(data)
    if "\\" in text:
        text = _ESCAPES.sub(_unescape, text)
    if "%" in text:
        text = _percent_decode(text)
    if "&" in text:
        import html

        text = html.unescape(_CHARREF.sub(lambda m: m.group() if len(m.group()) <= 12 else " ", text))
    if "\\" in text:  # escapes that only appeared after URL or HTML decoding
        text = _ESCAPES.sub(_unescape, text)
    text = _CONTROL.sub(" ", text)
    return Prepared(text, notices)


def fold(text: str) -> str:
    """Lower-case and strip accents, so "Ejecución" and "ejecucion" compare equal."""
    text = text.lower()
    if text.isascii():
        return text
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text).translate(_UNDECOMPOSED)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Letters with a stroke have no decomposition: "błędem" is "bledem" as people type it without one.
_UNDECOMPOSED = str.maketrans("łøđħ", "lodh")
