"""Serve the built site the way a static host should (used by `make serve` and the tests).

The one thing a host must get right is the type of `.wasm` (application/wasm) and `.mjs`
(text/javascript): with a wrong type `loadPyodide` hangs without an error. Like hosts that honour
precompressed files, a file with a `.br` or `.gz` copy beside it (the checker's snapshot) is sent
as that copy with `Content-Encoding` when the browser accepts it.

Material's instant navigation reads `sitemap.xml` and moves its URLs onto the current host, but
keeps their port (the published site's: none), so on port 8000 every link would reload the
page. This server answers `sitemap.xml` with its URLs on the address it is asked at, which
keeps instant navigation working on any port. (A real host serves the site at `site_url`.)
"""
from __future__ import annotations

import argparse
import functools
import http.server
import io
import os
import re
import sys
import threading
from pathlib import Path

TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".svg": "image/svg+xml",
    ".snapshot": "application/octet-stream",
}
PRECOMPRESSED = ((".br", "br"), (".gz", "gzip"))
SITEMAP_ORIGIN = re.compile(r"<loc>https?://[^/<]+/")
HOST = re.compile(r"[A-Za-z0-9.\-]+(?::\d+)?|\[[0-9A-Fa-f:.]+\](?::\d+)?")


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}

    def send_head(self):
        path = self.translate_path(self.path)
        if path.endswith(os.sep + "sitemap.xml") and os.path.isfile(path):
            return self.sitemap(path)
        accepted = self.headers.get("Accept-Encoding", "")
        for suffix, coding in PRECOMPRESSED:
            if coding in accepted and os.path.isfile(path + suffix) and os.path.isfile(path):
                packed = open(path + suffix, "rb")
                self.send_response(200)
                self.send_header("Content-Type", self.guess_type(path))
                self.send_header("Content-Encoding", coding)
                self.send_header("Content-Length", str(os.fstat(packed.fileno()).st_size))
                self.send_header("Vary", "Accept-Encoding")
                self.end_headers()
                return packed
        return super().send_head()

    def sitemap(self, path: str):
        """The sitemap with its URLs on this server's address (see the module's docstring)."""
        host = self.headers.get("Host", "")
        if not HOST.fullmatch(host):
            host = f"{self.server.server_address[0]}:{self.server.server_port}"
        with open(path, encoding="utf-8") as handle:
            body = SITEMAP_ORIGIN.sub(f"<loc>http://{host}/", handle.read()).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def send_error(self, code, message=None, explain=None):
        """A missing page gets the site's own 404 page (as a static host serves it), not
        Python's bare error text; any other error is left to the standard handler."""
        page = Path(self.directory, "404.html")
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):  # quiet: tests and `make serve` print their own lines
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)


def make_server(directory: str | Path, host: str = "127.0.0.1", port: int = 0, verbose: bool = False):
    """A threaded HTTP server for `directory`; port 0 picks a free port (see server.server_port)."""
    handler = functools.partial(SiteHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    server.verbose = verbose
    return server


def serve_in_background(directory: str | Path, host: str = "127.0.0.1", port: int = 0):
    server = make_server(directory, host, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", default="site")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    if not Path(args.directory, "index.html").is_file():
        print(f"error: {args.directory}/index.html is missing; run 'make build' first", file=sys.stderr)
        return 2
    server = make_server(args.directory, args.host, args.port, verbose=True)
    print(f"Serving {args.directory}/ on http://{args.host}:{server.server_port}/ (Ctrl+C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
