# digitapp developer tasks. `make test` on a fresh clone does everything: creates the venv,
# installs the package with its test and lint extras, installs Qt's system libraries if we
# are root on Debian/Ubuntu (or says how), then lints and runs every test.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Touched after a successful install; reinstalls whenever pyproject.toml changes.
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := test

.PHONY: venv
venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
	touch $@

.PHONY: qt-deps
qt-deps:
	@.ci/qt-system-libs.sh

.PHONY: lint
lint: venv
	$(BIN)/ruff check .
	$(BIN)/lint-imports

.PHONY: test
test: venv qt-deps lint
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q

.PHONY: run
run: venv qt-deps
	$(BIN)/python -m digitapp

.PHONY: clean
clean:
	rm -rf build dist *.egg-info .pytest_cache .ruff_cache .hypothesis .import_linter_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
