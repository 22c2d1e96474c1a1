# Urban Exchange: `make run` sets everything up and serves the site; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Links in e-mails point at BASE_URL: unless it is set, the address `make run` serves on.
BASE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: install setup run test test-postgres test-browser lint lock clean messages

# Re-install only when the dependencies change; later `make run`s start in seconds.
# Every package comes from the lock, its hash checked; then the project itself, with no
# dependencies of its own and built by the locked setuptools (no build isolation, so nothing
# unpinned is fetched). -qq: setuptools warns about every template folder, which is noise.
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(PY) -m pip install -qq --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

install: $(VENV)/.installed

setup: install
	$(PY) manage.py migrate --noinput -v 0
	BASE_URL='$(BASE_URL)' $(PY) manage.py load_demo

run: setup
	BASE_URL='$(BASE_URL)' $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(PY) -m pytest

# After a change of a catalogue (locale/*/LC_MESSAGES/django.po): compile it, checked, with
# Debian's gettext. The compiled .mo files are committed, so that `make run` needs no gettext;
# tests/site/test_catalogues.py fails when one is older than its catalogue.
messages:
	for po in $$(find locale */locale -name django.po); do msgfmt --check -o "$${po%.po}.mo" "$$po"; done

# The same suite on PostgreSQL (browser tests excluded: they run on SQLite).
test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/urbanexchange} \
		$(PY) -m pytest -m "not browser"

# Browser tests only; a missing Chromium is a failure here, not a skip.
test-browser: install
	BROWSER_TESTS_REQUIRED=1 $(PY) -m pytest -m browser

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run

# Regenerate requirements.lock from pyproject.toml (dependencies, the dev extra and the build
# backend) with pip-tools, hashes included. Pins already in the lock are kept while they still
# fit the ranges; `make lock LOCK_ARGS=--upgrade` moves everything to the newest allowed.
LOCK_ARGS ?=
lock: install
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--all-build-deps --extra dev --no-emit-index-url --no-emit-find-links \
		--output-file requirements.lock $(LOCK_ARGS) pyproject.toml

clean:
	rm -rf $(VENV) var/db.sqlite3* var/static
