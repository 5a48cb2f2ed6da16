# Dagtilbudsportalen: everyday commands.
#   make run    install everything, migrate, load demo data once, serve on http://127.0.0.1:8000
#               with a Celery worker and beat, Redis and a local mailbox (portal/management/commands/serve.py)
#   make test   install everything, lint, check migrations and translations, run every test
# With no DATABASE_URL both use an embedded PostgreSQL kept under var/.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Test processes in parallel (pytest-xdist); each has its own test database.
TEST_WORKERS ?= auto

.DEFAULT_GOAL := help
.PHONY: help install run worker test lint format check messages totp clean-db bench test-packages lock

help:
	@echo "make run     serve the portal with demo data on http://$(HOST):$(PORT)"
	@echo "make test    run the whole test suite (lint, migrations, translations, unit, browser)"
	@echo "make worker  run a separate Celery worker and beat (needs REDIS_URL; make run starts its own)"
	@echo "make totp EMAIL=...  print the current two-factor code of a demo user"
	@echo "make messages  collect new strings into the Danish catalogues (then translate them)"
	@echo "make bench SCALE=municipality|large|national  generate data, load-test, report"

# Python packages come from the hash-locked files in requirements/ (every transitive
# dependency pinned with its hashes); `make lock` writes them anew from pyproject.toml.
$(VENV)/.installed: requirements/dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements/dev.txt
	touch $@

$(VENV)/.bench-installed: $(VENV)/.installed requirements/bench.txt
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements/bench.txt
	touch $@

# No install scripts: the only one (vnu-jar's) would fetch a Java runtime from the internet;
# the HTML checker runs on Debian's Java (scripts/debian-packages test).
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

CATALOGUES := $(wildcard locale/da/LC_MESSAGES/django.po */locale/da/LC_MESSAGES/django.po)

var/.translations: $(CATALOGUES) $(VENV)/.installed
	scripts/debian-packages run
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules --ignore=var -v 0
	mkdir -p var && touch $@

install: $(VENV)/.installed node_modules/.installed var/.translations

run: install
	$(PY) manage.py migrate --no-input -v 0
	PORTAL_BASE_URL=http://$(HOST):$(PORT) $(PY) manage.py seed_demo
	PORTAL_BASE_URL=http://$(HOST):$(PORT) $(PY) manage.py serve $(HOST):$(PORT)

worker: install
	PORTAL_BASE_URL=$${PORTAL_BASE_URL:-http://$(HOST):$(PORT)} $(VENV)/bin/celery -A portal worker --beat --loglevel=info

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: lint
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run -v 1
	$(PY) manage.py check

# Chromium, espeak-ng and Java (the HTML checker) from Debian: installed here when root,
# else the one command to run.
test-packages:
	scripts/debian-packages test

test: test-packages check
	$(VENV)/bin/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

messages: install
	$(PY) manage.py update_messages

totp: install
	@$(PY) manage.py demo_totp $(EMAIL)

# The benchmark (bench/README.md): needs PostgreSQL (BENCH_PG, default
# postgres://postgres@127.0.0.1:5432) and Redis (BENCH_REDIS_URL, default db 6 on localhost).
SCALE ?= municipality
BENCH_ARGS ?=
bench: install $(VENV)/.bench-installed
	$(PY) -m bench run --scale $(SCALE) $(BENCH_ARGS)

# The lock files, from pyproject.toml, for every platform (uv, itself locked in dev.txt).
UV_COMPILE := $(VENV)/bin/uv pip compile -q pyproject.toml --universal --python-version 3.11 --generate-hashes
lock: install
	$(UV_COMPILE) -o requirements/production.txt
	$(UV_COMPILE) --extra local --extra dev -o requirements/dev.txt
	$(UV_COMPILE) --extra local --extra dev --extra bench -o requirements/bench.txt

clean-db:
	$(PY) manage.py embedded_db stop || true
	rm -rf var/pgdata
