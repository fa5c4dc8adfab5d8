# Startup Support Portal (Cổng hỗ trợ khởi nghiệp).
#
#   make run    the demo on http://127.0.0.1:8000/ (web, Celery worker and beat; Ctrl-C stops all)
#   make test   lint, migrations check and the whole test suite
#
# With no configuration everything runs on SQLite and Celery's filesystem broker;
# DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis (see README.md).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# The requirements installed into the virtual environment, as of this file's time.
STAMP := $(VENV)/.requirements.lock.installed
VAR_DIR := $(or $(PORTAL_VAR_DIR),var)
# makemessages and compilemessages skip these folders.
I18N_IGNORE := --ignore=.venv --ignore=var --ignore=static --ignore=tests --ignore=node_modules

.PHONY: help venv run test fuzz lint migrations-check messages clean

help:
	@echo "make run               demo on http://127.0.0.1:8000/ (migrate, collectstatic, demo data, web + worker + beat)"
	@echo "make test              lint, migrations check and the test suite"
	@echo "make fuzz              schemathesis over the whole API as every role, against a live demo (FUZZ_DATABASE_URL: PostgreSQL)"
	@echo "make lint              ruff check, ruff format --check, the import contract and mypy"
	@echo "make migrations-check  fail when a model change has no migration"
	@echo "make messages          update and compile the vi and en catalogues"
	@echo "make venv              create $(VENV) and install requirements.lock"
	@echo "make clean             remove caches and generated files (keeps $(VENV), the database and uploads)"

venv: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

# The demo: DEBUG off, static files served by whitenoise from collectstatic's output.
# A demo database built by an older version of the portal is started afresh before migrate.
run: export PORTAL_ENV := demo
run: export DEBUG := false
run: venv
	$(MANAGE) reset_outdated_demo
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) load_demo | tee $(VAR_DIR)/demo-logins.txt
	$(MANAGE) build_reports --province-only
	$(MANAGE) run_demo --host 127.0.0.1 --port 8000 --logins $(VAR_DIR)/demo-logins.txt

test: export PORTAL_ENV := test
test: venv lint migrations-check
	$(BIN)/pytest -n auto --dist loadgroup tests/

# The API fuzzing gate (fuzz/api.py): a demo of its own under var/fuzz/ (SQLite), or the PostgreSQL
# database FUZZ_DATABASE_URL names, which it creates and drops.
fuzz: venv
	$(BIN)/python fuzz/api.py $(if $(FUZZ_DATABASE_URL),--database-url $(FUZZ_DATABASE_URL))

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

migrations-check: export PORTAL_ENV := test
migrations-check: venv
	$(MANAGE) makemigrations --check --dry-run

# Locations are left out of the catalogues so that moving code does not rewrite them.
messages: export PORTAL_ENV := test
messages: venv
	$(MANAGE) makemessages -l vi -l en -e py,html,txt --no-location $(I18N_IGNORE)
	for catalogue in locale/*/LC_MESSAGES/django.po; do msgattrib --no-obsolete -o $$catalogue $$catalogue; done
	$(MANAGE) compilemessages -l vi -l en $(I18N_IGNORE)

clean:
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache .mypy_cache test-results
	rm -rf $(VAR_DIR)/static $(VAR_DIR)/cache $(VAR_DIR)/celery $(VAR_DIR)/screenshots
	rm -f $(VAR_DIR)/celerybeat-schedule* $(VAR_DIR)/demo-logins.txt
