# digitapp developer tasks. `make test` on a fresh clone does everything: creates the venv,
# installs the package with its test, lint and build extras, installs Qt's system libraries
# and the packaging tools if we are root on Debian/Ubuntu (or says how), then lints and runs
# every test (the packaging test builds the frozen app and the .deb, and self-tests them):
# about 7 minutes on 2 quiet cores. `make check` is the everyday loop: lint and every test
# but that packaging build (under 6 minutes there).
# `make dist` builds the Linux bundle, its .tar.gz and a .deb (zstd, quick); `make release`
# the same with an xz-compressed .deb (smallest). packaging/README.md has the details.

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
	$(BIN)/python -m pip install --quiet --upgrade pip "setuptools>=77" wheel
	$(BIN)/python -m pip install --quiet -e '.[test,lint,build]'
	touch $@

.PHONY: qt-deps
qt-deps:
	@.ci/qt-system-libs.sh

.PHONY: packaging-tools
packaging-tools:
	@.ci/packaging-tools.sh

.PHONY: lint
lint: venv
	$(BIN)/ruff check .
	$(BIN)/lint-imports

.PHONY: test
test: venv qt-deps lint
	@.ci/packaging-tools.sh --optional
	# --durations: the slowest tests in every CI log, to see where its minutes go
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q --durations=25

# The test that builds the installer (PyInstaller, the .deb, a bare Debian as root).
PACKAGING_TESTS := tests/test_packaging.py

.PHONY: check
check: venv qt-deps lint
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q --ignore=$(PACKAGING_TESTS)

.PHONY: dist
dist: venv qt-deps packaging-tools
	PYTHON=$(BIN)/python packaging/linux/dist.sh --compression zstd

.PHONY: release
release: venv qt-deps packaging-tools
	PYTHON=$(BIN)/python packaging/linux/dist.sh --compression xz

.PHONY: run
run: venv qt-deps
	$(BIN)/python -m digitapp

.PHONY: clean
clean:
	rm -rf build dist *.egg-info .pytest_cache .ruff_cache .hypothesis .import_linter_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
