"""Writing imported rows into a draft edition: all rows or none.

Rule source: only items in the catalogue may be bought, and each level keeps
its own catalogue (咸政办发〔2015〕39号 二(二)); a published edition is frozen
(DOMAIN.md §8), so rows go only into a draft, and only a user who may edit
that draft may add them: municipal finance, the county office of the
edition's region, or department staff for items their own body buys
(DOMAIN.md §11). The rows were checked for the preview; the checks that
depend on the database are run again here under the edition's lock, every
item is full_clean()ed, and one failure writes nothing.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from catalogue.imports import COLUMN_LABELS, ImportRejected, Lookups, RowError, assign_codes, check_rows
from catalogue.models import Catalogue, CatalogueItem
from catalogue.scopes import Scope

BATCH_SIZE = 500

# Model field -> the spreadsheet column a clerk should correct.
FIELD_COLUMNS = {
    "code": "code",
    "category": "type",
    "name": "name",
    "content": "content",
    "provider_requirements": "provider_requirements",
    "procurement_method": "procurement_method",
    "performance_standard": "performance_standard",
    "budget": "budget",
    "is_pilot": "is_pilot",
    "notes": "notes",
}


def may_import(user, edition):
    """Whether `user` may add items to `edition` by import (its status is checked separately)."""
    scope = Scope.of(user)
    if scope.sees_everything:
        return True
    if scope.is_county:
        return scope.region_id == edition.region_id
    if scope.is_department:
        return Catalogue.objects.visible_to(user).filter(pk=edition.pk).exists()
    return False


def require_draft(edition):
    if not edition.is_draft:
        raise ValidationError(
            _("“%(edition)s”当前为“%(status)s”，不能再导入事项；只有草稿可以导入，如需调整请新建修订版次（动态调整）。")
            % {"edition": edition, "status": edition.get_status_display()}
        )


def import_items(edition, rows, *, by):
    """Create one CatalogueItem per ImportRow in `edition`, or none; return the created items.

    Raises PermissionDenied when `by` may not edit the edition, ValidationError
    when it is not a draft, and ImportRejected (a ValidationError listing row
    and column) when any row breaks a rule.
    """
    if not may_import(by, edition):
        raise PermissionDenied(_("您无权向该目录导入事项。"))
    if not rows:
        raise ValidationError(_("没有可导入的事项。"))
    with transaction.atomic():
        locked = Catalogue.objects.select_for_update().select_related("region").get(pk=edition.pk)
        require_draft(locked)
        for row in rows:
            if row.auto_code:
                # Numbered again below: items may have been added since the preview.
                row.code, row.auto_code = "", False
        lookups = Lookups(locked, by)
        errors = check_rows(locked, rows, by, lookups)
        if errors:
            raise ImportRejected(errors)
        assign_codes(rows, lookups)
        items = [_build(locked, row, lookups) for row in rows]
        errors = [error for row, item in zip(rows, items) for error in _clean(row, item)]
        if errors:
            raise ImportRejected(errors)
        try:
            with transaction.atomic():
                created = bulk_create_with_history(
                    items,
                    CatalogueItem,
                    batch_size=BATCH_SIZE,
                    default_user=by,
                    default_change_reason=_("从文件导入"),
                )
                Through = CatalogueItem.purchasing_bodies.through
                Through.objects.bulk_create(
                    [
                        Through(catalogueitem_id=item.pk, purchasingbody_id=body_id)
                        for row, item in zip(rows, created)
                        for body_id in row.body_ids
                    ],
                    batch_size=BATCH_SIZE * 2,
                )
        except IntegrityError:
            # Another clerk saved an item with one of these codes after our check.
            raise ValidationError(_("导入时目录中的事项发生了变化（编码冲突），没有写入任何事项，请重新上传。")) from None
        return created


def _build(edition, row, lookups):
    # bulk_create skips save(); built_from builds the search document save() would have.
    return CatalogueItem.built_from(row, edition=edition, category=lookups.categories[row.category_id])


def _clean(row, item):
    """full_clean one item; its errors as RowErrors on the spreadsheet's columns.

    The edition and category exist (checked once for all rows under the lock, and
    by the foreign keys), and code uniqueness in the edition was checked for the
    whole file by check_rows; skipping those per-item queries keeps a 5,000-row
    import to a fixed number of queries. clean() itself (leaf category, draft
    edition) and every field validator (budget ≥ 0, lengths, choices) still run.
    """
    try:
        item.full_clean(exclude=["edition", "category"], validate_constraints=False)
    except ValidationError as exc:
        errors = []
        for field, messages in exc.message_dict.items():
            key = FIELD_COLUMNS.get(field)
            column = str(COLUMN_LABELS[key]) if key else None
            errors.extend(RowError(row.row, column, message) for message in messages)
        return errors
    return []
