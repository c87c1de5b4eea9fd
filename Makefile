# The two commands: `make run` and `make test`. Both create .venv if missing.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8501
PYTEST_ARGS ?=

.PHONY: run test lint test-e2e bootstrap init demo clean-venv

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,postgres,mysql]"
	@touch $(STAMP)

bootstrap: $(STAMP)

run: $(STAMP)
	$(BIN)/streamlit run app.py --server.port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python tools/size_check.py

test: $(STAMP) lint
	$(BIN)/python -m pytest -n 2 -m "not e2e" $(PYTEST_ARGS)

test-e2e: $(STAMP)
	$(BIN)/python -m pytest -m e2e $(PYTEST_ARGS)

init: $(STAMP)
	$(BIN)/budgetwise init

demo: $(STAMP)
	$(BIN)/budgetwise demo

clean-venv:
	rm -rf $(VENV)
