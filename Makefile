# Direktori CBO — the front door. `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py

# The first Python >= 3.12 found: python3.12, python3.13, then python3 when it is new enough.
PYTHON ?= $(shell for p in python3.12 python3.13 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	echo $$p; break; fi; done)

.PHONY: help run serve test test-fast lint audit format bench messages check-python clean

help: ## Show this help
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

check-python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Direktori CBO needs Python 3.12 or newer, and none was found (tried python3.12, python3.13, python3)."; \
	  echo "Install it, for example: 'pyenv install 3.12' (this repository's .python-version selects it),"; \
	  echo "or 'apt-get install python3.12 python3.12-venv' on Debian/Ubuntu, then run make again."; \
	  exit 1; fi

$(VENV)/.runtime: requirements.lock | check-python
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@touch $@

$(VENV)/.dev: requirements-dev.lock | check-python
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	@touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime ## Set everything up and serve the Sepang demo (and run its background tasks) at http://127.0.0.1:$(PORT)
	DJANGO_DEBUG=1 $(MANAGE) migrate --no-input -v 0
	DJANGO_DEBUG=1 $(MANAGE) seed_demo
	@echo "Direktori CBO: http://127.0.0.1:$(PORT)/ (Bahasa Melayu) and http://127.0.0.1:$(PORT)/en/ (English)"
	DJANGO_DEBUG=1 PY=$(PY) PORT=$(PORT) scripts/run-dev

serve: $(VENV)/.runtime ## Production-style server (gunicorn) on PORT against DATABASE_URL; run `manage.py db_worker` beside it for background tasks
	$(MANAGE) migrate --no-input
	$(MANAGE) load_reference
	$(MANAGE) collectstatic --no-input -v 0
	$(VENV)/bin/gunicorn config.wsgi --bind 0.0.0.0:$(PORT) --workers $${WEB_CONCURRENCY:-2} \
	  --access-logfile - --access-logformat '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(L)ss' \
	  --forwarded-allow-ips "$${FORWARDED_ALLOW_IPS:-127.0.0.1}"

# The suite runs on every CPU (pytest-xdist), one test file per worker at a time so that a module's
# shared data is built once. TEST_WORKERS=0 runs it in this one process (easier to debug).
TEST_WORKERS ?= auto
XDIST = $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile)

test: $(VENV)/.dev ## Run the whole suite (browser tests included) on DATABASE_URL or SQLite
	@scripts/ensure-test-tools
	$(PY) -m pytest $(XDIST) $(PYTEST_ARGS)

test-fast: $(VENV)/.dev ## The suite without the browser tests
	$(PY) -m pytest $(XDIST) -m "not browser" $(PYTEST_ARGS)

lint: $(VENV)/.dev ## ruff (lint and format check), mypy, migrations up to date
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_DEBUG=1 $(VENV)/bin/mypy .
	DJANGO_DEBUG=1 $(MANAGE) makemigrations --check --dry-run

audit: $(VENV)/.dev ## Check the locked dependencies for known vulnerabilities (pip-audit, needs PyPI)
	$(VENV)/bin/pip-audit --strict --disable-pip --progress-spinner off \
	  -r requirements.lock -r requirements-dev.lock

format: $(VENV)/.dev ## Format the code
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: $(VENV)/.dev ## Update the translation catalogues and compile them
	mkdir -p locale
	DJANGO_DEBUG=1 $(MANAGE) makemessages -l ms -l en --no-obsolete --add-location=file --ignore='.venv/*' --ignore='bench/*' --ignore='tests/*' --ignore='staticfiles/*'
	$(PY) scripts/complete-en-catalogue locale/en/LC_MESSAGES/django.po
	DJANGO_DEBUG=1 $(MANAGE) compilemessages --ignore='.venv/*'

bench: $(VENV)/.dev ## Run the benchmarks in bench/ and print their figures (about 30 minutes)
	@scripts/ensure-test-tools
	$(PY) bench/run.py
	$(PY) bench/hsds.py --services $${BENCH_HSDS_SERVICES:-100000}
	@test -n "$$DATASETTE" || test -x /tmp/datasette-venv/bin/datasette || { $(PYTHON) -m venv /tmp/datasette-venv && \
	  /tmp/datasette-venv/bin/pip install --quiet --disable-pip-version-check datasette==0.65.5; }
	$(PY) bench/search.py --services $${BENCH_SEARCH_SERVICES:-100000}
	$(PY) bench/statistics_api.py --rows $${BENCH_STATISTICS_ROWS:-1000000}
	$(PY) bench/referrals_load.py
	$(PY) bench/referrals_crash.py
	$(PY) bench/booklet.py --database-url $${BENCH_BOOKLET_POSTGRES:-postgres://postgres@127.0.0.1:5432/bench_booklet}

clean: ## Remove the virtual environment, the SQLite database and collected static files
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm
