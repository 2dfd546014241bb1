# Two commands matter: `make lab` (learn) and `make test` (check everything).
# Both create .venv/ on first use with the exact versions in requirements.txt.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.bootstrapped
PORT   ?= 8888
LAB_ARGS ?=

.PHONY: lab test test-oldest lint format exercises notebooks bench book browser-deps clean help

help:
	@echo "make lab         start JupyterLab on the course (first run sets up .venv/)"
	@echo "make test        lint, then run every test and notebook (what CI runs)"
	@echo "make notebooks   re-execute lessons and solutions, store outputs, regenerate exercises"
	@echo "make exercises   regenerate exercises/ from solutions/"
	@echo "make bench       print speed ratios against scikit-learn and torchmetrics"
	@echo "make test-oldest unit tests and lessons on the oldest versions pyproject.toml allows (.venv-oldest/)"
	@echo "make book        build the course website into build/site/ (from the stored outputs, offline)"

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "This course needs Python 3.11 or newer (numpy 2.4 does); found " + sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

# Opens lesson 01 (in the browser where there is one) and prints the URL that opens it, token included.
lab: $(STAMP)
	$(BIN)/python tools/lab.py --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) --ServerApp.root_dir=$(CURDIR) \
	  $(LAB_ARGS) notebooks/01_accuracy_paradox.ipynb

browser-deps:
	@bash tools/install_chromium.sh

test: $(STAMP) browser-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n 2 --dist loadfile

# The oldest versions pyproject.toml declares (requirements-oldest.txt), in their own .venv-oldest/: what a
# learner's older Colab or lab machine has. Slow the first time (a download), so not part of `make test`.
OLDEST := .venv-oldest
OLDEST_STAMP := $(OLDEST)/.bootstrapped
OLDEST_PYTEST := COURSE_REQUIREMENTS=requirements-oldest.txt $(OLDEST)/bin/python -m pytest -p no:cacheprovider -o addopts=

$(OLDEST_STAMP): requirements-oldest.txt pyproject.toml
	@test -x $(OLDEST)/bin/python || $(PYTHON) -m venv $(OLDEST)
	$(OLDEST)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-oldest.txt
	$(OLDEST)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

test-oldest: $(OLDEST_STAMP)
	$(OLDEST_PYTEST) -ra --strict-markers --doctest-modules -n 2 --dist loadfile tests course_lib \
	  --ignore=tests/browser --ignore=tests/test_readme_quickstart.py
	$(OLDEST_PYTEST) -ra --nbval --nbval-current-env --nbval-cell-timeout=120 \
	  --nbval-sanitize-with tests/nbval_sanitize_oldest.cfg notebooks

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

exercises: $(STAMP)
	$(BIN)/python -m tools.authoring solutions exercises

# After editing a lesson or a solution: re-execute it, store clean outputs, regenerate exercises.
notebooks: $(STAMP)
	$(BIN)/python -m tools.nbtools notebooks/*.ipynb solutions/*.ipynb
	$(BIN)/python -m tools.authoring solutions exercises

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

# The website: every lesson as a page, from the outputs stored in notebooks/ (nothing re-executed).
book: $(STAMP)
	$(BIN)/python -m tools.site build/site

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
