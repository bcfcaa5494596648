"""Settings come from the environment, with safe production defaults."""

import os
import subprocess
import sys

import pytest

PROBE = (
    "import django; from django.conf import settings; django.setup(); "
    "print(settings.DEBUG, settings.DATABASES['default']['ENGINE'], settings.LANGUAGE_CODE, settings.TIME_ZONE, "
    "settings.USE_TZ, settings.SESSION_COOKIE_SECURE, ','.join(settings.ALLOWED_HOSTS) or '-')"
)


def run_settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    clean.update(env, DJANGO_SETTINGS_MODULE="procurement.settings.base")
    return subprocess.run([sys.executable, "-c", PROBE], env=clean, capture_output=True, text=True, timeout=60)


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_debug_is_off_unless_asked_and_production_cookies_are_secure():
    result = run_settings(DJANGO_SECRET_KEY="k", DJANGO_ALLOWED_HOSTS="zfcg.xianning.gov.cn")
    assert result.stdout.split() == [
        "False", "django.db.backends.sqlite3", "zh-hans", "Asia/Shanghai", "True", "True", "zfcg.xianning.gov.cn"
    ]


def test_make_run_debug_mode_needs_no_secret():
    result = run_settings(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "True"


@pytest.mark.parametrize("url", ["postgres://postgres@127.0.0.1:5432/postgres"])
def test_database_url_selects_postgresql(url):
    result = run_settings(DJANGO_SECRET_KEY="k", DATABASE_URL=url)
    assert result.stdout.split()[1] == "django.db.backends.postgresql"
