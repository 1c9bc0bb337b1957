# CTIP — two commands: `make run` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3
STAMP := $(VENV)/.installed-stamp
DEMO_CASES ?= 400
DEMO_SEED ?= 2024

.PHONY: run test install lint bench coverage clean-db

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,spark,synth]'
	touch $(STAMP)

install: $(STAMP)

## Create .venv, install, migrate, load demo data if the database is empty, serve on 127.0.0.1:8000.
run: $(STAMP)
	$(BIN)/ctip db upgrade
	$(BIN)/ctip demo load --cases $(DEMO_CASES) --seed $(DEMO_SEED) --if-empty
	$(BIN)/ctip link run --if-none
	$(BIN)/ctip demo logins
	$(BIN)/ctip serve --host 127.0.0.1 --port 8000

## Install everything the tests need (Chromium, Khmer fonts, a fresh PostgreSQL database) and run the suite.
test: $(STAMP)
	source scripts/test-env.sh && \
	$(BIN)/ruff check src tests bench && \
	$(BIN)/ruff format --check src tests bench && \
	$(BIN)/mypy && \
	$(BIN)/pytest -n auto --dist loadfile -q --durations=25

## The same suite with a line-coverage report (coverage's tracer makes it about 40 % slower,
## so `make test`, which CI runs, leaves it out).
coverage: $(STAMP)
	source scripts/test-env.sh && \
	$(BIN)/pytest -n auto --dist loadfile --cov --cov-report=term:skip-covered -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

## Benchmarks: print figures (not timed tests).
bench: $(STAMP)
	source scripts/bench-env.sh && $(BIN)/python -m bench

clean-db:
	rm -f var/ctip.sqlite3 var/ctip.sqlite3-wal var/ctip.sqlite3-shm
