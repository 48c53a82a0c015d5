"""CSV read as it arrives: text in, rows (lists of cells) out, with the standard `csv` module.

A quoted cell may hold line breaks (Log Analytics exports pretty-printed JSON in cells), so text
is handed to `csv.reader` only up to a line break where the quotes seen so far are balanced:
the reader never sees half a row, whatever the chunk boundaries are. Counting quotes is done on
whole blocks (C speed); only a block that ends inside a quoted cell is looked at line by line.
"""
from __future__ import annotations

import csv
import io


class CsvStream:
    """feed(text) -> complete rows so far; finish() -> the rest."""

    # A row longer than this is not a sign-in (a cell with an unbalanced quote would otherwise
    # swallow the whole file silently).
    MAX_ROW_CHARS = 4_000_000

    def __init__(self) -> None:
        self._held = ""  # text not yet handed to the reader: a partial line, or a row still open

    @staticmethod
    def _rows(block: str) -> list[list[str]]:
        return list(csv.reader(io.StringIO(block, newline="\n"), strict=False))

    def feed(self, text: str) -> list[list[str]]:
        data = self._held + text
        cut = data.rfind("\n") + 1
        if cut and data.count('"', 0, cut) % 2:
            cut = self._last_balanced(data, cut)
        block, self._held = data[:cut], data[cut:]
        if len(self._held) > self.MAX_ROW_CHARS:
            raise ValueError("a quoted cell never ends (unbalanced quote), or a line is longer than any "
                             "sign-in record: not a readable CSV file")
        return self._rows(block) if block else []

    @staticmethod
    def _last_balanced(data: str, end: int) -> int:
        """The end of the last line before `end` after which the quotes are balanced (0: none)."""
        best, parity, start = 0, 0, 0
        while start < end:
            nl = data.find("\n", start, end)
            if nl < 0:
                break
            parity ^= data.count('"', start, nl) & 1
            start = nl + 1
            if not parity:
                best = start
        return best

    def finish(self) -> list[list[str]]:
        held, self._held = self._held, ""
        if held.count('"') % 2:
            raise ValueError("the file ends inside a quoted cell (an unbalanced quote, or the file is cut short)")
        return self._rows(held) if held.strip() else []
