# The two commands of the README: `make demo` and `make test`. Both build .venv themselves.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: demo test lint typecheck pytest check-install lock catalog bench bench-reader bench-sync bench-commerce bench-provision bench-bulk-stamp bench-scim bench-cli bench-signin bench-propagation clean

# Versions come from requirements/lock.txt (`make lock` after changing pyproject.toml's floors).
LOCK := requirements/lock.txt

$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(LOCK) -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/seatbridge demo

lint: $(STAMP)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	@command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
	$(BIN)/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

test: lint typecheck pytest check-install

# The wheel installed without extras in a fresh virtualenv, then every runtime path (and the lean
# connector install against a served instance): fails when a runtime dependency is missing.
check-install: $(STAMP)
	$(BIN)/python tools/check_install.py

# Re-resolve the pins of every extra, for every platform (the connector runs on Windows).
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --all-extras --universal --python-version 3.11 \
		--no-header --quiet -o $(LOCK)
	$(BIN)/python tools/connector_requirements.py | $(BIN)/uv pip compile - --universal \
		--python-version 3.11 --no-header --quiet -c $(LOCK) -o requirements/connector.txt

# Add new French strings to the English catalogue (empty, to translate) and list what is wrong.
catalog: $(STAMP)
	$(BIN)/python -m seatbridge.i18n_catalog update

bench-reader: $(STAMP)
	$(BIN)/python bench/bench_reader.py

bench-sync: $(STAMP)
	$(BIN)/python bench/bench_sync.py

# 200 concurrent sign-ins for 30 s against one `seatbridge serve` on PostgreSQL: peak RSS, the
# p95 of GET /api/v1/licence during the burst vs alone, the wrong passwords verified.
bench-signin: $(STAMP)
	$(BIN)/python bench/bench_signin.py $(BENCH_ARGS)

# Commerce replication of a generated 1,000,000-document company (cached in .bench-cache/,
# ~2.5 GB) beside a bare bulk copy, on SQLite and PostgreSQL; writes docs/performance.md.
# CPU time of `seatbridge --help` and light commands beside a bare `python -c pass` (< 0.3 s).
bench-cli: $(STAMP)
	$(BIN)/python bench/bench_cli.py $(BENCH_ARGS)

bench-commerce: $(STAMP)
	$(BIN)/python bench/bench_commerce.py $(BENCH_ARGS)

# The incremental run right after a Sage bulk stamp of 100,000 lines, against a full run.
bench-bulk-stamp: $(STAMP)
	$(BIN)/python bench/bench_bulk_stamp.py $(BENCH_ARGS)

# Live sync: a rename in Sage 100 until visible through /api/v1 (SQLite and PostgreSQL sources,
# p50/p95 over 20 changes), and the server CPU of an idle look at 1,000 and 10,000 environments.
bench-propagation: $(STAMP)
	$(BIN)/python bench/bench_propagation.py $(BENCH_ARGS)

# SCIM filter and list latencies (p50/p95/p99, 1 and 4 clients, before and after ANALYZE) at
# 1,000 and 10,000 users on PostgreSQL, against the bare SQL; see docs/performance.md.
bench-scim: $(STAMP)
	$(BIN)/python bench/bench_scim.py $(BENCH_ARGS)

# Full sync, one batch invitation and delivery of the welcome e-mails to a local aiosmtpd, at
# several sizes (default 100, 300, 1000 collaborators; BENCH_ARGS="N ..."), SQLite and PostgreSQL.
bench-provision: $(STAMP)
	$(BIN)/python bench/bench_provision.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
