# faultline: the two quick-start commands are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: demo test test-slow venv engine image lint bench clean

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

# Two workers (the machines have two cores); loadgroup keeps the tests that share one
# exercise's variant, and the Docker tests, each on one worker. The property sweep is
# `slow`: `make test-slow` (CI runs it after this).
PYTEST_FAST := -n 2 --dist loadgroup -m "not slow" --durations=10

test: image
	$(BIN)/python -m pytest -q $(PYTEST_FAST) $(PYTEST_ARGS)

# The sweep holds Docker tests too: loadgroup keeps them on one worker, as in `make test`.
test-slow: image
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup -m slow $(PYTEST_ARGS)

# mypy cannot follow pyproject's package-dir mapping, so it checks faultline laid out as
# installed: build/typecheck/faultline/{harness,exercises,graders} link to the folders.
lint: venv
	$(BIN)/ruff check harness exercises graders tests benchmarks
	rm -rf build/typecheck && mkdir -p build/typecheck/faultline
	cp faultline/*.py build/typecheck/faultline/
	for d in harness exercises graders; do ln -s ../../../$$d build/typecheck/faultline/$$d; done
	cd build/typecheck && ../../$(BIN)/mypy --config-file ../../pyproject.toml

bench: image
	$(BIN)/python benchmarks/bench_grade.py

clean:
	rm -rf demo faultline-result .pytest_cache
