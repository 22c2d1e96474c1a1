# Urban Exchange: `make run` sets everything up and serves the site; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Links in e-mails point at BASE_URL: unless it is set, the address `make run` serves on.
BASE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: install setup run test test-postgres test-browser lint lock clean

# Re-install only when the dependencies change; later `make run`s start in seconds.
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $@

install: $(VENV)/.installed

setup: install
	$(PY) manage.py migrate --noinput -v 0
	BASE_URL='$(BASE_URL)' $(PY) manage.py load_demo

run: setup
	BASE_URL='$(BASE_URL)' $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(PY) -m pytest

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

# Refresh the pinned versions after changing pyproject.toml's dependency ranges.
lock: install
	$(PY) -m pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean:
	rm -rf $(VENV) var/db.sqlite3* var/static
