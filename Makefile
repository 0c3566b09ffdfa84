# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test lint bench clean

setup: $(STAMP)

# torch is pinned first so the CPU build on this machine's disk is used, never a CUDA download.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet "torch==2.13.0"
	$(BIN)/pip install --quiet -e ".[dev,sentence-transformers]"
	touch $(STAMP)

run: setup
	$(BIN)/python -m index build; status=$$?; [ $$status -eq 0 ] || [ $$status -eq 2 ]
	$(BIN)/python -m bot

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python -m benchmarks.retrieval

clean:
	rm -rf $(VENV) data
