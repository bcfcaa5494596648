"""Password guessing is refused (issue 9, finding 2).

The rule: failures count per account and client address together (a county office's clerks share one
address, so one clerk's typos must not lock the others out); an address that fails for many accounts
is refused too (anonymous spraying); a refused attempt hashes no password, so guessing cannot tie up
the workers; failures and lock-outs are logged; municipal finance (and the superuser) see and lift
lock-outs in the admin, nobody else.
"""

import logging

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from tests import factories as f

PASSWORD = "xianning-demo-2015"


def attempts():
    from axes.models import AccessAttempt  # imported late, so the module loads before axes is installed

    return AccessAttempt.objects


def failure_log():
    from axes.models import AccessFailureLog

    return AccessFailureLog.objects
OFFICE = "10.42.0.7"  # 咸安区财政局's one address to the internet
HOME = "10.99.0.3"


@pytest.fixture(autouse=True)
def throttled(settings):
    """The test settings switch axes off for the test client's login(); these tests are about it."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 12


@pytest.fixture
def clerks():
    return {"xianan": f.county("xianan"), "xianan2": f.county("xianan2")}


def sign_in(client, username, password, address=OFFICE, **extra):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
        **extra,
    )


def signed_in(response):
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


def locked_out(response):
    return response.status_code == 429 and "登录失败次数过多" in response.content.decode()


def typos(client, username, count, address=OFFICE):
    """`count` wrong passwords; the one that reaches the limit already answers with the lock-out page."""
    for n in range(count):
        response = sign_in(client, username, f"wrong-password-{n}", address)
        assert response.status_code in (200, 429), response.status_code


class CountingHasher(MD5PasswordHasher):
    """The test suite's hasher, counting every hash it computes."""

    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.fixture
def hashes(settings):
    settings.PASSWORD_HASHERS = ["tests.test_login_throttling.CountingHasher"]
    CountingHasher.calls = 0
    return CountingHasher


# Per account and address ---------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_at_that_address(client, clerks):
    typos(client, "xianan", 5)
    response = sign_in(client, "xianan", PASSWORD)
    assert locked_out(response)
    assert "_auth_user_id" not in client.session
    assert response["Retry-After"] == str(30 * 60)


def test_four_typos_then_the_right_password_signs_in_and_starts_the_count_again(client, clerks):
    typos(client, "xianan", 4)
    assert signed_in(sign_in(client, "xianan", PASSWORD))
    assert not attempts().filter(username="xianan").exists()


def test_a_clerks_typos_do_not_lock_out_a_colleague_at_the_same_address(client, clerks):
    typos(client, "xianan", 5)
    assert locked_out(sign_in(client, "xianan", PASSWORD))
    assert signed_in(sign_in(client.__class__(), "xianan2", PASSWORD))


def test_the_locked_account_still_signs_in_from_another_address(client, clerks):
    """A lock on the account alone would let anyone who knows a clerk's user name lock the clerk out
    from anywhere; the per-address limit below, and 12-character passwords, answer guessing from many
    addresses instead."""
    typos(client, "xianan", 5)
    assert signed_in(sign_in(client.__class__(), "xianan", PASSWORD, address=HOME))


def test_the_lock_lifts_after_the_cool_off(client, clerks, settings):
    typos(client, "xianan", 5)
    attempts().update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME)
    assert signed_in(sign_in(client, "xianan", PASSWORD))


def test_guessing_unknown_user_names_locks_them_too(client, clerks):
    typos(client, "no-such-clerk", 5)
    assert locked_out(sign_in(client, "no-such-clerk", PASSWORD))


# Per address -------------------------------------------------------------------------------------------


def test_an_address_that_fails_for_many_accounts_is_refused_for_every_account(client, clerks):
    for n in range(12):
        assert sign_in(client, f"clerk-{n}", "guess-123456").status_code in (200, 429)
    assert locked_out(sign_in(client, "xianan", PASSWORD))
    assert signed_in(sign_in(client.__class__(), "xianan", PASSWORD, address=HOME))


# No hashing once refused -------------------------------------------------------------------------------


def test_a_refused_attempt_hashes_no_password(client, clerks, hashes):
    typos(client, "xianan", 5)
    assert hashes.calls >= 5
    hashes.calls = 0
    for _ in range(20):
        assert locked_out(sign_in(client, "xianan", PASSWORD))
        assert locked_out(sign_in(client, "xianan", "another-guess-2015"))
    assert hashes.calls == 0


def test_refused_attempts_do_not_extend_the_lock(client, clerks, settings):
    typos(client, "xianan", 5)
    attempts().update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME / 2)
    before = attempts().get(username="xianan")
    assert locked_out(sign_in(client, "xianan", "yet-another-guess"))
    after = attempts().get(username="xianan")
    assert (after.attempt_time, after.failures_since_start) == (before.attempt_time, before.failures_since_start)


# Logged ---------------------------------------------------------------------------------------------------


def test_failures_and_lock_outs_are_logged_without_the_password(client, clerks, caplog):
    caplog.set_level(logging.INFO)
    typos(client, "xianan", 5)
    sign_in(client, "xianan", PASSWORD)
    text = "\n".join(record.getMessage() for record in caplog.records)
    failures = [r for r in caplog.records if "login failure by" in r.getMessage() and "xianan" in r.getMessage()]
    assert len(failures) == 5 and all(OFFICE in r.getMessage() for r in failures)
    assert any(r.levelno >= logging.WARNING and "登录已锁定" in r.getMessage() for r in caplog.records), text
    assert "wrong-password" not in text and PASSWORD not in text
    assert failure_log().filter(username="xianan", ip_address=OFFICE).count() == 5
    assert "wrong-password" not in "".join(attempts().values_list("post_data", flat=True))


# The client's address ------------------------------------------------------------------------------------


def address_of(**meta):
    from logins.throttle import client_address

    return client_address(RequestFactory().post("/admin/login/", **meta))


def test_without_the_proxy_setting_the_forwarded_header_is_ignored(settings):
    settings.BEHIND_HTTPS_PROXY = False
    assert address_of(REMOTE_ADDR=OFFICE, HTTP_X_FORWARDED_FOR="1.2.3.4") == OFFICE


def test_behind_the_proxy_the_right_most_forwarded_address_counts(settings):
    settings.BEHIND_HTTPS_PROXY = True
    settings.PROXY_COUNT = 1
    # The client may write anything on the left; the proxy appends the address it saw on the right.
    assert address_of(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"1.2.3.4, {OFFICE}") == OFFICE
    assert address_of(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address") == "127.0.0.1"
    assert address_of(REMOTE_ADDR="127.0.0.1") == "127.0.0.1"
    settings.PROXY_COUNT = 2
    assert address_of(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"1.2.3.4, {OFFICE}, 10.0.0.2") == OFFICE


def test_rotating_a_forged_forwarded_header_does_not_escape_the_lock(client, clerks, settings):
    settings.BEHIND_HTTPS_PROXY = False
    for n in range(5):
        sign_in(client, "xianan", f"wrong-{n}", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert locked_out(sign_in(client, "xianan", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200"))


def test_behind_the_proxy_two_offices_are_counted_apart(client, clerks, settings):
    settings.BEHIND_HTTPS_PROXY = True
    settings.SECURE_SSL_REDIRECT = False
    proxied = {"address": "127.0.0.1", "HTTP_X_FORWARDED_FOR": OFFICE}
    for n in range(5):
        sign_in(client, "xianan", f"wrong-{n}", **proxied)
    assert locked_out(sign_in(client, "xianan", PASSWORD, **proxied))
    assert signed_in(sign_in(client.__class__(), "xianan", PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR=HOME))


# Seen and lifted in the admin -------------------------------------------------------------------------------


@pytest.fixture
def roles(clerks):
    from django.core.management import call_command

    users = {"shicaizheng": f.municipal(), "minzheng": f.department(), **clerks}
    call_command("setup_roles", verbosity=0)
    return users


def lockouts_url():
    return reverse("admin:logins_loginlockout_changelist")


def test_municipal_finance_sees_and_lifts_a_lock_out(client, roles):
    typos(client, "xianan", 5)
    attempt = attempts().get(username="xianan")
    reviewer = client.__class__()
    reviewer.force_login(roles["shicaizheng"])
    page = reviewer.get(lockouts_url())
    assert page.status_code == 200 and "xianan" in page.content.decode()
    assert reviewer.get(reverse("admin:logins_failedlogin_changelist")).status_code == 200
    response = reviewer.post(lockouts_url(), {"action": "lift_lockouts", "_selected_action": [attempt.pk]})
    assert response.status_code == 302
    assert not attempts().exists()
    assert signed_in(sign_in(client, "xianan", PASSWORD))


@pytest.mark.parametrize("username", ["xianan2", "minzheng"])
def test_county_and_department_staff_cannot_see_or_lift_lock_outs(client, roles, username):
    typos(client.__class__(), "xianan", 5)
    attempt = attempts().get(username="xianan")
    other = client.__class__()
    other.force_login(roles[username])
    for name in ("loginlockout", "failedlogin", "stafflogin"):
        assert other.get(reverse(f"admin:logins_{name}_changelist")).status_code == 403
    assert other.get(reverse("admin:logins_loginlockout_change", args=[attempt.pk])).status_code in (403, 404)
    other.post(lockouts_url(), {"action": "lift_lockouts", "_selected_action": [attempt.pk]})
    other.post(reverse("admin:logins_loginlockout_delete", args=[attempt.pk]), {"post": "yes"})
    assert attempts().filter(pk=attempt.pk).exists()
