# authorized-appsync — every target installs what it needs first.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3

export CDK_VALIDATION := false
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1
# jsii names the Node 20 end-of-life warning by this variable (value: the major version).
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
# The CDK CLI must not try the network (version checks, notices, telemetry).
export CDK_DISABLE_VERSION_CHECK := 1
export CDK_DISABLE_CLI_TELEMETRY := true

.PHONY: setup acm synth serve test lint format bench conformance clean

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

# The main job: synthesize app.py (the blog example) into cdk.out/ with the pinned CDK CLI.
synth: setup
	npx cdk synth --no-notices --quiet
	@echo "cdk.out/ written: $$(ls cdk.out/*.template.json | wc -l) template(s)."

# The local runtime: the blog example on http://127.0.0.1:4000/graphql, synthesized first
# when cdk.out/ is older than the sources. Ctrl-C stops it. Extra flags: SERVE_ARGS="--port 0".
SOURCES := app.py $(shell find constructs resolvers lambda_authorizer examples -type f \
	-not -path '*/__pycache__/*' 2>/dev/null)

cdk.out/manifest.json: $(SOURCES) | setup
	$(MAKE) --no-print-directory synth
	touch $@

serve: setup cdk.out/manifest.json
	$(BIN)/authorized-appsync serve cdk.out $(SERVE_ARGS)

lint: setup
	$(BIN)/ruff check constructs tests bench app.py lambda_authorizer
	$(BIN)/ruff format --check constructs tests bench app.py lambda_authorizer
	$(BIN)/mypy
	$(BIN)/lint-imports --no-logo --no-cache
	npx eslint resolvers

format: setup
	$(BIN)/ruff format constructs tests bench app.py lambda_authorizer
	$(BIN)/ruff check --fix constructs tests bench app.py lambda_authorizer

test: lint
	$(BIN)/pytest

bench: setup
	$(BIN)/python bench/compile.py
	$(BIN)/python bench/synth.py
	$(BIN)/python bench/list_cost.py
	$(BIN)/python bench/runtime.py

# The long conformance run: 100,000 generated cases through the local runtime, each compared
# with the independent oracle of tests/conformance. Extra flags: CONFORMANCE_ARGS="--cases N --seed S".
conformance: setup
	$(BIN)/python bench/conformance.py $(CONFORMANCE_ARGS)

clean:
	rm -rf $(VENV) node_modules cdk.out .pytest_cache .mypy_cache .ruff_cache
