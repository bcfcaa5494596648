"""Staff sessions and passwords as a government system requires (issue 9, finding 3).

A staff session ends when the browser closes, after 30 idle minutes, and after a working day (8 hours)
however busy; passwords have at least 12 characters. Anonymous visitors of the public pages get no
session, and the session middleware costs them nothing.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.demo.accounts import DEMO_PASSWORD
from tests import factories as f

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture
def clerk_client(client):
    client.force_login(f.county("xianan"))
    return client


def backdate(client, *, idle=0, since_login=0):
    """Pretend the last request was `idle` seconds ago and the sign-in `since_login` seconds ago."""
    from logins.sessions import LAST_SEEN, SIGNED_IN

    session = client.session
    now = int(time.time())
    session[LAST_SEEN] = now - idle
    session[SIGNED_IN] = now - max(since_login, idle)
    session.save()


def still_signed_in(client):
    response = client.get(reverse("admin:index"))
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    return False


def test_a_staff_session_cookie_ends_with_the_browser(client, settings):
    settings.AXES_ENABLED = True
    f.county("xianan")
    response = client.post(
        reverse("admin:login"), {"username": "xianan", "password": DEMO_PASSWORD, "next": reverse("admin:index")}
    )
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""


def test_a_session_idle_for_thirty_minutes_is_over(clerk_client):
    backdate(clerk_client, idle=31 * 60)
    assert not still_signed_in(clerk_client)
    assert "_auth_user_id" not in clerk_client.session
    login_page = clerk_client.get(reverse("admin:login"))
    assert "长时间未操作，登录已失效，请重新登录。" in login_page.content.decode()


def test_a_session_idle_for_less_goes_on(clerk_client):
    backdate(clerk_client, idle=29 * 60)
    assert still_signed_in(clerk_client)
    assert still_signed_in(clerk_client)


def test_a_working_day_is_the_longest_session_however_busy(clerk_client):
    backdate(clerk_client, idle=60, since_login=8 * 3600 + 60)
    assert not still_signed_in(clerk_client)
    assert "登录已超过一个工作日的时限" in clerk_client.get(reverse("admin:login")).content.decode()


def test_seven_busy_hours_are_not_too_long(clerk_client):
    backdate(clerk_client, idle=60, since_login=7 * 3600)
    assert still_signed_in(clerk_client)


def test_the_session_store_forgets_a_session_after_a_working_day_at_most(settings):
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_an_anonymous_public_request_starts_no_session(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies


def test_the_session_middleware_costs_an_anonymous_request_nothing():
    from django.contrib.sessions.middleware import SessionMiddleware

    from logins.sessions import StaffSessionMiddleware

    request = RequestFactory().get("/")
    SessionMiddleware(lambda r: None).process_request(request)
    middleware = StaffSessionMiddleware(lambda r: HttpResponse("ok"))
    with CaptureQueriesContext(connection) as queries:
        middleware(request)
    assert len(queries) == 0
    assert request.session.accessed is False


def test_the_timeouts_come_from_the_environment():
    probe = "import django; from django.conf import settings; django.setup(); " \
            "print(settings.SESSION_IDLE_TIMEOUT, settings.SESSION_COOKIE_AGE)"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(DJANGO_SETTINGS_MODULE="procurement.settings.base", DJANGO_DEBUG="1",
               DJANGO_SESSION_IDLE_MINUTES="15", DJANGO_SESSION_MAX_HOURS="4")
    result = subprocess.run([sys.executable, "-c", probe], cwd=BASE_DIR, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.split() == ["900", "14400"], result.stderr


# Passwords ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["kx9-tq2-mz7", "xn-2015-abc"])
def test_a_password_of_eleven_characters_is_refused(password):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert any(error.code == "password_too_short" for error in refused.value.error_list)


def test_a_password_of_twelve_characters_is_accepted():
    validate_password("kx9-tq2-mz7w")


def test_the_demo_password_passes_the_rules():
    assert len(DEMO_PASSWORD) >= 12
    validate_password(DEMO_PASSWORD)
