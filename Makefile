# Storefront: `make run` serves the shop, `make test` lints and runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
N      ?= 100000
export FLASK_APP := storefront:create_app

.PHONY: run test lint format serve screenshots bench bench-data bench-cluster bench-calibration clean help

help:
	@echo "make run    - set up and serve the shop with a demo catalogue on http://$(HOST):$(PORT), and its mail worker"
	@echo "make test   - set up, lint and run the whole test suite"
	@echo "make screenshots - run the browser tests and refresh the README screenshots"
	@echo "make serve  - production: migrate, then Granian (SERVER=gunicorn: gunicorn.conf.py; needs SECRET_KEY)"
	@echo "make bench-data N=100000 - fill DATABASE_URL with N benchmark products"
	@echo "make bench  - load-test the shop against bench/hello.py; writes docs/benchmarks.md"
	@echo "make bench-cluster - two instances on PostgreSQL + Redis: sessions, limits, no overselling"
	@echo "make bench-calibration - bare Flask pages (the issue's yardstick) against hello, same server"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/flask check-database
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	$(BIN)/python -m whitenoise.compress -q storefront/static
	@echo "Storefront on http://$(HOST):$(PORT) (Ctrl-C stops it and its mail worker)"
	@$(BIN)/flask worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; trap 'exit 130' INT TERM; \
	$(BIN)/flask run --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The browser tests write screenshots to test-artifacts/; the README shows four of them.
README_SCREENSHOTS := home product cart admin-dashboard
screenshots: $(VENV)/.installed-dev
	$(BIN)/python -m pytest tests/browser -q
	mkdir -p docs/screenshots
	for name in $(README_SCREENSHOTS); do \
	  cp test-artifacts/screenshots/readme/$$name.png docs/screenshots/$$name.png || exit 1; \
	done
	@echo "docs/screenshots/ updated from the browser tests"

# Production: STOREFRONT_ENV=production refuses to start without SECRET_KEY.
serve: export STOREFRONT_ENV ?= production
serve: $(VENV)/.installed-run
	$(BIN)/flask check-database
	$(BIN)/flask db upgrade
	$(BIN)/python -m whitenoise.compress -q storefront/static
	@exec $(BIN)/python serve.py

bench-data: $(VENV)/.installed-run
	$(BIN)/flask db upgrade
	$(BIN)/python bench/make_data.py --products $(N)

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/run.py $(BENCH_ARGS)

bench-cluster: $(VENV)/.installed-dev
	$(BIN)/python bench/cluster.py $(BENCH_ARGS)

bench-calibration: $(VENV)/.installed-dev
	$(BIN)/python bench/calibration.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
