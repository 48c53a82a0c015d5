"""Sign-in logs: find the Power Automate sign-ins conditional access, MFA or a token lifetime broke.

    analyse_files(paths) -> dict     read whole files (the command line)
    Session                          feed files chunk by chunk (the browser), then `.result()`

Both give the JSON-ready dict `python -m checker signins --json` prints. Files are recognised by
their content (`session.py`, with each shape's names in `shapes.py`), read record by record
(`decode.py`, `csvstream.py`, `jsonstream.py`), each record reduced to one small `SignIn`
(`records.py`), judged with the knowledge base and counted (`analysis.py`); `kql.py` writes the
same search for Log Analytics, `report.py` the plain-text answer. Standard library only: the
same package runs in Pyodide.
"""
from .session import Session, SigninsError, analyse_files

__all__ = ["Session", "SigninsError", "analyse_files"]
