# Tillit: `make demo` sets everything up and runs the demo; `make test` runs every test.

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WHISTLE_PORT ?= 8001

# The first Python 3.12+ that actually runs (a pyenv shim for an inactive version does not).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.14 python3 $$(ls -d $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) /usr/local/bin/python3.13 /usr/bin/python3.13 /usr/bin/python3.12; do \
             $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { command -v $$p; break; }; \
           done)

# The whistleblowing channel's reporter pages answer on their own host: port $(WHISTLE_PORT) and
# visselblasning.localhost (docs/whistle.md); nothing of the staff application answers there.
DEMO_ENV := DEBUG=false HTTPS=false STATIC_MANIFEST=true SECRET_KEY_FILE=var/secret_key SITE_URL=http://$(HOST):$(PORT) \
  ALLOWED_HOSTS=$(HOST),localhost,127.0.0.1,[::1],visselblasning.localhost \
  WHISTLE_HOSTS=visselblasning.localhost,$(HOST):$(WHISTLE_PORT),localhost:$(WHISTLE_PORT)

.PHONY: demo demo-code test lint check-python install install-dev migrate messages clean

demo: install var/secret_key
	@$(DEMO_ENV) $(BIN)/tillit migrate --no-input -v0
	@$(DEMO_ENV) $(BIN)/tillit createcachetable
	@$(DEMO_ENV) $(BIN)/tillit collectstatic --no-input -v0
	@$(DEMO_ENV) $(BIN)/tillit loaddemo --if-empty
	@$(DEMO_ENV) $(BIN)/tillit schedule_digest
	@$(DEMO_ENV) $(BIN)/tillit obstacles_notify_overdue
	@$(DEMO_ENV) $(BIN)/tillit pulses_close_due
	@$(DEMO_ENV) $(BIN)/tillit whistle_schedule
	@echo
	@echo "Tillit is running at http://$(HOST):$(PORT)/  (Ctrl-C stops the web server and the task worker)"
	@echo
	@echo "Visselblåsning, the reporter pages: http://$(HOST):$(WHISTLE_PORT)/exempelby/ or http://visselblasning.localhost:$(PORT)/exempelby/"
	@echo "  Its handlers greta.wikstrom@exempelby.se and tomas.oberg@visslan.example (custodian birgitta.falk@exempelby.se,"
	@echo "  escrow rolf.dahl@exempelby.se): password tillit-demo, two-factor secret TILLITDEMOVISSELBLASNINGTOTP2345"
	@echo "  (or the current code: make demo-code), key passphrase tillit-demo-nyckelfras"
	@echo
	@trap 'kill 0' EXIT INT TERM; \
	  $(DEMO_ENV) $(BIN)/tillit db_worker --interval 1 & \
	  $(DEMO_ENV) $(BIN)/gunicorn config.wsgi -c config/gunicorn.conf.py --bind $(HOST):$(PORT) --bind $(HOST):$(WHISTLE_PORT) --workers 2 & \
	  wait

# The demo's two-factor code for the whistleblowing channel's people (from the published demo secret).
demo-code: install var/secret_key
	@$(DEMO_ENV) $(BIN)/tillit whistle_demo_code

check-python:
	@test -n "$(PYTHON)" || { echo "Tillit needs Python 3.12 or newer, and none was found. Install python3.13 (for example with pyenv or your package manager) or run: make demo PYTHON=/path/to/python3.13" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { echo "$(PYTHON) is older than Python 3.12; Tillit needs 3.12 or newer." >&2; exit 1; }

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)

# Installed packages follow the lock files; the stamp files re-run pip only when a lock changes.
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.installed-dev: requirements-dev.lock $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

var/secret_key:
	@mkdir -p var
	@$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	@chmod 600 $@

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	@mkdir -p var
	$(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Translation catalogues: extract the strings, translate the new ones in tillit/locale/sv/, run again
# (it compiles), commit the .po and .mo files. The test settings supply SECRET_KEY and the like.
messages: install-dev
	cd tillit && DJANGO_SETTINGS_MODULE=config.test_settings ../$(BIN)/tillit makemessages -l sv -l en --no-obsolete --no-location -i "analysis/*"
	cd tillit && DJANGO_SETTINGS_MODULE=config.test_settings ../$(BIN)/tillit compilemessages

# Regenerate the lock files after changing dependencies in pyproject.toml.
lock: install-dev
	$(BIN)/pip-compile -q --allow-unsafe --strip-extras --generate-hashes -o requirements.lock pyproject.toml
	$(BIN)/pip-compile -q --allow-unsafe --strip-extras --generate-hashes --extra dev -o requirements-dev.lock pyproject.toml

clean:
	rm -rf $(VENV) var/static
