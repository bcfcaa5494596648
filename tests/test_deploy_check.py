"""`manage.py check --deploy` in the production environment says nothing but, at most, the HSTS-preload notice.

Preload is opt-in (DJANGO_HSTS_PRELOAD): once a domain is on the browsers' preload list it cannot
easily leave it, so that is the deployment's decision, not the code's (README, Production).
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def run_deploy_check(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="procurement.settings.base",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="zfcg.example.gov.cn",
        DJANGO_BEHIND_HTTPS_PROXY="1",
        DJANGO_VAR_DIR=str(tmp_path),
    )
    env.update(extra)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )


def issue_ids(output):
    return set(re.findall(r"\(([\w.]+\.[EW]\d+)\)", output))


def test_deploy_check_is_clean_but_for_the_opt_in_preload_notice(tmp_path):
    result = run_deploy_check(tmp_path)
    assert result.returncode == 0, result.stderr
    assert issue_ids(result.stdout + result.stderr) <= {"security.W021"}, result.stdout + result.stderr


def test_hsts_preload_is_an_opt_in_that_silences_the_last_notice(tmp_path):
    result = run_deploy_check(tmp_path, DJANGO_HSTS_PRELOAD="1")
    assert result.returncode == 0, result.stderr
    assert issue_ids(result.stdout + result.stderr) == set(), result.stdout + result.stderr


def test_pages_may_not_be_framed_by_anyone(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("setting, expected", [("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)])
def test_hsts_covers_subdomains_by_default(setting, expected):
    from procurement.settings import base

    assert getattr(base, setting) is expected
