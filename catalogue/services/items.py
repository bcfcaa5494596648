"""Adding, changing and deleting one item of a draft edition, whoever does it (the item's admin page, the
edition page's item rows, a script).

Rule source: a published catalogue is a public record, never edited in place (DOMAIN.md §8): an item
changes only while the edition it is in, and the one it moves to, are drafts. Each level keeps its own
catalogue, and department staff maintain the items their own body buys (DOMAIN.md §11); the 试点 flag
comes from municipal finance's review of a county's submission (DOMAIN.md §9). Who may do each is
decided in catalogue/permissions.py, which the item form and the import ask too.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from catalogue.models import Catalogue, CatalogueItem
from catalogue.permissions import (
    CHANGE,
    department_bodies_message,
    department_bodies_refusal,
    may_act_on,
    may_mark_pilot,
    may_move_item,
)

from .records import frozen_refusal


def _lock_editions(item):
    """Lock the edition the item is in (as stored) and the one it goes into, as publish_edition locks them,
    so a publication waits for this save or this save sees it; refuse when either is no longer a draft."""
    stored = CatalogueItem.objects.filter(pk=item.pk).values_list("edition_id", flat=True).first() if item.pk else None
    editions = Catalogue.objects.select_for_update().filter(pk__in={stored, item.edition_id} - {None}).order_by("pk")
    if any(edition.is_frozen for edition in editions):
        raise frozen_refusal(item)


def _require_scope(item, by):
    if not may_act_on(by, item, CHANGE):
        raise PermissionDenied(_("您无权修改该目录事项。"))


def save_item(item, *, by, purchasing_bodies=None, reason=""):
    """Save `item` (new or changed) and, when given, set its purchasing bodies; one transaction.

    `purchasing_bodies` None keeps the bodies as stored. Refused (PermissionDenied) when the edition is not
    a draft, the item or its edition is outside `by`'s scope, department staff would move the item to another
    edition, drop their own body or touch another body's place on the item, or anyone but municipal finance
    sets or changes 试点.
    """
    with transaction.atomic():
        _lock_editions(item)
        _require_scope(item, by)
        stored = CatalogueItem.objects.filter(pk=item.pk).first() if item.pk else None
        before = list(stored.purchasing_bodies.values_list("pk", flat=True)) if stored else []
        chosen = before if purchasing_bodies is None else [body.pk for body in purchasing_bodies]
        if stored and stored.edition_id != item.edition_id and not may_move_item(by):
            raise PermissionDenied(_("部门账号不能把事项移到其他目录，请联系本级财政部门。"))
        refusal = department_bodies_refusal(by, before, chosen)
        if refusal:
            raise PermissionDenied(department_bodies_message(by, refusal))
        if item.is_pilot != (stored.is_pilot if stored else False) and not may_mark_pilot(by):
            raise PermissionDenied(
                _("试点事项由县级财政部门报送、市财政局审核通过后产生，只有市财政局可以设置或改变“试点”标记。")
            )
        item.full_clean()
        item._history_user = by
        if reason:
            item._change_reason = reason
        item.save()
        if purchasing_bodies is not None:
            item.purchasing_bodies.set(purchasing_bodies)
        return item


def delete_item(item, *, by):
    """Delete `item` while its edition is a draft and the item within `by`'s scope."""
    with transaction.atomic():
        _lock_editions(item)
        _require_scope(item, by)
        item._history_user = by
        item.delete()
