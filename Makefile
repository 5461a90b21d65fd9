# The two commands: `make run` (the platform with demo data, a Celery worker and beat) and
# `make test` (the whole suite). Both need only Python 3.11 or newer; .venv is made on demand.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
PYTEST_ARGS ?=

.PHONY: run test bench check-deploy lint system-deps

# --- the virtual environment --------------------------------------------------------------------
$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	  echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version 2>&1))."; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { \
	  rm -rf $(VENV); \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's python3-venv..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv \
	      && $(PYTHON) -m venv $(VENV); \
	  else echo "Cannot create $(VENV): install your system's python3-venv package."; exit 1; fi; }

# Stamp files: pip runs again only when a requirements file changed.
$(VENV)/.installed-runtime: requirements.txt | $(PY)
	$(PIP) install -q -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install -q -r requirements-dev.txt
	@touch $@ $(VENV)/.installed-runtime

# --- make run -------------------------------------------------------------------------------------
# Without DJANGO_DEBUG the platform runs in production mode; `make run` and `make test` are for
# development (an explicit DJANGO_DEBUG wins).
run test: export DJANGO_DEBUG ?= true
run: $(VENV)/.installed-runtime
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --verbosity 0 --ignore=.venv --ignore=node_modules; \
	else echo "Note: without gettext (apt-get install gettext) the pages are in English only." >&2; fi
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@exec bin/run-dev

# --- make test ------------------------------------------------------------------------------------
# Debian's chromium (browser tests) and gettext (compilemessages), installed when root.
system-deps:
	@bin/system-deps

check-deploy: $(VENV)/.installed-runtime
	DJANGO_DEBUG=false ALLOWED_HOSTS=example.org \
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  $(PY) manage.py check --deploy --fail-level WARNING

# ruff, and the import layers (pyproject.toml: [tool.importlinter]): a wrong import fails here.
lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# axe-core for the accessibility tests (tests/e2e), pinned in package.json and package-lock.json.
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

test: $(VENV)/.installed-dev system-deps node_modules/axe-core/axe.min.js
	@$(MAKE) --no-print-directory lint
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules
	@$(MAKE) --no-print-directory check-deploy
	$(PY) -m pytest $(PYTEST_ARGS)

# --- make bench -----------------------------------------------------------------------------------
# The benchmarks (bench/): the machine's PostgreSQL and Redis, gunicorn with 3 workers, a Celery
# worker of concurrency 2. Figures are recorded in docs/benchmarks.md. BENCH_ARGS passes options,
# e.g. BENCH_ARGS="--only intake,drain --seconds 10".
BENCH_ARGS ?=
bench: $(VENV)/.installed-dev
	$(PY) -m bench.run $(BENCH_ARGS)
