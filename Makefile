# The two commands: `make run` (a working portal on SQLite, no services needed) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
# `make run PORT=9101` reaches manage.py as the environment variable PORT: the site address in the demo's printout,
# e-mail links and certificate QR codes follows it unless SITE_URL is set (certportal/settings/base.py).
export PORT
TEST_PROCESSES ?= 2
# one id for the passes of one `make test`: with --create-db the test database is migrated once for them all
# (tests/migrated_db.py)
ifndef TEST_RUN_ID
TEST_RUN_ID := $(shell date +%s%N)
endif
export TEST_RUN_ID
# Python writes its compiled files (``__pycache__``, git-ignored) even where the machine sets
# PYTHONDONTWRITEBYTECODE=1, as this project's development and CI machines do: without them every test process, and
# every worker, server and benchmark a test starts, compiles each module from source and pytest rewrites every test
# module again (collecting make check's tests: 32 s of CPU per process against 10 s; docs/development.md)
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test check durations install install-dev a11y-deps setup messages check-messages lint bench bench-scale bench-tiny worker beat clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

## axe-core (npm registry, version pinned in tests/a11y/package-lock.json) for the accessibility test.
tests/a11y/node_modules/axe-core/axe.min.js: tests/a11y/package-lock.json
	cd tests/a11y && npm ci --no-audit --no-fund --loglevel=error
	touch $@
a11y-deps: tests/a11y/node_modules/axe-core/axe.min.js

## Prepare the database, reference data and demo accounts (safe to repeat).
setup: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_reference
	$(BIN)/python manage.py load_demo

## Set everything up and serve the portal at http://127.0.0.1:$(PORT)
run: setup
	@echo "Portal: http://127.0.0.1:$(PORT)/   (Ctrl+C to stop)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## Install what the tests need and run the whole suite (PostgreSQL/Redis/Chromium when available).
test: install-dev
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory a11y-deps; else \
	  echo "NOTE: npm is not installed, so the axe-core accessibility test is skipped. Install it with: sudo apt-get install npm"; fi
	@if [ ! -x "$${CHROMIUM_PATH:-/usr/bin/chromium}" ] && ! command -v chromium >/dev/null; then \
	  echo "NOTE: Chromium is not installed, so browser tests are skipped. Install it with: sudo apt-get install chromium"; fi
	@# two passes: everything that shares no broker, worker or production process in parallel (pytest-xdist, one
	@# process per core), then those serially; exit code 5 (nothing selected) is not a failure
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) -m "not serial" --durations=25 $(PYTEST_ARGS) || [ $$? -eq 5 ]
	$(BIN)/python -m pytest -m serial --durations=25 $(PYTEST_ARGS) || [ $$? -eq 5 ]

## The quick loop before a commit (minutes): lint, the layers' contracts, the type check of the core (mypy),
## migrations in step with the models, and the unit and service tests in parallel on the database kept from the last
## run; no browser test, crawl, worker, production smoke or benchmark (markers set in tests/conftest.py): `make test`
## runs those too.
check: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	env -u DATABASE_URL $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) -m "not browser and not serial and not slow" --quick \
	  --durations=25 $(PYTEST_ARGS) || [ $$? -eq 5 ]

## Write tests/durations.json again: the quick loop's tests, each one's time recorded (make check leaves out those
## at or over tests/durations.py's QUICK_LIMIT; make test runs them all).
durations: install-dev
	TEST_DURATIONS_WRITE=1 $(BIN)/python -m pytest -n $(TEST_PROCESSES) -m "not browser and not serial and not slow" \
	  -q $(PYTEST_ARGS) || [ $$? -eq 5 ]

## Extract translatable strings into every catalog, fill English, compile.
messages: install-dev
	$(BIN)/python scripts/i18n.py

check-messages: install-dev
	$(BIN)/python scripts/i18n.py --check

lint: install-dev
	$(BIN)/ruff check .

bench: install-dev
	@for b in bench/bench_*.py; do [ "$$b" = bench/bench_scale.py ] && continue; echo "== $$b"; $(BIN)/python $$b || exit 1; done

# Every staff page at a million applications and ten million audit rows (minutes to build, kept for the next run);
# ARGS="--national" for five million and fifty million (hours).
bench-scale: install-dev
	$(BIN)/python bench/bench_scale.py $(ARGS)

# Every script at its tiny size (seconds each; tests/core/test_bench.py runs the same in every test run).
bench-tiny: install-dev
	@for b in bench/bench_*.py; do echo "== $$b --tiny"; $(BIN)/python $$b --tiny || exit 1; done

worker: install
	$(BIN)/celery -A certportal worker -l INFO

beat: install
	$(BIN)/celery -A certportal beat -l INFO

clean:
	rm -rf $(VENV) staticfiles var/test-private tests/a11y/node_modules
