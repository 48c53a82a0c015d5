"""Run inside Pyodide (by pyodide_snapshot.mjs) just before the memory snapshot is taken.

A restored snapshot has Python's memory but not its file system: the checker's files are not
installed there, so every module the checker may ever import must already be in `sys.modules`.
`prepare(static_imports)` imports every module of the package (walked, so new subpackages come in
on their own), every module its source names in an `import` (the list is read from the wheel's
source by the build hook, function-level imports included), calls every cached loader that takes
no argument (the knowledge base, the application table, ...), and runs
every example the knowledge base holds plus the setup example, which pulls in what the standard
library imports lazily on the way. Then it drops what is cheap to rebuild, so the heap is smaller.
"""
import gc
import importlib
import linecache
import pkgutil
import re
import sys

import checker


def prepare(static_imports):
    before = set(sys.modules)
    for info in pkgutil.walk_packages(checker.__path__, "checker."):
        if not info.name.endswith(".__main__"):  # running it would exit
            importlib.import_module(info.name)
    missing = []
    for name in static_imports:
        try:
            importlib.import_module(name)
        except ImportError:
            parent, _, attr = name.rpartition(".")
            if not (parent and hasattr(sys.modules.get(parent), attr)):  # `from m import function`
                missing.append(name)  # Pyodide lacks it: the plain path would fail on it too
    from checker import knowledge, rollout

    # Every cached loader that takes no argument (knowledge.load, apps, roles, sources, the
    # engine's compiled patterns...): after a restore there is no data file to read them from.
    for module in [m for n, m in sorted(sys.modules.items()) if n == "checker" or n.startswith("checker.")]:
        for value in list(vars(module).values()):
            wrapped = getattr(value, "__wrapped__", None)
            if hasattr(value, "cache_info") and getattr(wrapped, "__module__", None) == module.__name__:
                code = wrapped.__code__
                if code.co_argcount == len(wrapped.__defaults__ or ()) and not code.co_kwonlyargcount:
                    value()
    kb = knowledge.load()
    texts = [e for f in kb.findings.values() for e in f.examples]
    texts += [c.example for c in kb.codes.values()]
    for text in texts:
        checker.diagnose(text)
    for question in kb.questions.values():
        for option in question.options:
            checker.diagnose(texts[0], {question.id: option.id})
    checker.evaluate_setup(rollout.EXAMPLE)
    checker.evaluate_setup({"requirements": ["no-such-requirement"], "colour": "blue"})
    rollout.checklist()
    # Cheap to rebuild and never needed again: source lines of tracebacks, re's own cache (the
    # engine keeps its compiled patterns itself), then whatever the warm-up left unreachable.
    linecache.clearcache()
    re.purge()
    gc.collect()
    return {"imported": len(set(sys.modules) - before), "missing": missing, "examples": len(texts)}
