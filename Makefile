# Two commands on a fresh machine with only python3 and make:
#   make demo   plan the bundled example and print the summary
#   make test   run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test fuzz bench clean example-data

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/surgeplan plan --out surgeplan-out

test: $(STAMP)
	$(BIN)/python -m pytest

# the fuzz suite's long profile: FUZZ_SCALE=10 for ten times the inputs (see tests/fuzz_worker.py)
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=long $(BIN)/python -m pytest -m fuzz -p no:cacheprovider -q -s

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

example-data: $(STAMP)
	$(BIN)/python examples/make_example_data.py

clean:
	rm -rf $(VENV) surgeplan-out .pytest_cache .hypothesis
