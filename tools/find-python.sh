#!/bin/sh
# Prints the path of a Python 3.12 or newer (pyodide-build needs it), or explains what to install.
# Tries $PYTHON first, then the usual names, then pyenv's installs (pyenv shims refuse versions
# that are installed but not selected, so the shims alone are not enough).
ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }
for cand in "${PYTHON:-}" python3.12 python3.13 python3 \
    "$HOME"/.pyenv/versions/3.12*/bin/python3 "$HOME"/.pyenv/versions/3.13*/bin/python3 \
    /usr/local/bin/python3.13 /usr/local/bin/python3.12 /usr/bin/python3.13 /usr/bin/python3.12; do
  [ -n "$cand" ] || continue
  if ok "$cand"; then command -v "$cand" 2>/dev/null || echo "$cand"; exit 0; fi
done
echo "error: the site's tooling needs Python 3.12 or newer and none was found." >&2
echo "Install one (for example 'apt-get install python3.12' or 'pyenv install 3.12'), or run 'make PYTHON=/path/to/python3.12 ...'." >&2
exit 1
