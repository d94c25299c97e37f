# Two entry points, both usable on a fresh machine with Python >= 3.11:
#   make demo   set up .venv, then run the demo site on SQLite with the sample catalog
#               (make demo PORT=8001 for another port)
#   make test   set up .venv, then run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test setup lint

$(BIN)/kansou: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(BIN)/kansou

demo: setup
	$(BIN)/kansou demo $(if $(PORT),--port $(PORT))

test: setup
	bash scripts/system-deps.sh
	bash scripts/test.sh

lint: setup
	$(BIN)/ruff check kansou tests scripts benchmarks
	$(BIN)/ruff format --check kansou tests scripts benchmarks
	$(BIN)/lint-imports --no-cache
