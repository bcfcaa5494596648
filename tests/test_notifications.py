"""通知: each step of the work tells the people it concerns, in the admin and by email (issue 12, finding 3).

A notification is only ever its recipient's: every other role is tried against it.
"""

import io
from datetime import date

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command

from catalogue.models import Catalogue, Notification, PilotItem
from catalogue.services import (
    approve_pilot_item,
    open_next_year,
    open_revision,
    publish_edition,
    return_pilot_item,
    submit_pilot_item,
    withdraw_edition,
    withdraw_pilot_submission,
)
from tests import factories as f
from tests.staff_builders import admin_url

Kind = Notification.Kind


class FailingBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


@pytest.fixture
def people():
    """Municipal finance, two county offices, a department of 咸安区 and one of the city, with addresses."""
    xianan_body = f.purchasing_body("咸安区民政局", region_slug="xianan")
    users = {
        "shicaizheng": f.municipal("shicaizheng"),
        "shicaizheng2": f.municipal("shicaizheng2"),
        "xianan": f.county("xianan", "xianan"),
        "chibi": f.county("chibi", "chibi"),
        "xianan_minzheng": f.department("xianan_minzheng", xianan_body),
        "minzheng": f.department("minzheng", f.purchasing_body("咸宁市民政局")),
    }
    for name, user in users.items():
        user.email = f"{name}@xianning.example"
        user.save(update_fields=["email"])
    call_command("setup_roles", verbosity=0, stdout=io.StringIO())  # the role groups carry the permissions
    return users


def told(kind=None):
    """{username: [titles]} of the notifications written, optionally of one kind."""
    rows = Notification.objects.select_related("recipient").order_by("pk")
    if kind:
        rows = rows.filter(kind=kind)
    result = {}
    for row in rows:
        result.setdefault(row.recipient.username, []).append(row.title)
    return result


def test_a_submission_tells_municipal_finance_and_nobody_else(people, django_capture_on_commit_callbacks):
    pilot = f.pilot_item()
    with django_capture_on_commit_callbacks(execute=True):
        submit_pilot_item(pilot, by=people["xianan"], comment="请审核")
    assert sorted(told()) == ["shicaizheng", "shicaizheng2"]
    note = Notification.objects.get(recipient=people["shicaizheng"])
    assert note.kind == Kind.SUBMITTED and "咸安区农村特困供养机构托管" in note.title and note.body == "请审核"
    assert note.target_id == pilot.pk and note.actor == people["xianan"] and not note.is_read
    assert sorted(message.to[0] for message in mail.outbox) == [
        "shicaizheng2@xianning.example",
        "shicaizheng@xianning.example",
    ]
    assert f"/admin/catalogue/notification/{note.pk}/open/" in next(
        m.body for m in mail.outbox if m.to == ["shicaizheng@xianning.example"]
    )


def test_a_return_and_an_approval_tell_the_county_office_of_that_region_only(people):
    pilot = submit_pilot_item(f.pilot_item(), by=people["xianan"])
    Notification.objects.all().delete()
    return_pilot_item(pilot, by=people["shicaizheng"], reason="请补充预算测算依据")
    assert told() == {"xianan": [told()["xianan"][0]]}
    returned = Notification.objects.get()
    assert returned.kind == Kind.RETURNED and returned.body == "请补充预算测算依据"
    Notification.objects.all().delete()
    pilot = submit_pilot_item(pilot, by=people["xianan"])
    Notification.objects.filter(kind=Kind.SUBMITTED).delete()
    approve_pilot_item(pilot, by=people["shicaizheng"])
    assert told(Kind.APPROVED).keys() == {"xianan"}
    assert "chibi" not in told()


def test_withdrawing_a_submission_tells_municipal_finance(people):
    pilot = submit_pilot_item(f.pilot_item(), by=people["xianan"])
    withdraw_pilot_submission(pilot, by=people["xianan"], comment="需要补充材料")
    assert sorted(told(Kind.SUBMISSION_WITHDRAWN)) == ["shicaizheng", "shicaizheng2"]


def test_opening_a_draft_tells_the_departments_of_that_region(people):
    f.edition(region_slug="xianan", year=2017)
    open_next_year(f.region("xianan"), 2018, by=people["xianan"])
    assert told() == {"xianan_minzheng": [told()["xianan_minzheng"][0]]}
    assert Notification.objects.get().kind == Kind.DRAFT_OPENED

    city = f.edition(year=2017)
    f.item(city)
    open_revision(city, by=people["shicaizheng"])
    assert "minzheng" in told(Kind.DRAFT_OPENED)


def test_publishing_and_withdrawing_tell_the_county_and_the_departments_concerned(people):
    draft = f.edition(region_slug="xianan", year=2018, status=Catalogue.Status.DRAFT)
    f.item(draft)
    publish_edition(draft, by=people["shicaizheng"], document_number="咸安财发〔2018〕3号", published_on=date(2018, 3, 1))
    assert sorted(told(Kind.PUBLISHED)) == ["xianan", "xianan_minzheng"]
    withdraw_edition(draft, by=people["shicaizheng"], reason="文号有误，重新印发")
    assert sorted(told(Kind.WITHDRAWN)) == ["xianan", "xianan_minzheng"]
    assert Notification.objects.filter(kind=Kind.WITHDRAWN).first().body == "文号有误，重新印发"


def test_the_one_who_acted_is_not_told_of_their_own_act(people):
    pilot = submit_pilot_item(f.pilot_item(), by=people["xianan"])
    assert "xianan" not in told()
    return_pilot_item(pilot, by=people["shicaizheng"], reason="请补充")
    assert "shicaizheng" not in told(Kind.RETURNED)


def test_a_refused_operation_tells_nobody(people):
    pilot = f.pilot_item(planned_budget=None, reason="")
    with pytest.raises(Exception):
        submit_pilot_item(pilot, by=people["xianan"])
    assert Notification.objects.count() == 0


def test_a_failed_email_never_fails_the_operation(people, settings, django_capture_on_commit_callbacks, caplog):
    settings.EMAIL_BACKEND = "tests.test_notifications.FailingBackend"
    pilot = f.pilot_item()
    with django_capture_on_commit_callbacks(execute=True):
        submitted = submit_pilot_item(pilot, by=people["xianan"])
    assert submitted.status == PilotItem.Status.SUBMITTED
    assert Notification.objects.filter(recipient=people["shicaizheng"], emailed_at__isnull=True).exists()
    assert "could not email notification" in caplog.text


def test_emails_leave_only_after_the_change_is_committed(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit_pilot_item(f.pilot_item(), by=people["xianan"])
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


# The admin ---------------------------------------------------------------------------------------


def test_the_header_counts_the_unread_and_opening_one_marks_it_read_and_shows_its_record(client, people):
    pilot = submit_pilot_item(f.pilot_item(), by=people["xianan"])
    note = Notification.objects.get(recipient=people["shicaizheng"])
    client.force_login(people["shicaizheng"])
    page = client.get(admin_url(Catalogue, "changelist")).content.decode()
    assert 'class="notifications-count"' in page and ">1</span>" in page
    listing = client.get(admin_url(Notification, "changelist")).content.decode()
    assert note.title in listing
    response = client.get(admin_url(Notification, "open", note.pk))
    assert response.status_code == 302 and response.url == admin_url(PilotItem, "change", pilot.pk)
    note.refresh_from_db()
    assert note.is_read
    assert 'class="notifications-count"' not in client.get(admin_url(Catalogue, "changelist")).content.decode()


@pytest.mark.parametrize("other", ["shicaizheng2", "xianan", "chibi", "minzheng", "xianan_minzheng", "superuser"])
def test_a_notification_is_shown_only_to_its_recipient(client, people, other):
    submit_pilot_item(f.pilot_item(), by=people["xianan"])
    note = Notification.objects.get(recipient=people["shicaizheng"])
    intruder = f.staff_user("root") if other == "superuser" else people[other]
    client.force_login(intruder)
    listing = client.get(admin_url(Notification, "changelist")).content.decode()
    assert admin_url(Notification, "open", note.pk) not in listing
    assert client.get(admin_url(Notification, "open", note.pk)).status_code == 404
    assert client.get(admin_url(Notification, "change", note.pk)).status_code == 404
    client.post(
        admin_url(Notification, "changelist"), {"action": "mark_read", "_selected_action": [note.pk]}
    )
    note.refresh_from_db()
    assert not note.is_read


def test_nobody_adds_edits_or_deletes_notifications_in_the_admin(client, people):
    submit_pilot_item(f.pilot_item(), by=people["xianan"])
    note = Notification.objects.get(recipient=people["shicaizheng"])
    client.force_login(people["shicaizheng"])
    assert client.get(admin_url(Notification, "add")).status_code == 403
    assert client.post(admin_url(Notification, "delete", note.pk)).status_code in (403, 404)
    assert Notification.objects.filter(pk=note.pk).exists()


# Email settings --------------------------------------------------------------------------------------


def email_settings(**env):
    import os
    import subprocess
    import sys

    probe = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.EMAIL_BACKEND, settings.EMAIL_HOST or '-', settings.EMAIL_PORT, settings.EMAIL_USE_TLS, "
        "settings.EMAIL_USE_SSL, settings.EMAIL_TIMEOUT)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    clean.update(env, DJANGO_SETTINGS_MODULE="procurement.settings.base", DJANGO_SECRET_KEY="k")
    result = subprocess.run([sys.executable, "-c", probe], env=clean, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_email_goes_to_the_console_unless_an_smtp_host_is_set():
    assert email_settings() == ["django.core.mail.backends.console.EmailBackend", "-", "587", "True", "False", "10"]
    assert email_settings(DJANGO_EMAIL_HOST="smtp.xianning.gov.cn", DJANGO_EMAIL_USE_SSL="1", DJANGO_EMAIL_PORT="465") == [
        "django.core.mail.backends.smtp.EmailBackend", "smtp.xianning.gov.cn", "465", "False", "True", "10"
    ]
