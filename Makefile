# Readiness — two commands on a fresh machine (only python3 needed):
#   make run    virtualenv in .venv, install, init + demo data, start the dashboard (PORT=8501)
#   make test   install the dev extras, run the linters, then the whole test suite
#
# The virtualenv is reinstalled only when pyproject.toml changes: the install is
# recorded in a stamp file named after the hash of pyproject.toml.

PYTHON ?= python3
VENV ?= .venv
VENV_PY := $(VENV)/bin/python
PIP := $(VENV_PY) -m pip
PIP_FLAGS ?= --disable-pip-version-check --progress-bar off
PYTEST_ARGS ?=
PORT ?= 8501

PYPROJECT_HASH := $(shell sha256sum pyproject.toml | cut -c1-16)
INSTALL_STAMP := $(VENV)/.installed-$(PYPROJECT_HASH)
DEV_STAMP := $(VENV)/.dev-installed-$(PYPROJECT_HASH)

.PHONY: venv dev run test lint bench clean

venv: $(INSTALL_STAMP)

dev: $(DEV_STAMP)

# Created only when the interpreter is missing (a fresh clone, or a broken venv).
$(VENV_PY):
	$(PYTHON) -m venv --clear $(VENV)
	$(PIP) install $(PIP_FLAGS) --upgrade pip

$(INSTALL_STAMP): | $(VENV_PY)
	$(PIP) install $(PIP_FLAGS) -e .
	rm -f $(VENV)/.installed-*
	touch $@

# The dev extras include the runtime dependencies: mark both as installed.
$(DEV_STAMP): | $(VENV_PY)
	$(PIP) install $(PIP_FLAGS) -e '.[dev]'
	rm -f $(VENV)/.installed-* $(VENV)/.dev-installed-*
	touch $@ $(INSTALL_STAMP)

run: venv
	$(VENV)/bin/readiness init
	$(VENV)/bin/readiness demo --if-empty --sites 6 --days 400 --seed 7
	$(VENV)/bin/readiness dashboard --port $(PORT)

# Lint first, so pytest's summary is the last thing a test run prints.
test: dev lint
	$(VENV_PY) -m pytest -q -ra --durations=10 $(PYTEST_ARGS)

lint: dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy readiness dashboards

bench: venv
	@set -e; found=; \
	for f in bench/*.py; do \
	  [ -e "$$f" ] || continue; found=1; \
	  echo "== $$f"; $(VENV_PY) "$$f"; \
	done; \
	[ -n "$$found" ] || echo "no bench/*.py scripts yet"

clean:
	rm -rf $(VENV) data/*.db data/*.db-* .pytest_cache .mypy_cache .ruff_cache
