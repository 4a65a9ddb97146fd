# Flowyte: `make run` starts the demo, `make test` runs every check CI runs.
#
# Installs are stamped: pip reruns only when pyproject.toml changes, npm only when
# package-lock.json does, apt only for packages dpkg does not already know.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
BUF := node_modules/.bin/buf

# Debian packages the test suite needs: chromium for the widget's browser tests, which
# Playwright drives at /usr/bin/chromium (it never downloads a browser); sip-tester (sipp),
# the SIP caller of tests/voice. Installed only when
# `dpkg -s` says one is missing; `apt-get update` then runs once before the install.
# espeak-ng is the voice frontend's fallback voice when Piper cannot speak (GPL-3.0+: run only
# as its own process, frontends/voice/speech/tts_engine.py).
APT_PACKAGES ?= chromium sip-tester espeak-ng

# Extra arguments for pytest, e.g. `make test PYTEST_ARGS='-k cli -x'`.
PYTEST_ARGS ?=

# FLOWYTE_* variables (FLOWYTE_TEST_DATABASE_URL, FLOWYTE_MASTER_KEY, ports, …) reach the
# commands below unchanged through the environment.

.DEFAULT_GOAL := help
.PHONY: help run test lint format typecheck proto-check proto-publish stubs pytest \
	pytest-year-ahead apt-deps clean shopify-schema

help:
	@echo "make run          install and start the demo (flowyte serve --demo)"
	@echo "make test         lint, format check, mypy, buf lint/breaking, pytest (today and a year ahead)"
	@echo "make lint         ruff check + ruff format --check"
	@echo "make format       ruff format + ruff check --fix"
	@echo "make typecheck    mypy core frontends clients demostore"
	@echo "make proto-check  buf lint + buf breaking against the published contract and main"
	@echo "make proto-publish  record protos/ as the published contract (a release)"
	@echo "make stubs        regenerate clients/flowyte/v1 from protos/"
	@echo "make shopify-schema  fetch Shopify's real Admin schema the tests check against"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Runtime install, for `make run`: the SDK (clients/, the `flowyte` command) and the server.
$(VENV)/.installed: pyproject.toml clients/pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ./clients -e .
	@touch $@

# Development install (a superset of the runtime one), for everything else.
$(VENV)/.installed-dev: pyproject.toml clients/pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ./clients -e '.[dev]'
	@touch $@ $(VENV)/.installed

$(BUF): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

apt-deps:
	@missing=""; \
	for pkg in $(APT_PACKAGES); do \
	  dpkg -s "$$pkg" >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing; \
	fi

run: $(VENV)/.installed
	$(BIN)/flowyte serve --demo

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy core frontends clients demostore

# Breaking changes are checked against the published contract (protos-published.binpb, a
# buf image refreshed by `make proto-publish` when a release publishes the API), so CI on
# main itself catches a break; and against the local `main` branch (or origin/main), which
# on a branch also catches removing what the branch's base only just added.
proto-check: $(BUF)
	$(BUF) lint
	$(BUF) breaking --against protos-published.binpb
	@if git show-ref --verify --quiet refs/heads/main; then \
	  echo "buf breaking --against '.git#branch=main'"; \
	  $(BUF) breaking --against '.git#branch=main'; \
	elif git show-ref --verify --quiet refs/remotes/origin/main; then \
	  echo "buf breaking --against '.git#ref=refs/remotes/origin/main'"; \
	  $(BUF) breaking --against '.git#ref=refs/remotes/origin/main'; \
	else \
	  echo "buf breaking: skipped, this repository has no main branch to compare with"; \
	fi

# Publishing the API: what is in protos/ now is what clients may rely on from here on.
proto-publish: $(BUF)
	$(BUF) build --exclude-source-info -o protos-published.binpb

stubs: $(VENV)/.installed-dev
	$(PY) scripts/generate_stubs.py

# Shopify's real Admin GraphQL schema, which the tests check the core's queries and the demo
# store against: taken once from Shopify's npm package (or ../shared) into .cache/shopify/ and
# checked by its sha256. Later runs find it there and only re-check the hash.
shopify-schema: | $(PY)
	$(PY) scripts/fetch_shopify_schema.py

# pytest exits 5 when it collected nothing; that is a failure here, with a reason.
pytest: $(VENV)/.installed-dev apt-deps $(BUF) shopify-schema
	@$(BIN)/pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing" >&2; fi; \
	exit $$rc

# The whole suite again with every process's clock a year ahead (flowyte.clock's offset,
# which servers started as subprocesses honour too): nothing in it may be a time bomb.
pytest-year-ahead: $(VENV)/.installed-dev apt-deps $(BUF)
	@echo "pytest with FLOWYTE_CLOCK_OFFSET=365d"
	@FLOWYTE_CLOCK_OFFSET=365d $(MAKE) --no-print-directory pytest

# Sequential on purpose: cheap checks first, the suite last.
test: $(VENV)/.installed-dev apt-deps $(BUF) shopify-schema
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory typecheck
	$(MAKE) --no-print-directory proto-check
	$(MAKE) --no-print-directory pytest
	$(MAKE) --no-print-directory pytest-year-ahead

clean:
	rm -rf $(VENV) node_modules .cache .pytest_cache .mypy_cache .ruff_cache
