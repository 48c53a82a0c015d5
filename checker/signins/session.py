"""Files in, one analysis out: the same steps for the command line (whole files, read in chunks)
and the browser (chunks the page reads from a dropped file)."""
from __future__ import annotations

import os

from .analysis import Tally, make_is_flow
from .csvstream import CsvStream
from .decode import TextDecoder
from .jsonstream import JsonStream
from .shapes import CsvShape, convert_item, csv_kind, record_kind

CHUNK = 1 << 20
MAX_HEADER_CHARS = 1 << 20

WHAT_WE_READ = ("Entra admin center downloads (CSV or JSON), Microsoft Graph /auditLogs/signIns responses, "
                "Log Analytics exports of SigninLogs or AADNonInteractiveUserSignInLogs (CSV or JSON), "
                "diagnostic-settings records one per line")


class SigninsError(ValueError):
    """An input that cannot be read: the message names the file and why."""


def _interactive_hint(name: str):
    """The admin center names its downloads InteractiveSignIns_… / NonInteractiveSignIns_…; the
    CSV itself has no column that tells them apart."""
    lower = name.lower()
    if "noninteractive" in lower or "non-interactive" in lower:
        return False
    if "interactive" in lower:
        return True
    return None


class _File:
    def __init__(self, name: str, tally: Tally, is_flow) -> None:
        self.name = name
        self.tally, self.is_flow = tally, is_flow
        self.decoder = TextDecoder()
        self.head = ""          # text kept until the shape is known
        self.kind = None        # "csv" | "json"
        self.csv = self.shape = self.json = None
        self.format = None
        self.rows = 0
        self.top_array = False
        self.first_kind = None
        self.metas: list[dict] = []
        self.from_query_api = False

    def fail(self, why: str):
        raise SigninsError(f"{self.name}: {why}")

    def feed(self, data: bytes, final: bool = False) -> None:
        text = self.decoder.feed(data, final)
        if self.kind is None:
            self.head += text
            if not self._decide(final):
                return
            text, self.head = self.head, ""
        try:
            if self.kind == "csv":
                self._csv_rows(self.csv.feed(text))
                if final:
                    rest = self.csv.finish()
                    if rest and 1 < len(rest[-1]) < self.shape.width:
                        self.fail(f"the last row has {len(rest[-1])} of the header's {self.shape.width} "
                                  "columns: the file is cut short")
                    self._csv_rows(rest)
            else:
                records, metas = self.json.feed(text)
                self._json_records(records, metas)
                if final:
                    self._json_records(*self.json.finish())
        except SigninsError:
            raise
        except ValueError as exc:
            self.fail(f"{exc} (after {self.rows} records)")

    def _decide(self, final: bool) -> bool:
        """Pick the reader from the first characters; False while more text is needed."""
        stripped = self.head.lstrip()
        if not stripped:
            if final:
                self.fail("the file is empty")
            return False
        if self.head.startswith(("PK\x03\x04", "\x1f")) or "\x00" in self.head[:4096]:
            self.fail("a compressed or binary file, not a sign-in log: unzip it and choose the CSV or JSON inside")
        if stripped[0] in "[{":
            self.kind = "json"
            self.top_array = stripped[0] == "["
            self.json = JsonStream()
            return True
        line_end = self.head.find("\n")
        if line_end < 0 and not final:
            if len(self.head) > MAX_HEADER_CHARS:
                self.fail("not a sign-in log: no line break in the first megabyte")
            return False
        first = CsvStream()
        header_rows = first.feed(self.head[: line_end + 1] if line_end >= 0 else self.head + "\n")
        header = header_rows[0] if header_rows else []
        self.format = csv_kind(header)
        if self.format is None:
            names = ", ".join(h.strip() for h in header[:4])
            self.fail(f"not a sign-in log this checker reads (first columns: {names[:120] or 'none'}); "
                      f"it reads {WHAT_WE_READ}")
        self.kind = "csv"
        self.csv = CsvStream()
        self.shape = CsvShape(header, _interactive_hint(self.name))
        self.head = self.head[line_end + 1:] if line_end >= 0 else ""
        return True

    def _csv_rows(self, rows) -> None:
        tally, convert, is_flow = self.tally, self.shape.convert, self.is_flow
        n = 0
        for row in rows:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            n += 1
            s = convert(row, is_flow)
            if s is not None:
                tally.add(s)
        self.rows += n
        tally.signins += n

    def _json_records(self, records, metas) -> None:
        self.metas.extend(metas)
        for item in records:
            if isinstance(item, dict) and isinstance(item.get("value"), list) and "@odata.context" in item:
                # a whole Graph page inside an array of pages
                self.metas.append({k: v for k, v in item.items() if k != "value"})
                self._json_records(item["value"], [])
                continue
            if isinstance(item, dict) and isinstance(item.get("tables"), list):
                # Log Analytics query API: {"tables": [{"columns": [{"name"}], "rows": [[...]]}]}
                # (read whole: up to JsonStream.MAX_RECORD_CHARS, beyond that refused)
                self.from_query_api = True
                for table in item["tables"]:
                    names = [c.get("name") if isinstance(c, dict) else None for c in table.get("columns", ())]
                    self._json_records([dict(zip(names, row)) for row in table.get("rows", ()) if isinstance(row, list)], [])
                continue
            if self.first_kind is None:
                self.first_kind = record_kind(item)
            try:
                s = convert_item(item, self.is_flow)
            except ValueError as exc:
                self.fail(f"{exc} (record {self.rows + 1})")
            self.rows += 1
            self.tally.signins += 1
            if s is not None:
                self.tally.add(s)

    def summary(self) -> dict:
        if self.kind == "json":
            self.format = self._json_format()
            if self.json.repaired:
                self.tally.notices.append(f"{self.name}: {self.json.repaired} trailing comma(s) in the JSON "
                                          "were ignored (Microsoft's documentation examples carry them).")
        return {"name": self.name, "format": self.format, "rows": self.rows}

    def _json_format(self) -> str:
        for meta in self.metas:
            context = str(meta.get("@odata.context", ""))
            if "/beta/" in context:
                return "graph-beta"
            if "/v1.0/" in context:
                return "graph-v1.0"
        if self.first_kind == "diagnostic":
            return "diagnostic-settings"
        if self.first_kind == "pascal":
            return "log-analytics-api" if self.from_query_api else "log-analytics-json"
        if self.first_kind == "camel" and self.top_array:
            return "admin-center-json"
        return "graph"


class Session:
    """Feed files one after another: begin(name), feed(bytes)..., end(); then result()."""

    def __init__(self) -> None:
        self.tally = Tally()
        self.is_flow = make_is_flow()
        self.files: list[dict] = []
        self.current: _File | None = None

    def begin(self, name: str) -> None:
        self.current = _File(os.path.basename(name) or name, self.tally, self.is_flow)

    def feed(self, data: bytes) -> int:
        """Returns the records read so far in this file (for a progress bar)."""
        self.current.feed(bytes(data))
        return self.current.rows

    def end(self) -> dict:
        f = self.current
        f.feed(b"", final=True)
        self.files.append(f.summary())
        self.current = None
        return self.files[-1]

    def result(self) -> dict:
        from .kql import query

        return self.tally.result(self.files, query())


def analyse_files(paths, chunk: int = CHUNK) -> dict:
    session = Session()
    for path in paths:
        session.begin(path)
        try:
            with open(path, "rb") as f:
                while data := f.read(chunk):
                    session.feed(data)
        except OSError as exc:
            raise SigninsError(f"cannot read {path}: {exc.strerror or exc}") from None
        session.end()
    return session.result()
