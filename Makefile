# PFCC Portal. `make run` serves the site with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# The interpreter for the virtualenv: Django 6.1 needs Python ≥ 3.12. With pyenv, the
# .python-version file (3.13) makes `python3` resolve to it.
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: system-packages system-packages-test bench fault-db fault-mail backup restore run test venv install install-dev migrate messages compilemessages makemessages lint format browser clean

$(PY):
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.12 or newer is required (Django 6.1); install it or set PYTHON=/path/to/python3.13" >&2; exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Debian packages the site needs: gettext (translations), fonts-noto-cjk (certificates draw
# Chinese names); `make test` adds chromium (browser tests). Installed when missing, as .ci/run does.
RUN_PACKAGES := gettext fonts-noto-cjk
TEST_PACKAGES := $(RUN_PACKAGES) chromium
define apt_install
	@missing=""; for pkg in $(1); do dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "== installing$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing Debian packages:$$missing (apt-get install$$missing)" >&2; exit 1; fi; fi
endef

system-packages:
	$(call apt_install,$(RUN_PACKAGES))

system-packages-test:
	$(call apt_install,$(TEST_PACKAGES))

compilemessages: install system-packages
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages --ignore=$(VENV) --ignore=var -v0

# Extract translatable strings: the project's templates and pfcc into locale/, each app into its own.
makemessages: install
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l zh_Hans --no-location --ignore=$(VENV) --ignore=var --ignore=blog --ignore=hackathon --ignore=camp --ignore=events --ignore=search --ignore=judging --ignore=progress --ignore=tests -v0
	for app in blog hackathon camp events search judging progress; do (cd $$app && mkdir -p locale && DJANGO_DEBUG=1 ../$(PY) ../manage.py makemessages -l zh_Hans --no-location -v0); done

migrate: install
	DJANGO_DEBUG=1 $(PY) manage.py migrate --no-input

run: install compilemessages
	DJANGO_DEBUG=1 $(PY) manage.py migrate --no-input
	DJANGO_DEBUG=1 DJANGO_TASKS_BACKEND=immediate $(PY) manage.py seed_demo
	DJANGO_DEBUG=1 DJANGO_TASKS_BACKEND=immediate $(PY) manage.py runserver $(HOST):$(PORT)

# Chromium for the browser tests, from Debian's packages (Playwright cannot download browsers here).
browser: system-packages-test

test: install-dev system-packages-test compilemessages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_DEBUG= $(VENV)/bin/pytest $(PYTEST_ARGS)

# Load benchmark: production settings under gunicorn, wrk per page; see scripts/bench.py and the
# README's Performance section. SCALE=1 DURATION=10 (seconds per page); DATABASE_URL, REDIS_URL.
bench: install compilemessages
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null); } || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
	$(PY) scripts/bench.py

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Database (pg_dump, or SQLite's backup API) and media into backups/<time>/; restore from BACKUP=dir.
backup: install
	$(PY) manage.py backup $(BACKUP)

restore: install
	@if [ -z "$(BACKUP)" ]; then echo "usage: make restore BACKUP=backups/<folder>" >&2; exit 2; fi
	$(PY) manage.py restore $(BACKUP)

# Stops the local PostgreSQL for a few seconds (and always starts it again): not while others
# run tests against it.
fault-db: install
	$(PY) scripts/faults/db_restart.py

fault-mail: install-dev
	DJANGO_DEBUG= $(VENV)/bin/pytest -p no:cacheprovider -q tests/security/test_faults.py -k "mail"

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
