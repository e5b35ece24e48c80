# llmboom: `make run` validates and builds the dataset, then serves it at
# http://127.0.0.1:8000/ until Ctrl-C; `make test` runs the linters, the type checker and the
# tests (`make quick`: the tests not marked slow or external).
# Each target sets up its own virtualenv on first use.
PYTHON ?= python3
# `make run PORT=8001 HOST=0.0.0.0`: where the server listens (set on the command line only:
# a HOST or PORT in the environment, as some shells and platforms export, is not used).
PORT   := 8000
HOST   := 127.0.0.1
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test quick lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/llmboom validate
	$(BIN)/llmboom build --out dist
	$(BIN)/llmboom stats
	$(BIN)/llmboom serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src
	$(BIN)/python -m pytest -q

# The quick loop: lint, type-check and every test not marked slow or external (see pyproject.toml).
quick: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src
	$(BIN)/python -m pytest -q -m "not slow and not external"

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

bench: $(STAMP)
	$(BIN)/python bench/run.py $(if $(SIZES),--sizes $(SIZES))
	$(BIN)/python bench/submit.py

clean:
	rm -rf $(VENV) dist .dist.build-* .dist.link-* .dist.lock
