# Two commands that work on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench ingest check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)  ## connect to Discord with DISCORD_TOKEN, else open the local console
	$(BIN)/kuril-bot run

test: $(STAMP)  ## the linter, the type checker, then the whole test suite
	$(BIN)/ruff check bot commands tests
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

bench: $(STAMP)  ## speed and memory figures, printed as tables beside their baselines
	$(BIN)/python tests/benchmark.py

ingest: $(STAMP)
	$(BIN)/kuril-bot ingest

check: $(STAMP)  ## the shared contract checker
	PATH="$(CURDIR)/$(BIN):$$PATH" ../shared/tools/check-contract

clean:
	rm -rf $(VENV) data/*.db
