"""CSV read as it arrives: text in, rows (lists of cells) out, with the standard `csv` module.

A quoted cell may hold line breaks (Log Analytics exports pretty-printed JSON in cells), so a
row ends at a line break only when the quotes seen so far are balanced; complete rows are then
handed to `csv.reader`, which never sees half a row whatever the chunk boundaries are.
"""
from __future__ import annotations

import csv


class _Pending:
    """An iterator csv.reader can pull from; it is refilled between pulls."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.pos = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self.pos >= len(self.items):
            raise StopIteration
        self.pos += 1
        return self.items[self.pos - 1]

    def refill(self, items: list[str]) -> None:
        self.items, self.pos = items, 0


class CsvStream:
    """feed(text) -> complete rows so far; finish() -> the rest."""

    # A single row longer than this is not a sign-in log (a cell with an unbalanced quote would
    # otherwise swallow the whole file silently).
    MAX_ROW_CHARS = 4_000_000

    def __init__(self) -> None:
        self._tail = ""          # text after the last line break
        self._open: list[str] = []  # lines of a row whose quotes are not balanced yet
        self._open_chars = 0
        self._pending = _Pending()
        self._reader = csv.reader(self._pending, strict=False)

    def _rows(self, lines: list[str]) -> list[list[str]]:
        self._pending.refill(lines)
        return list(self._reader)

    def feed(self, text: str) -> list[list[str]]:
        parts = (self._tail + text).split("\n")
        self._tail = parts.pop()
        if not parts:
            if len(self._tail) > self.MAX_ROW_CHARS:
                raise ValueError("a line is longer than any sign-in record: not a sign-in log")
            return []
        complete: list[str] = []
        open_lines = self._open
        for line in parts:
            if open_lines:
                open_lines.append(line)
                self._open_chars += len(line)
                if line.count('"') % 2:
                    complete.append("\n".join(open_lines))
                    open_lines = self._open = []
                    self._open_chars = 0
                elif self._open_chars > self.MAX_ROW_CHARS:
                    raise ValueError("a quoted cell never ends (unbalanced quote): not a readable CSV file")
            elif line.count('"') % 2:
                open_lines.append(line)
                self._open_chars = len(line)
            else:
                complete.append(line)
        return self._rows(complete)

    def finish(self) -> list[list[str]]:
        if self._open:
            raise ValueError("the file ends inside a quoted cell: it is cut short")
        rows = self._rows([self._tail]) if self._tail.strip() else []
        self._tail = ""
        return rows
