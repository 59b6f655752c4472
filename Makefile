# authorized-appsync — every target installs what it needs first.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3

export CDK_VALIDATION := false
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1

.PHONY: setup acm synth serve test lint format bench clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The main job until the construct lands: the access-control matrix of the example.
acm: setup
	$(BIN)/authorized-appsync acm examples/blog.graphql

synth serve:
	@echo "make $@: not available yet — the CDK construct (issue 3) and the local runtime (issue 4) are still to come." >&2
	@exit 1

lint: setup
	$(BIN)/ruff check constructs tests bench
	$(BIN)/ruff format --check constructs tests bench
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format constructs tests bench
	$(BIN)/ruff check --fix constructs tests bench

test: lint
	$(BIN)/pytest

bench: setup
	$(BIN)/python bench/compile.py

clean:
	rm -rf $(VENV) node_modules cdk.out .pytest_cache .mypy_cache .ruff_cache
