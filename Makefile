# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
FLASK := $(BIN)/flask --app marketplace.app

.PHONY: run test install catalogs db demo system-deps services lint

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

install: $(INSTALLED)

catalogs: install
	$(BIN)/python -c "from marketplace.i18n import compile_catalogs; compile_catalogs()"

# Creates or upgrades instance/gongzhi.sqlite3 (or DATABASE_URL) from the Alembic migrations.
db: catalogs
	@if [ ! -d migrations ]; then \
		echo "make db: the migrations/ folder is missing, so the database cannot be created." >&2; \
		exit 1; \
	fi
	$(FLASK) db upgrade

demo: db
	$(FLASK) seed-demo --scale small --if-empty

run: demo
	$(FLASK) run --host 127.0.0.1 --port 5000

# Debian chromium and a CJK font for the browser tests, when missing and we may install.
system-deps:
	@sh scripts/install-system-deps.sh

services:
	@sh scripts/ensure-services.sh

test: catalogs system-deps services
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
