# faultline: the two quick-start commands are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: demo test venv engine image lint bench clean

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

engine:
	bash docker/ensure-engine.sh

image: venv engine
	$(BIN)/faultline image build

# Make a fresh variant, then grade its reference solution and the untouched bundle in Docker.
demo: image
	rm -rf demo
	$(BIN)/faultline new retail-events --out demo
	$(BIN)/faultline grade demo/key/solution --key demo/key --out demo/result-solution
	$(BIN)/faultline grade demo/candidate.zip --key demo/key --out demo/result-candidate

test: image
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check harness exercises graders tests
	$(BIN)/mypy

bench: image
	$(BIN)/python benchmarks/bench_grade.py

clean:
	rm -rf demo faultline-result .pytest_cache
