"""Telling the people concerned that something in their work moved (issue 12, finding 3).

| event | who is told |
|---|---|
| a pilot item is submitted (or its submission withdrawn) | municipal finance |
| a pilot item is returned or approved | the county finance office of its region |
| a draft edition is opened | the departments of the edition's region (their items are in it, editable) |
| an edition is published, withdrawn, or its 文号/date corrected | the county finance office and the departments of its region |

The other services call these functions inside their own transaction: the notifications are rows
written with the change, so a refused or rolled-back operation tells nobody anything. The email
copy is sent by transaction.on_commit, after the change is safe; a failed email is logged and
never fails the operation (the notification in the admin is the record; the email a courtesy).
The person who acted is never told about their own act.

Mail goes through Django's email settings (README, Notifications by email): the console under
`make run`, SMTP when DJANGO_EMAIL_HOST is set.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalogue.models import Notification, StaffProfile

logger = logging.getLogger(__name__)

Kind = Notification.Kind
Role = StaffProfile.Role


# Recipients ---------------------------------------------------------------------------------------


def _staff(**profile):
    users = get_user_model().objects.filter(is_active=True, is_staff=True)
    return users.filter(**{f"staff_profile__{lookup}": value for lookup, value in profile.items()})


def municipal_finance():
    return _staff(role=Role.MUNICIPAL_FINANCE)


def county_office(region_id):
    return _staff(role=Role.COUNTY_FINANCE, region_id=region_id)


def departments_of(region_id):
    return _staff(role=Role.DEPARTMENT, purchasing_body__region_id=region_id)


def region_offices(region_id):
    """The county finance office and the departments of a region: who an edition's fate concerns."""
    return (county_office(region_id) | departments_of(region_id)).distinct()


# Writing them -------------------------------------------------------------------------------------


def open_path(notification):
    """The admin path that marks the notification read and goes on to its record."""
    return reverse("admin:catalogue_notification_open", args=[notification.pk])


def notify(recipients, kind, target, *, by=None, title, body=""):
    """Write one notification per recipient (the actor excluded) and send the emails after commit."""
    target_type = ContentType.objects.get_for_model(type(target))
    users = [user for user in recipients.order_by("pk") if by is None or user.pk != by.pk]
    created = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=kind,
            title=title[:300],
            body=body,
            target_type=target_type,
            target_id=target.pk,
            actor=by,
        )
        for user in users
    )
    ids = [notification.pk for notification in created if notification.recipient.email]
    if ids:
        transaction.on_commit(lambda: send_emails(ids), robust=True)
    return created


def send_emails(ids):
    """Email each notification to its recipient; a failure is logged, never raised."""
    notifications = Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).select_related("recipient")
    for notification in notifications:
        try:
            with translation.override(settings.LANGUAGE_CODE):
                link = f"{settings.PUBLIC_URL}{open_path(notification)}"
                lines = [notification.title, notification.body, _("查看：%(link)s") % {"link": link}]
                send_mail(
                    subject=f"{settings.EMAIL_SUBJECT_PREFIX}{notification.title}",
                    message="\n\n".join(line for line in lines if line),
                    from_email=None,
                    recipient_list=[notification.recipient.email],
                )
        except Exception:  # any backend failure: the operation is done, the notification stays in the admin
            logger.exception("could not email notification %s to %s", notification.pk, notification.recipient)
            continue
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())


def _in_site_language(build):
    # A notification is a record, written once in the site's language whoever triggered it.
    with translation.override(settings.LANGUAGE_CODE):
        return build()


def _pilot_name(pilot):
    return f"{pilot.region.name}{pilot.fiscal_year}年 · {pilot.name}"


# The events ---------------------------------------------------------------------------------------


def pilot_submitted(pilot, *, by, comment=""):
    title, body = _in_site_language(
        lambda: (_("待审核：%(pilot)s 已报送") % {"pilot": _pilot_name(pilot)}, comment)
    )
    return notify(municipal_finance(), Kind.SUBMITTED, pilot, by=by, title=title, body=body)


def pilot_submission_withdrawn(pilot, *, by, comment=""):
    title, body = _in_site_language(
        lambda: (_("已撤回报送：%(pilot)s，无需审核") % {"pilot": _pilot_name(pilot)}, comment)
    )
    return notify(municipal_finance(), Kind.SUBMISSION_WITHDRAWN, pilot, by=by, title=title, body=body)


def pilot_returned(pilot, *, by, reason):
    title, body = _in_site_language(
        lambda: (_("被退回：%(pilot)s，请按退回理由修改后重新报送") % {"pilot": _pilot_name(pilot)}, reason)
    )
    return notify(county_office(pilot.region_id), Kind.RETURNED, pilot, by=by, title=title, body=body)


def pilot_approved(pilot, *, by, comment=""):
    def build():
        title = _("已通过：%(pilot)s，已列入%(edition)s") % {
            "pilot": _pilot_name(pilot),
            "edition": f"{pilot.catalogue_item.edition.region.name}{pilot.catalogue_item.edition.label}",
        }
        return title, comment

    title, body = _in_site_language(build)
    return notify(county_office(pilot.region_id), Kind.APPROVED, pilot, by=by, title=title, body=body)


def draft_opened(edition, *, by):
    title, body = _in_site_language(
        lambda: (
            _("目录草稿已开放编制：%(edition)s（%(label)s）") % {"edition": edition.title, "label": edition.label},
            _("本单位购买的事项可在草稿中修改，发布前请核对。"),
        )
    )
    return notify(departments_of(edition.region_id), Kind.DRAFT_OPENED, edition, by=by, title=title, body=body)


def edition_published(edition, *, by):
    title = _in_site_language(
        lambda: _("已发布：%(edition)s（%(number)s）") % {"edition": edition.title, "number": edition.document_number}
    )
    return notify(region_offices(edition.region_id), Kind.PUBLISHED, edition, by=by, title=title)


def edition_withdrawn(edition, *, by, reason):
    title = _in_site_language(lambda: _("已撤回：%(edition)s（%(label)s）") % {"edition": edition.title, "label": edition.label})
    return notify(region_offices(edition.region_id), Kind.WITHDRAWN, edition, by=by, title=title, body=reason)


def publication_corrected(edition, *, by, summary):
    title = _in_site_language(
        lambda: _("发布信息已更正：%(edition)s（%(label)s）") % {"edition": edition.title, "label": edition.label}
    )
    return notify(region_offices(edition.region_id), Kind.CORRECTED, edition, by=by, title=title, body=summary)
