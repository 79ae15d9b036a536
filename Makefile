# The two set-up commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8787

.PHONY: demo test test-deep pytest generated lint typecheck unit bench openapi completions docs clean chaos

# One stamp per extra set, re-made when pyproject.toml changes.
$(VENV)/.stamp-sandbox: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "portal needs Python 3.11 or newer")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[sandbox]'
	@touch $@

$(VENV)/.stamp-dev: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "portal needs Python 3.11 or newer")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev,sandbox]'
	@touch $@ $(VENV)/.stamp-sandbox

## demo: start the sandbox, sign in as the demo owner, run a short tour, stop the sandbox.
demo: $(VENV)/.stamp-sandbox
	@PATH="$(CURDIR)/$(BIN):$$PATH" bash scripts/demo.sh

## test: lint, type-check, check the generated files and run the whole suite (one worker per
## core), side by side: a sub-make runs the four targets below as parallel jobs, each one's
## output kept together, and make test fails when any of them fails. Under 2 minutes on 2 cores.
test: $(VENV)/.stamp-dev
	@$(MAKE) --no-print-directory -j4 --output-sync=target lint typecheck generated pytest

## test-deep: the suite with schemathesis at full depth (25 examples per operation and mode
## instead of 3); slower, for changes to the sandbox's API.
test-deep: $(VENV)/.stamp-dev
	PORTAL_SCHEMATHESIS_EXAMPLES=25 $(BIN)/python -m pytest -n auto

## chaos: the whole-product chaos run of `make test` at 10x the size (2,000 mixed mutating
## commands at 30% faults, then without): minutes. CHAOS_COMMANDS=N sets another size.
CHAOS_COMMANDS ?= 2000
chaos: $(VENV)/.stamp-dev
	CHAOS_COMMANDS=$(CHAOS_COMMANDS) $(BIN)/python -m pytest tests/commands/test_chaos.py -q

pytest: $(VENV)/.stamp-dev
	$(BIN)/python -m pytest -n auto

# The checked-in docs/openapi.json, docs/portal-config.schema.json, completions/ and the manual
# are what the generators produce now.
generated: $(VENV)/.stamp-dev
	$(BIN)/python scripts/export_openapi.py --check
	$(BIN)/python scripts/export_config_schema.py --check
	$(BIN)/python scripts/gen_completions.py --check
	$(BIN)/python scripts/gen_docs.py --check

lint: $(VENV)/.stamp-dev
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks
	$(BIN)/lint-imports

typecheck: $(VENV)/.stamp-dev
	$(BIN)/mypy

## bench: start-up and request timings (SPEC §7), median of repeated runs.
bench: $(VENV)/.stamp-dev
	$(BIN)/python benchmarks/startup.py

## bench-usage: memory, wall and CPU time of 100,000- and 1,000,000-record exports, then the
## 1,000,000 one at 30% faults (slow: many minutes; the faults ask for 1 s waits).
bench-usage: $(VENV)/.stamp-dev
	$(BIN)/python benchmarks/usage_export.py
	$(BIN)/python benchmarks/usage_export.py --sizes 1000000 --faults 0.3

openapi: $(VENV)/.stamp-dev
	$(BIN)/python scripts/export_openapi.py

## completions: regenerate completions/ (and the packaged copies) from the command tree.
completions: $(VENV)/.stamp-dev
	$(BIN)/python scripts/gen_completions.py

## docs: regenerate the reference manual (docs/reference.md, docs/man/) from the command tree.
docs: $(VENV)/.stamp-dev
	$(BIN)/python scripts/gen_docs.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist
