"""Each role's work queue on the admin's front page (templates/admin/index.html, through the template tag
catalogue/templatetags/staff_queues.py).

- municipal finance: submissions waiting for review, oldest first, with their age in days;
- a county office: its items returned for revision (with the reason), and the state of everything
  it has sent;
- department staff: the items of its body in draft editions, which it may still change.
Every list reads through visible_to / editable_by, so a queue never shows another scope's rows.
"""

from dataclasses import dataclass, field

from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import CatalogueItem, PilotItem
from catalogue.permissions import may_review
from catalogue.scopes import Scope
from catalogue.staff_links import changelist_url

# A queue lists at most this many rows and links to the full changelist for the rest.
QUEUE_LENGTH = 30


@dataclass
class Queue:
    key: str
    title: str
    columns: list
    rows: list = field(default_factory=list)
    total: int = 0
    empty: str = ""
    more_url: str = ""
    # The column of free text (a return reason) that wraps and takes the width; the others stay on one line.
    text_column: int | None = None


def _pilot_row(pilot, now, *cells):
    days = _("%(days)s 天") % {"days": pilot.days_in_state(now)}
    return {"url": reverse("admin:catalogue_pilotitem_change", args=[pilot.pk]), "cells": [*cells, days]}


def _oldest_first(queryset):
    return queryset.order_by(Coalesce("status_changed_at", "created_at").asc(), "pk")


def review_queue(user, now):
    waiting = _oldest_first(PilotItem.objects.visible_to(user).waiting_for_review().select_related("region"))
    return Queue(
        key="review",
        title=_("待审核的试点事项（最早报送的在前）"),
        columns=[_("事项名称"), _("行政区划"), _("年度"), _("已等待")],
        rows=[_pilot_row(p, now, p.name, p.region.name, p.fiscal_year) for p in waiting[:QUEUE_LENGTH]],
        total=waiting.count(),
        empty=_("没有等待审核的报送。"),
        more_url=changelist_url(PilotItem, status__exact=PilotItem.Status.SUBMITTED),
    )


def returned_queue(user, now):
    returned = _oldest_first(PilotItem.objects.visible_to(user).returned().prefetch_related("transitions"))
    rows = []
    for pilot in returned[:QUEUE_LENGTH]:
        step = pilot.current_step  # the 退回 that brought it back, with the reason
        rows.append(_pilot_row(pilot, now, pilot.name, pilot.fiscal_year, step.comment if step else ""))
    return Queue(
        key="returned",
        title=_("被退回待修改的试点事项"),
        columns=[_("事项名称"), _("年度"), _("退回理由"), _("退回至今")],
        rows=rows,
        total=returned.count(),
        empty=_("没有被退回的事项。"),
        more_url=changelist_url(PilotItem, status__exact=PilotItem.Status.RETURNED),
        text_column=2,
    )


def sent_queue(user, now):
    sent = (
        PilotItem.objects.visible_to(user)
        .exclude(status=PilotItem.Status.DRAFT)
        .order_by("-status_changed_at", "-pk")
    )
    return Queue(
        key="sent",
        title=_("本单位报送的试点事项及其状态"),
        columns=[_("事项名称"), _("年度"), _("状态"), _("已持续")],
        rows=[_pilot_row(p, now, p.name, p.fiscal_year, p.get_status_display()) for p in sent[:QUEUE_LENGTH]],
        total=sent.count(),
        empty=_("还没有报送过试点事项。"),
        more_url=changelist_url(PilotItem),
    )


def department_queue(user, now):
    drafts = (
        CatalogueItem.objects.editable_by(user)
        .select_related("edition__region")
        .order_by("edition__region__order", "-edition__year", "code")
    )
    rows = [
        {
            "url": reverse("admin:catalogue_catalogueitem_change", args=[item.pk]),
            "cells": [item.code, item.name, item.edition.region_label],
        }
        for item in drafts[:QUEUE_LENGTH]
    ]
    return Queue(
        key="department",
        title=_("本单位在草稿目录中的事项（可修改）"),
        columns=[_("编码"), _("事项名称"), _("所属目录")],
        rows=rows,
        total=drafts.count(),
        empty=_("草稿目录中没有本单位的事项。"),
        more_url=changelist_url(CatalogueItem, edition__status__exact="DRAFT"),
    )


def work_queues(user):
    """The queues of `user`'s role, newest data, each at most QUEUE_LENGTH rows (none for a role without one)."""
    scope = Scope.of(user)
    now = timezone.now()
    if may_review(scope):
        return [review_queue(user, now)]
    if scope.is_county:
        return [returned_queue(user, now), sent_queue(user, now)]
    if scope.is_department:
        return [department_queue(user, now)]
    return []
