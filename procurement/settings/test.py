"""Settings for the test suite: the base settings with a throwaway key and a fast hasher."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret")

from procurement.settings.base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The test client's login() calls authenticate() without a request, which axes refuses; the tests of
# sign-in throttling (tests/test_login_throttling.py) switch it on.
AXES_ENABLED = False
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

# Each test process keeps its own page cache, whatever REDIS_URL says: the tests empty it between tests, and a
# shared Redis would be emptied under another worker's feet. The tests of the shared cache (marked `redis`) start
# servers of their own with REDIS_URL.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-default"},
    "public": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-public-pages"},
}

# Each test process writes published editions' files into a folder of its own.
PUBLICATIONS_ROOT = Path(tempfile.mkdtemp(prefix="publications-"))  # noqa: F405
STORAGES["publications"]["OPTIONS"]["location"] = PUBLICATIONS_ROOT  # noqa: F405

# Parallel runs on one PostgreSQL server (several developers, or CI beside a
# developer) each need their own test database name.
if os.environ.get("TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DB_NAME"]}  # noqa: F405
elif DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not the shared in-memory database: the browser tests' live server answers from
    # several threads, and each needs a connection of its own.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}  # noqa: F405
