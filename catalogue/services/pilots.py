"""The pilot-item review: a county office submits, municipal finance returns or approves.

Rule source: from 2015 the counties pick items of strong public-welfare
character to pilot (咸政办发〔2015〕39号 二(二)); the city compiles and
publishes. The allowed transitions are PilotItem.TRANSITIONS; every step is
recorded as a PilotTransition with who, when and the comment. Each step locks
the row, so when two reviewers act at once exactly one succeeds and the other
is told what happened.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from catalogue.models import PILOT_LIFECYCLE, CatalogueItem, PilotItem, PilotTransition
from catalogue.permissions import CHANGE, may_act_on, may_review, may_submit_pilot_item
from catalogue.scopes import Scope

from . import notifications
from .editions import draft_edition_for
from .records import lock_unfrozen


def _transition(pilot, action, *, by, comment=""):
    """Lock the pilot item, check the move is allowed from its current state, and record it."""
    locked = PilotItem.objects.select_for_update().select_related("region", "category").get(pk=pilot.pk)
    from_status, target = PILOT_LIFECYCLE.step(locked, action, by=by, reason=comment)
    PilotTransition.objects.create(
        pilot_item=locked, action=action, from_status=from_status, to_status=target, by=by, comment=comment
    )
    return locked


def _require_county_of(pilot, by, message):
    if not may_submit_pilot_item(by, pilot):
        raise PermissionDenied(message)


def _require_writer(pilot, by):
    if not may_act_on(by, pilot, CHANGE):
        raise PermissionDenied(_("只有本县（市、区）财政部门可以填写、修改或删除该试点事项。"))


def save_pilot_draft(pilot, *, by):
    """A county office saves its pilot item as far as it is written: a new draft, or its draft or returned
    item changed. What a submission needs is asked only when it is submitted (submit_pilot_item).

    The proposal is the county's (DOMAIN.md §9): a county office writes its own region's items, and a new
    one belongs to its region whatever the form said; municipal finance reviews through 通过 / 退回 and never
    rewrites it (catalogue.permissions, CHANGE). The stored row is locked, and a submitted or approved item
    (PilotItem.is_frozen) is refused, so a save that raced a 报送 does not change what was sent.
    """
    scope = Scope.of(by)
    with transaction.atomic():
        if pilot.pk is None:
            pilot.created_by = by
        else:
            _require_writer(lock_unfrozen(pilot), by)
        if scope.is_county:
            pilot.region_id = scope.region_id
        _require_writer(pilot, by)
        pilot._history_user = by
        pilot.save()
        return pilot


def delete_pilot_draft(pilot, *, by):
    """The county office deletes a draft (PilotItem.is_deletable); once sent, the item and its trail are kept."""
    with transaction.atomic():
        stored = lock_unfrozen(pilot)
        _require_writer(stored, by)
        if not stored.is_deletable:
            raise PermissionDenied(_("只有草稿可以删除；已报送、已退回或已通过的试点事项及其流转记录须保留。"))
        stored._history_user = by
        stored.delete()


def submit_pilot_item(pilot, *, by, comment=""):
    """A county office sends its draft (or a returned item, revised) to municipal finance.

    A draft may be saved incomplete; what a submission needs (PilotItem.submission_errors) is
    checked here, and municipal finance is told (catalogue/services/notifications.py).
    """
    _require_county_of(pilot, by, _("只有本县（市、区）财政部门可以报送该试点事项。"))
    with transaction.atomic():
        locked = _transition(pilot, PilotItem.Action.SUBMIT, by=by, comment=comment)
        missing = locked.submission_errors()
        if missing:
            raise ValidationError(missing)
        locked.full_clean()
        locked.save()
        notifications.pilot_submitted(locked, by=by, comment=comment)
        return locked


def withdraw_pilot_submission(pilot, *, by, comment=""):
    """The county office takes a submission back before municipal finance has decided on it.

    It becomes a draft again, to be changed and submitted anew; the step stays in the trail and
    municipal finance is told it need not review it.
    """
    _require_county_of(pilot, by, _("只有报送该事项的县（市、区）财政部门可以撤回报送。"))
    with transaction.atomic():
        locked = _transition(pilot, PilotItem.Action.WITHDRAW, by=by, comment=comment)
        locked.save()
        notifications.pilot_submission_withdrawn(locked, by=by, comment=comment)
        return locked


def return_pilot_item(pilot, *, by, reason):
    """Municipal finance sends a submission back with the reason the county must address."""
    if not may_review(by):
        raise PermissionDenied(_("只有市财政局可以退回试点事项。"))
    if not (reason or "").strip():
        raise ValidationError({"comment": _("退回时须填写理由，告诉报送单位需要修改什么。")})
    with transaction.atomic():
        locked = _transition(pilot, PilotItem.Action.RETURN, by=by, comment=reason.strip())
        locked.save()
        notifications.pilot_returned(locked, by=by, reason=reason.strip())
        return locked


def approve_pilot_item(pilot, *, by, comment=""):
    """Municipal finance approves: the item becomes a pilot item of the county's draft edition for the year.

    When the county's edition for that year is already published, the next
    revision is opened as a draft (a published edition is frozen); when the county has no
    catalogue for that year yet, the year is opened as 编制下一年度目录 opens it, from the newest
    published edition, so the draft is a whole catalogue and not the one item (issue 12, finding 1).
    """
    if not may_review(by):
        raise PermissionDenied(_("只有市财政局可以审核通过试点事项。"))
    with transaction.atomic():
        locked = _transition(pilot, PilotItem.Action.APPROVE, by=by, comment=comment)
        edition = draft_edition_for(locked.region, locked.fiscal_year, by=by)
        item = CatalogueItem.built_from(
            locked, edition=edition, category=locked.category, code="", budget=locked.planned_budget, is_pilot=True
        )
        item.full_clean()
        item._history_user = by
        item.save()
        item.purchasing_bodies.set(locked.purchasing_bodies.all())
        locked.catalogue_item = item
        locked.save()
        notifications.pilot_approved(locked, by=by, comment=comment)
        return locked
