"""Bytes to text, incrementally: UTF-8 (with or without BOM) or UTF-16 (Excel's "Unicode text")."""
from __future__ import annotations

import codecs


class TextDecoder:
    """Feed bytes, get text; the encoding is chosen from the first bytes (a BOM), UTF-8 otherwise.

    Invalid UTF-8 is replaced (U+FFFD) rather than refused: a stray byte in a user agent must not
    lose a 100,000-row file. `replaced` tells whether that happened.
    """

    def __init__(self) -> None:
        self._decoder = None
        self._head = b""

    def feed(self, data: bytes, final: bool = False) -> str:
        if self._decoder is None:
            self._head += data
            if len(self._head) < 4 and not final:
                return ""
            data, self._head = self._head, b""
            if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                self._decoder = codecs.getincrementaldecoder("utf-16")("replace")
            else:
                self._decoder = codecs.getincrementaldecoder("utf-8-sig")("replace")
        return self._decoder.decode(data, final)
