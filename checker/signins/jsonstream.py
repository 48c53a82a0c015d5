"""JSON read as it arrives: text in, records (dicts) out, without loading the file whole.

Shapes: a top-level array of records (admin center download); an object whose `value` (Graph,
any number of pages one after another) or `records` (Event Hub) array holds them, streamed
element by element; objects one per line or back to back (diagnostic settings). Each element is
parsed whole with `json.JSONDecoder.raw_decode` once its text has arrived. Microsoft's own
examples carry a trailing comma before `]`; it is tolerated and counted in `repaired`.
"""
from __future__ import annotations

import json

# Keys whose array is streamed element by element; anything else is a (small) value kept whole.
STREAMED = ("value", "records")
_WS = " \t\r\n"
_decoder = json.JSONDecoder()


class Incomplete(Exception):
    """More text is needed."""


class JsonStream:
    """feed(text) -> (records, metas) so far; finish() -> the rest.

    `metas` are the top-level objects' other members (e.g. `@odata.context`), reported once each
    object ends; a top-level object without a streamed array is itself a record.
    """

    MAX_RECORD_CHARS = 16_000_000

    def __init__(self) -> None:
        self._buf = ""
        self._pos = 0
        # where we are: "top" (between top-level values), "array" (inside a streamed array),
        # "object" (between the members of a top-level object)
        self._state = "top"
        self._in_object = False     # the streamed array belongs to a top-level object
        self._meta: dict = {}
        self._streamed = False
        self._first = True          # at the first element of the current array / member
        self.repaired = 0

    # -- low-level helpers -------------------------------------------------------------
    def _skip(self) -> str:
        """Skip white space; return the next character ("" when the buffer ends)."""
        buf, pos = self._buf, self._pos
        n = len(buf)
        while pos < n and buf[pos] in _WS:
            pos += 1
        self._pos = pos
        return buf[pos] if pos < n else ""

    def _value(self, final: bool):
        """Parse one whole value at the current position."""
        while True:
            try:
                value, end = _decoder.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError as exc:
                if self._repair(exc.pos):
                    continue
                truncated = exc.msg.startswith("Unterminated string") or exc.pos >= len(self._buf) - 6
                if truncated and final:
                    raise ValueError("the JSON ends too early: the file is cut short") from None
                if truncated:
                    if len(self._buf) - self._pos > self.MAX_RECORD_CHARS:
                        raise ValueError("a JSON record is larger than any sign-in record") from None
                    raise Incomplete from None
                raise ValueError(f"invalid JSON near character {exc.pos}: {exc.msg}") from None
            except RecursionError:
                raise ValueError("JSON nested too deeply to be a sign-in record") from None
            self._pos = end
            return value

    def _repair(self, pos: int) -> bool:
        """A comma right before `]` or `}` (JSON written by hand or from docs): blank it out."""
        buf = self._buf
        if pos < len(buf) and buf[pos] == ",":  # Python 3.13+ points at the comma
            comma = pos
        else:
            comma = pos - 1
            while comma >= self._pos and buf[comma] in _WS:
                comma -= 1
            if comma < self._pos or buf[comma] != "," or pos >= len(buf) or buf[pos] not in "]}":
                return False
        after = comma + 1
        while after < len(buf) and buf[after] in _WS:
            after += 1
        if after >= len(buf) or buf[after] not in "]}":
            return False
        self._buf = buf[:comma] + " " + buf[comma + 1:]
        self.repaired += 1
        return True

    # -- the state machine -------------------------------------------------------------
    def feed(self, text: str, final: bool = False):
        if self._pos:
            self._buf = self._buf[self._pos:]
            self._pos = 0
        self._buf += text
        records: list = []
        metas: list[dict] = []
        try:
            self._run(records, metas, final)
        except Incomplete:
            pass
        return records, metas

    def finish(self):
        records, metas = self.feed("", final=True)
        if self._state != "top" or self._skip():
            raise ValueError("the JSON ends too early: the file is cut short")
        return records, metas

    @staticmethod
    def _whole_object(obj: dict, records: list, metas: list) -> None:
        """What the member-by-member path gives for the same object."""
        for key in STREAMED:
            if isinstance(obj.get(key), list):
                records.extend(obj[key])
                metas.append({k: v for k, v in obj.items() if k != key})
                return
        records.append(obj)

    def _run(self, records: list, metas: list, final: bool) -> None:
        while True:
            c = self._skip()
            if not c:
                if final and self._state != "top":
                    raise ValueError("the JSON ends too early: the file is cut short")
                return
            if self._state == "top":
                if c == "[":
                    self._pos += 1
                    self._state, self._in_object, self._first = "array", False, True
                elif c == "{":
                    # Whole when it has all arrived (a record per line, a small page): one
                    # raw_decode; otherwise member by member, streaming its `value` array.
                    start = self._pos
                    try:
                        whole = self._value(final)
                    except Incomplete:
                        self._pos = start + 1
                        self._state, self._meta, self._streamed, self._first = "object", {}, False, True
                        continue
                    self._whole_object(whole, records, metas)
                else:
                    raise ValueError(f"expected a JSON object or array, found {c!r}")
            elif self._state == "array":
                if c == "]":
                    self._pos += 1
                    self._state = "object" if self._in_object else "top"
                    self._first = False
                    continue
                mark = self._pos
                if not self._first:
                    if c != ",":
                        raise ValueError(f"expected ',' or ']' in the array, found {c!r}")
                    self._pos += 1
                    c = self._skip()
                    if not c:
                        self._pos = mark
                        raise Incomplete
                    if c == "]":  # trailing comma
                        self.repaired += 1
                        continue
                try:
                    records.append(self._value(final))
                except Incomplete:
                    self._pos = mark
                    raise
                self._first = False
            else:  # between the members of a top-level object
                if c == "}":
                    self._pos += 1
                    self._state = "top"
                    if self._streamed:
                        metas.append(self._meta)
                    else:
                        records.append(self._meta)
                    continue
                start = self._pos
                if not self._first:
                    if c != ",":
                        raise ValueError(f"expected ',' or '}}' between members, found {c!r}")
                    self._pos += 1
                    if self._skip() == "}":
                        self.repaired += 1
                        continue
                try:
                    key = self._value(final)
                    if not isinstance(key, str):
                        raise ValueError("a JSON object member has no name")
                    if self._skip() != ":":
                        if not self._skip():
                            raise Incomplete
                        raise ValueError("expected ':' after a member name")
                    self._pos += 1
                    nxt = self._skip()
                    if not nxt:
                        raise Incomplete
                    if key in STREAMED and nxt == "[":
                        self._pos += 1
                        self._state, self._in_object, self._first = "array", True, True
                        self._streamed = True
                        continue
                    self._meta[key] = self._value(final)
                except Incomplete:
                    self._pos = start
                    raise
                self._first = False
