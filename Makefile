# The two commands in the README are `make serve` and `make test`; both set up what they need.
# Stamps (.venv/.installed, node_modules/.installed) re-run an install only when its pin file changes.

VENV    := .venv
PY      := $(VENV)/bin/python
HOST    ?= 127.0.0.1
PORT    ?= 8000
CHROMIUM ?= /usr/bin/chromium
# Material prints an end-of-life banner on every build; it is news, not a build problem.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test bench clean setup chromium

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt
	@base=$$(tools/find-python.sh) || exit 1; \
	  [ -x $(PY) ] || $$base -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Browser tests drive Debian's Chromium (Playwright never downloads a browser here).
chromium:
	@[ -x $(CHROMIUM) ] || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

build: setup
	$(PY) -m mkdocs build --strict

serve: build
	$(PY) tools/serve.py --host $(HOST) --port $(PORT) site

test: setup chromium build
	$(PY) -m pytest

bench: setup chromium build
	$(PY) tools/bench.py

clean:
	rm -rf site build dist *.egg-info tests/artifacts
