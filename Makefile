# Civitas: `make run` serves the platform with the Sopot demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
HOST   ?= 127.0.0.1
PORT   ?= 8000
WORKERS ?= 3
export DJANGO_SETTINGS_MODULE := civitas.settings
# `make run` and the other targets keep the generated key in var/secret-key, also on PostgreSQL;
# a production server sets SECRET_KEY (see README.md, Production).
export CIVITAS_LOCAL_KEY := 1

.PHONY: run test test-browser test-multiserver install install-test migrate demo lint format messages assets bench bench-smoke stress smoke clean screenshots

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

migrate: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

demo: migrate
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo
	@echo "Civitas serves http://$(HOST):$(PORT)/  (Bulgarian; English at http://$(HOST):$(PORT)/en/)"
	@$(PY) manage.py load_demo --accounts-only
	@echo
	$(VENV)/bin/gunicorn civitas.wsgi:application --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--access-logfile - --forwarded-allow-ips 127.0.0.1

# In as many processes as the machine has CPUs (pytest-xdist); PYTEST_ARGS replaces that.
PYTEST_ARGS ?= -n auto
test: install-test
	CIVITAS_TESTING=1 $(PY) -m pytest $(PYTEST_ARGS)

# Benchmarks against a production server (gunicorn, DEBUG off) on the machine's PostgreSQL 15,
# which they start when it is down (as root: `pg_ctlcluster 15 main start`); bench.pages and
# bench.surveys start a private Redis as the shared cache (Debian: redis-server); each writes its own
# section of BENCHMARKS.md. See bench/pages.py, bench/surveys.py and bench/reports.py (the annual
# reports generated in process, no server, from the same database) for what they measure, and
# bench/national.py for the national dataset (265 municipalities; `--smoke` for a tiny version).
# All always run; the target fails if any misses a goal or a proof.
bench: install-test  # bench.reports counts the PDF's pages with pypdf (a test extra)
	@status=0; \
	$(PY) -m bench.pages || status=1; \
	$(PY) -m bench.surveys --export-answers 1000000 || status=1; \
	$(PY) -m bench.reports || status=1; \
	$(PY) -m bench.opendata || status=1; \
	$(PY) -m bench.national || status=1; \
	exit $$status

# Load and fault test (not part of `make test`; as root: it creates, restarts and drops a PostgreSQL
# cluster of its own and mounts a small tmpfs for the uploads): a mixed Locust load on a production
# server while a task worker is killed mid-import, PostgreSQL restarts, the upload disk fills and
# malformed requests arrive; writes "Load and faults" in BENCHMARKS.md and fails if anything
# accepted was lost or doubled. See stress/run.py; `python -m stress --smoke` is CI's short version.
$(VENV)/.installed-stress: pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[test,stress]'
	touch $@

stress: install-test $(VENV)/.installed-stress
	$(PY) -m stress $(STRESS_ARGS)

# The small version of the page and survey benchmarks (about a minute each on an idle machine),
# for .ci/run: it writes nothing and fails on a failed request, a cached page that queries the
# database, or a submission lost or doubled, not on speed.
bench-smoke: install-test
	$(PY) -m bench.pages --smoke
	$(PY) -m bench.surveys --smoke

# What .ci/run runs after the test suites: the benchmarks and the load and fault test at a small
# scale, on the machine's PostgreSQL (as root: the load and fault test makes a cluster of its own
# and mounts a tmpfs). They fail on a failed request, a cached page that queries the database, a
# write lost or doubled or an import half applied, not on speed: only `make bench` judges speed.
smoke: install-test $(VENV)/.installed-stress
	$(PY) -m bench.pages --smoke
	$(PY) -m bench.surveys --smoke
	$(PY) -m bench.national --smoke
	$(PY) -m stress --smoke

# Only the browser tests (Playwright on the system's Chromium: `apt-get install -y chromium`).
# `make test` runs them too, and skips them with a message when Chromium is missing;
# CIVITAS_REQUIRE_BROWSER=1 (set by .ci/run) makes a missing browser fail instead.
test-browser: install-test
	CIVITAS_TESTING=1 $(PY) -m pytest -m browser tests/browser $(PYTEST_ARGS)

# Several servers as separate processes (tests/multiserver, docs/deployment.md): Redis, two gunicorn
# servers, a task worker and nginx in front, on a database of their own on the PostgreSQL server of
# DATABASE_URL (postgres://…, a role that may create databases). Needs redis-server, nginx and
# openssl from Debian; a missing one fails the run. `make test` skips these tests.
test-multiserver: install-test
	CIVITAS_TESTING=1 CIVITAS_REQUIRE_MULTISERVER=1 $(PY) -m pytest -m multiserver tests/multiserver $(PYTEST_ARGS)

# The pinned linters (pyproject.toml): style, formatting, types, and the one-way dependencies
# between apps (import-linter's contracts in pyproject.toml). .ci/run runs this.
lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy civitas bench
	$(VENV)/bin/lint-imports

format: install-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Extract and compile translations (needs GNU gettext). Compiled .mo files are committed.
messages: install
	cd civitas && ../$(PY) ../manage.py makemessages -l bg --no-obsolete --ignore '*/tests/*'
	cd civitas && ../$(PY) ../manage.py compilemessages

# Rebuild the vendored front-end assets from npm packages (needs Node.js; output is committed).
assets:
	rm -rf build/assets && mkdir -p build/assets
	cd build/assets && npm init -y >/dev/null && npm install --silent govuk-frontend@5 htmx.org@2 leaflet@1.9 sass
	cp assets/civitas.scss build/assets/
	cd build/assets && npx sass --no-source-map --style=compressed --load-path=. --quiet-deps \
		--silence-deprecation=import civitas.scss ../../civitas/static/vendor/govuk/civitas.min.css
	$(PY) tools/strip_crest.py civitas/static/vendor/govuk/civitas.min.css
	cp build/assets/node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js civitas/static/vendor/govuk/
	cp build/assets/node_modules/htmx.org/dist/htmx.min.js civitas/static/vendor/htmx/
	rm -rf civitas/static/vendor/leaflet && mkdir -p civitas/static/vendor/leaflet/images
	cp build/assets/node_modules/leaflet/dist/leaflet.js build/assets/node_modules/leaflet/dist/leaflet.css \
		build/assets/node_modules/leaflet/LICENSE civitas/static/vendor/leaflet/
	cp build/assets/node_modules/leaflet/dist/images/*.png civitas/static/vendor/leaflet/images/
	# No source map is shipped: the reference to it would break collectstatic's manifest.
	sed -i '/sourceMappingURL=/d' civitas/static/vendor/leaflet/leaflet.js

clean:
	rm -rf $(VENV) var build

# Screenshots of every page type at 1280 and 360 px, in Bulgarian and English, from a fresh demo
# served by the production server: build/screenshots/index.html (Chromium: /usr/bin/chromium).
screenshots: install-test
	$(PY) tools/screenshots.py $(SCREENSHOT_ARGS)
