# Two commands matter: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint unit install clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Create .venv, install, migrate the embedded SQLite database, load the demo shop, serve :8000
## with a worker beside it (it delivers queued replies; Ctrl-C stops both).
run: $(STAMP)
	$(BIN)/kefu migrate
	$(BIN)/kefu demo
	$(BIN)/kefu worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; $(BIN)/kefu serve

## The whole suite: style, layering, types, then every test.
test: lint unit

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

# One pytest worker per core; a test file stays on one worker, so a module's shared server and
# browser start once and its tests keep their order. TEST_WORKERS=0 runs in this process.
TEST_WORKERS ?= auto
unit: $(STAMP)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
