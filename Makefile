PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test fuzz install clean bench bench-deps chromium

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/leaktrace demo --out demo-case

# Headless Chromium (and a CJK font) for the report's rendering test and --format pdf; CI runs as root.
chromium:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-microhei)

# The suite, then the real-world corpus beside the repository (fails on a crash or a missed bar).
test: $(STAMP) chromium
	$(BIN)/python -m pytest
	$(BIN)/python tests/realworld.py --strict

# The fuzzing harness (tests/fuzz) with many random examples per seed; `make test` runs it briefly.
fuzz: $(STAMP)
	$(BIN)/python -m pytest tests/fuzz --hypothesis-profile=fuzz

bench-deps:
	command -v rg >/dev/null && command -v valgrind >/dev/null || (apt-get update -qq && apt-get install -y -qq ripgrep valgrind)

bench: $(STAMP) bench-deps
	cd benchmarks && ../$(BIN)/python ingest.py && ../$(BIN)/python detect.py

clean:
	rm -rf $(VENV) demo-case
