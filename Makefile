# The two commands a fresh machine needs: `make run` and `make test` (see README.md).
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
VENDOR := src/laborcommons/web/static/vendor
export LABORCOMMONS_HOME ?= $(CURDIR)/.laborcommons

.PHONY: install run demo test test-fast lint fmt bench system-deps clean

install: $(VENV)/.installed $(VENDOR)/.installed

# The pages' JavaScript libraries and map outlines, from the npm lock file (no CDN at run time).
$(VENDOR)/.installed: assets/package.json assets/package-lock.json scripts/vendor-assets.sh
	scripts/vendor-assets.sh
	touch $@

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	# pycanon pins exact versions of typing_extensions/numpy/typer that conflict with
	# pydantic; its imports are in the dev extra, so it goes in without its pins.
	$(BIN)/pip install --quiet --no-deps pycanon==1.3.6
	touch $@

demo: install
	$(BIN)/laborcommons init
	$(BIN)/laborcommons demo

run: demo
	$(BIN)/laborcommons serve --host 127.0.0.1 --port 8000

system-deps:
	scripts/system-deps.sh

lint: install
	$(BIN)/ruff check src tests bench migrations
	$(BIN)/ruff format --check src tests bench migrations
	$(BIN)/mypy
	$(BIN)/lint-imports

# Two workers (one per core of the CI machine), whole files per worker so module fixtures
# are built once; every test still gets its own fresh node.
TEST_WORKERS ?= 2

test: install system-deps lint
	scripts/with-postgres.sh $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --cov --cov-report=term:skip-covered --durations=30 $(PYTEST_ARGS)

# The edit loop: SQLite only, no browser, no slow cases (CI runs everything).
test-fast: install
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile -m "not postgres and not browser and not slow" $(PYTEST_ARGS)

fmt: install
	$(BIN)/ruff check --fix src tests bench migrations
	$(BIN)/ruff format src tests bench migrations

bench: install
	command -v wrk >/dev/null || scripts/system-deps.sh wrk
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/api.py --workers 2
	$(BIN)/python bench/kanon.py
	$(BIN)/python bench/answers.py
	$(BIN)/python bench/evidence.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/matching.py --million

clean:
	rm -rf $(VENV) .laborcommons .pytest_cache .mypy_cache .ruff_cache .coverage
