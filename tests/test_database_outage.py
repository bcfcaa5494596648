"""When the database is unreachable, every page answers 503 with a short Chinese page and Retry-After,
not a bare 500; rendering that page touches no database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connections
from django.db.utils import OperationalError
from django.test import Client

from tests.factories import staff_user

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture
def database_down():
    """Call it, and from then on every attempt to reach the database fails as a refused connection would.

    Its own MonkeyPatch, undone before the test database's rollback (pytest's shared one is undone after)."""

    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

    with pytest.MonkeyPatch.context() as patch:
        # Every query opens its cursor through ensure_connection(), whether or not a connection is open.
        yield lambda: patch.setattr(connections["default"], "ensure_connection", refuse)


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "暂时无法访问" in body
    assert "主办单位：咸宁市财政局" in body  # the site's own page, not the fixed fallback
    assert "Traceback" not in body


def test_a_public_page_answers_503_when_the_database_is_down(database_down):
    client = Client(raise_request_exception=False)
    database_down()
    assert_unavailable_page(client.get("/"))


def test_a_signed_in_clerk_gets_503_too_though_the_session_cannot_be_read(database_down):
    client = Client(raise_request_exception=False)
    client.force_login(staff_user("xianan"))
    database_down()
    assert_unavailable_page(client.get("/admin/"))
    assert_unavailable_page(client.get("/"))


def test_other_errors_stay_500(monkeypatch):
    client = Client(raise_request_exception=False)

    def broken(*args, **kwargs):
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr("catalogue.views.editions._group_editions", broken)
    response = client.get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_a_real_unreachable_server_answers_503():
    """The app pointed at a closed port (no patching): the same 503 page."""
    script = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client(raise_request_exception=False).get('/'); "
        "print(r.status_code, r.get('Retry-After')); print(r.content.decode())"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "TEST_DB"))}
    env.update(
        DJANGO_SETTINGS_MODULE="procurement.settings.test",
        DATABASE_URL="postgres://postgres@127.0.0.1:9/nothing",
        DJANGO_LOG_LEVEL="CRITICAL",
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    first, _, body = result.stdout.partition("\n")
    assert first == "503 30", result.stdout + result.stderr
    assert "暂时无法访问" in body and "主办单位：咸宁市财政局" in body
