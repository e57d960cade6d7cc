# Two commands do all the set-up on a fresh machine with Python 3.11 and make:
#   make demo   creates .venv, installs newskg, builds the seeds' graph into out/
#   make test   creates .venv if needed and runs the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test notebook bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/newskg build seeds --out out
	$(BIN)/newskg evaluate out/graph.ttl tests/data/gold/seeds.tsv --entities tests/data/gold/entities.tsv

# the page tests drive a real Chromium and the README's endpoint example uses curl:
# scripts/test-tools.sh installs whichever is missing, saying so in one line
test: $(STAMP)
	bash scripts/test-tools.sh $(BIN)
	$(BIN)/python -m pytest

notebook: $(STAMP)
	PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install --quiet -e '.[notebook]'
	$(BIN)/jupyter lab notebooks/explore.ipynb

bench: $(STAMP)
	$(BIN)/python bench/build.py --sizes 1000,10000 --processes 1,2

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis
