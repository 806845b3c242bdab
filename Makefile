# Storefront: `make run` serves the shop, `make test` lints and runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
N      ?= 100000
export FLASK_APP := storefront:create_app

.PHONY: run test lint format serve screenshots bench bench-data bench-cluster clean help

help:
	@echo "make run    - set up and serve the shop with a demo catalogue on http://$(HOST):$(PORT)"
	@echo "make test   - set up, lint and run the whole test suite"

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
	@echo "Storefront on http://$(HOST):$(PORT) (Ctrl-C stops it)"
	@exec $(BIN)/flask run --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
