# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
FLASK := $(BIN)/flask --app marketplace.app

.PHONY: run test install catalogs db demo system-deps services lint serve bench-load

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

# Production-style: gunicorn (deploy/gunicorn.conf.py) and RQ workers against DATABASE_URL
# and REDIS_URL, after the migrations (docs/deploy.md).
serve: catalogs
	@test -n "$$DATABASE_URL" || { echo "make serve: set DATABASE_URL (PostgreSQL)" >&2; exit 1; }
	@test -n "$$REDIS_URL" || { echo "make serve: set REDIS_URL" >&2; exit 1; }
	$(FLASK) db upgrade
	BIN=$(BIN) sh scripts/serve.sh

# The load benchmark (docs/benchmarks.md): installs locust, serves a district demo on its own
# PostgreSQL database, drives it, checks the sign-up invariants. Not a test.
bench-load: catalogs
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/load.py $(BENCH_ARGS)

# Debian chromium and a CJK font for the browser tests, when missing and we may install.
system-deps:
	@sh scripts/install-system-deps.sh

services:
	@sh scripts/ensure-services.sh

# One pytest worker per core (TEST_WORKERS=0 runs them in this process): each worker has
# its own PostgreSQL database, queues and browser.
TEST_WORKERS ?= auto
test: catalogs system-deps services
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal

lint: install
	$(BIN)/ruff check .
