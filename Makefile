# make help lists the targets. Everything runs in .venv, created on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.DEFAULT_GOAL := help
.PHONY: help report status test bench data clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "ktt needs Python 3.11 or newer")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

report: $(STAMP) ## the default report on the data shipped in data/
	$(BIN)/ktt status

status: $(STAMP) ## the targets' status on the shipped data
	$(BIN)/ktt status

test: $(STAMP) ## the whole test suite
	$(BIN)/python -m pytest

data: $(STAMP) ## rebuild the synthetic example data/synthetic/krong-bong-example.csv
	$(BIN)/python -m ktt.example

bench: $(STAMP) ## print the benchmark figures
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b; done

clean: ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .hypothesis
