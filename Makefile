# Every verb sets itself up first, so a fresh clone needs nothing but `make serve` / `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

PORT   ?= 8000

.PHONY: setup lock validate build serve preview kiosk test lint bench clean decap

setup: $(STAMP)

# Exactly the locked versions (hashes checked), then the project itself without dependencies.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade 'pip>=24,<27'
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	PYTHONWARNINGS=ignore $(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Re-resolve requirements.lock from the ranges in pyproject.toml (newest inside each range), then
# run `make test`: the byte-for-byte tests of the fast paths say whether the new versions hold.
lock: setup
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra bench --generate-hashes --universal \
	  --python-version 3.11 --no-header --quiet --index-url https://pypi.org/simple -o requirements.lock

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

# Re-fetch the vendored Decap CMS bundle from the npm registry (needs npm; docs/cms.md).
DECAP ?= 3.16
decap:
	$(PYTHON) tools/fetch_decap.py $(DECAP)

test: setup
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check generator tests bench tools
	$(BIN)/ruff format --check generator tests bench tools
	$(BIN)/lint-imports
	$(BIN)/mypy

# Benchmark against plain MkDocs + Material and Hugo on N records of both corpora, synthetic bodies
# and whole laws, with a first search in Chromium (docs/performance.md, "Issue 22").
N ?= 10000
PEERS ?= mkdocs,hugo
bench: setup
	$(BIN)/python bench/run.py --records $(N) --peers $(PEERS)

clean:
	rm -rf build site kiosk .pytest_cache .mypy_cache .ruff_cache
