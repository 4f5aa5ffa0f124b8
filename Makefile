# Every verb sets itself up first, so a fresh clone needs nothing but `make serve` / `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

PORT   ?= 8000

.PHONY: setup validate build serve preview kiosk test lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

validate: setup
	$(BIN)/catalog validate content

build: setup
	$(BIN)/catalog build --content content --out site

# Build, then serve site/ and /api/search on 127.0.0.1; edits under content/ rebuild and reload.
serve: build
	$(BIN)/catalog serve --site site --port $(PORT) --watch content

# MkDocs' own live preview of the staging tree (no search service, no Pagefind).
preview: setup
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --dev-addr 127.0.0.1:$(PORT)

# The lobby kiosk: build the offline bundle kiosk/ (kiosk site, Whoosh index, launcher) and serve
# it on 127.0.0.1 (docs/kiosk.md). On the kiosk itself run kiosk/start-kiosk.sh instead.
kiosk: setup
	$(BIN)/catalog build --kiosk --content content --out kiosk
	$(BIN)/catalog serve --kiosk --site kiosk --port $(PORT)

test: setup
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check generator tests
	$(BIN)/mypy

# Benchmark against plain MkDocs + Material and Hugo on N synthetic records (docs/performance.md).
N ?= 10000
PEERS ?= mkdocs,hugo
bench: setup
	$(BIN)/pip install --quiet -e '.[dev,bench]' && $(BIN)/python bench/run.py --records $(N) --peers $(PEERS)

clean:
	rm -rf build site kiosk .pytest_cache .mypy_cache .ruff_cache
