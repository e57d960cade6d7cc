# Two commands do all the set-up on a fresh machine with Python 3.11 and make:
#   make demo   creates .venv, installs newskg, builds the seeds' graph into out/
#   make test   creates .venv if needed and runs the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SHARED := ../shared

.PHONY: install demo test notebook bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/newskg build seeds --out out
	@if [ -f $(SHARED)/eval/score.py ]; then $(BIN)/python $(SHARED)/eval/score.py out/graph.ttl; fi

test: $(STAMP)
	$(BIN)/python -m pytest

notebook: $(STAMP)
	PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install --quiet -e '.[notebook]'
	$(BIN)/jupyter lab notebooks/explore.ipynb

bench: $(STAMP)
	$(BIN)/python bench/build.py --sizes 1000,10000 --processes 1,2

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis
