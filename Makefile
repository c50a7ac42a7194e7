# The two commands of the README: `make demo` and `make test`. Both build .venv themselves.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: demo test lint typecheck pytest catalog bench bench-reader bench-sync bench-commerce bench-scim clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/seatbridge demo

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	@command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
	$(BIN)/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

test: lint typecheck pytest

# Add new French strings to the English catalogue (empty, to translate) and list what is wrong.
catalog: $(STAMP)
	$(BIN)/python -m seatbridge.i18n_catalog update

bench-reader: $(STAMP)
	$(BIN)/python bench/bench_reader.py

bench-sync: $(STAMP)
	$(BIN)/python bench/bench_sync.py

# Commerce replication of a generated 1,000,000-document company (cached in .bench-cache/,
# ~2.5 GB) beside a bare bulk copy, on SQLite and PostgreSQL; writes docs/performance.md.
bench-commerce: $(STAMP)
	$(BIN)/python bench/bench_commerce.py $(BENCH_ARGS)

# SCIM filter and list latencies (p50/p95/p99, 1 and 4 clients, before and after ANALYZE) at
# 1,000 and 10,000 users on PostgreSQL, against the bare SQL; see docs/performance.md.
bench-scim: $(STAMP)
	$(BIN)/python bench/bench_scim.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
