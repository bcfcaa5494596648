# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test test-sqlite test-postgres setup browser-deps bench bench-deps bench-search messages backup restore clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# Serve the app with the demo data on http://127.0.0.1:$(PORT); safe to run again.
run: $(STAMP)
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py loaddata fixtures/regions.json fixtures/categories.json
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The browser tests drive Debian's chromium; install it (and CJK fonts) when
# we may, or say clearly what is missing.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'noto.*cjk'; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing chromium and fonts-noto-cjk for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
	      || { echo "could not install chromium: run 'apt-get install chromium fonts-noto-cjk' as root"; exit 1; }; \
	  else \
	    echo "the browser tests need Debian's chromium and fonts-noto-cjk: run 'sudo apt-get install chromium fonts-noto-cjk'"; exit 1; \
	  fi; \
	fi

# With DATABASE_URL unset: SQLite, PostgreSQL-only tests deselected.
# With DATABASE_URL=postgres://…: every test but the SQLite-only ones (marked sqlite).
# With REDIS_URL set (.ci/run sets it): the Redis tests too; unset, they are deselected.
test: $(STAMP) browser-deps
	@if [ -n "$$REDIS_URL" ]; then redis=""; else redis="not redis"; fi; \
	if [ -n "$$DATABASE_URL" ]; then \
	  echo "== tests on PostgreSQL ($$DATABASE_URL)$${REDIS_URL:+, Redis $$REDIS_URL}"; \
	  DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -n 2 --dist loadfile -m "not sqlite$${redis:+ and $$redis}"; \
	else \
	  echo "== tests on SQLite$${REDIS_URL:+, Redis $$REDIS_URL}"; \
	  DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -n 2 --dist loadfile -m "not postgres$${redis:+ and $$redis}"; \
	fi
	DJANGO_SECRET_KEY=check-only $(PY) manage.py makemigrations --check --dry-run

# The load generator of `make bench`: Debian's wrk; install it when we may, or say what is missing.
bench-deps:
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing wrk for the benchmark"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null) \
	      || { echo "could not install wrk: run 'apt-get install wrk' as root"; exit 1; }; \
	  else \
	    echo "make bench needs Debian's wrk: run 'sudo apt-get install wrk'"; exit 1; \
	  fi; \
	fi

# Every public page under load: a throw-away PostgreSQL database of ITEMS items (default 100,000),
# gunicorn with the production settings, wrk for BENCH_SECONDS (default 8) per page; prints the
# table, writes var/bench/latest.json, drops the database. `ITEMS=20000 make bench` is quicker.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
bench: $(STAMP) bench-deps
	DJANGO_SECRET_KEY=bench-only DATABASE_URL=$${DATABASE_URL:-$(BENCH_DATABASE_URL)} $(PY) manage.py bench_site --items $${ITEMS:-100000}

# Search speed on PostgreSQL: 100,000 items in a throw-away database, bigram index vs icontains vs pg_trgm.
bench-search: $(STAMP)
	DJANGO_SECRET_KEY=bench-only DATABASE_URL=$${DATABASE_URL:-$(BENCH_DATABASE_URL)} $(PY) manage.py bench_search --rows $${ROWS:-100000}

# One archive of the database (pg_dump's custom format on PostgreSQL, SQLite's online backup API otherwise)
# and the uploaded files, with a manifest of checksums, in var/backups/ (DJANGO_BACKUP_DIR). KEEP=14 keeps
# the newest 14 archives. README, Production, says how to schedule it.
backup: $(STAMP)
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-backup-only} $(PY) manage.py backup $(if $(KEEP),--keep $(KEEP))

# Restore FILE into an empty database and upload folders (checksums first); FORCE=1 replaces a non-empty one.
restore: $(STAMP)
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/xianning-backup-YYYYmmdd-HHMMSS.tar.gz [FORCE=1]"; exit 2; }
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-restore-only} $(PY) manage.py restore "$(FILE)" $(if $(FORCE),--force)

# Refresh the English catalogue from the Chinese msgids, then compile it. Needs GNU gettext
# (msgfmt, xgettext); the compiled django.mo is committed, so `make run` works without it.
messages: $(STAMP)
	@command -v msgfmt >/dev/null && command -v xgettext >/dev/null || \
	  { echo "make messages needs GNU gettext: run 'sudo apt-get install gettext'"; exit 1; }
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l en --no-location --ignore=.venv --ignore=var
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages -l en --ignore=.venv --ignore=var
	msgfmt --check --statistics -o /dev/null locale/en/LC_MESSAGES/django.po

clean:
	rm -rf $(VENV) .pytest_cache
