# make help lists the targets. Everything runs in .venv, created on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# the committed forecast reports, one per plan and scenario (expanded when a recipe uses it)
FORECAST_REPORTS = $(shell $(BIN)/python -c "from ktt.report.runner import report_folders; \
	print(' '.join(f'reports/{n}/report.ipynb' for n in report_folders('reports')))")

.DEFAULT_GOAL := help
.PHONY: help report reports verify backtest calibration status test bench data clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "ktt needs Python 3.11 or newer")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

report: $(STAMP) ## the baseline of every plan (the district's in reports/baseline/) and reports/index.html
	$(BIN)/ktt report --plans

verify: $(STAMP) ## rerun every report in reports/ and check that it reproduces, byte for byte
	$(BIN)/ktt verify reports/*

backtest: $(STAMP) ## how each model would have fared, into reports/baseline-backtest/
	$(BIN)/ktt report baseline --notebook backtest

calibration: $(STAMP) ## the calibration suite, 500 synthetic districts (about 4 min), into reports/calibration/
	$(BIN)/python benchmarks/bench_calibration.py --save

status: $(STAMP) ## the targets' status on the shipped data
	$(BIN)/ktt status

test: $(STAMP) ## the whole test suite: library, notebooks, and the committed reports
	$(BIN)/python -m pytest
	$(BIN)/python -m pytest --nbval-lax notebooks
	$(BIN)/python -m pytest --nbval $(FORECAST_REPORTS) --nbval-sanitize-with tests/nbval_sanitize.cfg

data: $(STAMP) ## rebuild the synthetic example data/synthetic/krong-bong-example.csv
	$(BIN)/python -m ktt.inputs.example

reports: $(STAMP) ## every scenario, in parallel, and reports/index.html
	$(BIN)/ktt report --all

bench: $(STAMP) ## print the benchmark figures
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b; done

clean: ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .hypothesis
