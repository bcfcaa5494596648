"""Writing imported rows into a draft edition: all rows or none.

Rule source: only items in the catalogue may be bought, and each level keeps
its own catalogue (咸政办发〔2015〕39号 二(二)); a published edition is frozen
(DOMAIN.md §8), so rows go only into a draft, and only a user who may edit
that draft may add them: municipal finance, the county office of the
edition's region, or department staff for items their own body buys
(DOMAIN.md §11). The rows were checked for the preview; the checks that
depend on the database are run again here under the edition's lock, every
item is full_clean()ed, and one failure writes nothing.

In UPDATE mode (catalogue/imports/rows.py, Mode) a row whose 编码 names an item of the edition
updates it: the pairing and the field-by-field changes are worked out again under the lock, and
if they are not what the preview showed (a colleague edited the item meanwhile) nothing is
written. Changed items are saved one by one, as the admin saves them, so each keeps a full
history record (its purchasing bodies included); unchanged rows cost nothing, new rows go in
bulk as before.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from catalogue.imports import COLUMN_LABELS, ImportRejected, Lookups, RowError, assign_codes, check_rows
from catalogue.imports.rows import CHANGED, NEW, Mode, match_existing
from catalogue.models import Catalogue, CatalogueItem
from catalogue.permissions import IMPORT, may_act_on

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


def require_draft(edition):
    if not edition.is_draft:
        raise ValidationError(
            _("“%(edition)s”当前为“%(status)s”，不能再导入事项；只有草稿可以导入，如需调整请新建修订版次（动态调整）。")
            % {"edition": edition, "status": edition.get_status_display()}
        )


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: int = 0


def _plan(rows):
    """What the preview promised: each row's item, action and changes."""
    return [(row.row, row.item_id, row.action, row.changes) for row in rows]


def import_items(edition, rows, *, by, mode=Mode.ADD, columns=None):
    """Write the ImportRows into `edition`, all or none; return an ImportResult.

    ADD: one new CatalogueItem per row. UPDATE: rows paired with an item by 编码 update it where
    they differ, the others are added; `columns` are the keys of the columns the file had (a
    missing one keeps the item's value). Raises PermissionDenied when `by` may not edit the
    edition, ValidationError when it is not a draft or its items changed since the preview, and
    ImportRejected (a ValidationError listing row and column) when any row breaks a rule.
    """
    if not may_act_on(by, edition, IMPORT):
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
        if mode == Mode.UPDATE:
            promised = _plan(rows)
            match_existing(rows, lookups, columns if columns is not None else list(COLUMN_LABELS))
            if _plan(rows) != promised:
                raise ValidationError(
                    _("预览之后本目录中的事项有了变动，与预览不符，没有写入任何内容；请重新上传文件，核对新的预览。")
                )
        errors = check_rows(locked, rows, by, lookups, mode=mode)
        if errors:
            raise ImportRejected(errors)
        assign_codes(rows, lookups)
        new_rows = [row for row in rows if row.action == NEW]
        changed_rows = [row for row in rows if row.action == CHANGED]
        items = [_build(locked, row, lookups) for row in new_rows]
        updated = _updated_items(changed_rows, lookups)
        errors = [
            error
            for row, item in [*zip(new_rows, items), *zip(changed_rows, updated)]
            for error in _clean(row, item)
        ]
        if errors:
            raise ImportRejected(sorted(errors, key=lambda error: error.row or 0))
        result = ImportResult(updated=updated, unchanged=len(rows) - len(new_rows) - len(changed_rows))
        try:
            with transaction.atomic():
                if items:
                    result.created = _create(items, new_rows, by)
                for row, item in zip(changed_rows, updated):
                    _update(item, row, by)
        except IntegrityError:
            # Another clerk saved an item with one of these codes after our check.
            raise ValidationError(_("导入时目录中的事项发生了变化（编码冲突），没有写入任何事项，请重新上传。")) from None
        return result


def _create(items, rows, by):
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
    return created


def _updated_items(rows, lookups):
    """The items the rows change, locked, with the rows' values set (not yet saved)."""
    if not rows:
        return []
    locked = CatalogueItem.objects.select_for_update().select_related("edition").in_bulk([row.item_id for row in rows])
    items = []
    for row in rows:
        item = locked[row.item_id]
        for name in CatalogueItem.CONTENT_FIELDS:
            setattr(item, name, getattr(row, name))
        item.category = lookups.categories[row.category_id]
        items.append(item)
    return items


def _update(item, row, by):
    """Save one changed item as the admin would: one history record, its bodies included."""
    if sorted(row.body_ids) != sorted(item.purchasing_bodies.values_list("pk", flat=True)):
        item.skip_history_when_saving = True  # the save below records the new bodies
        try:
            item.purchasing_bodies.set(row.body_ids)
        finally:
            del item.skip_history_when_saving
    item._history_user = by
    item._change_reason = _("从文件导入（按编码更新）：%(columns)s") % {
        "columns": "、".join(change["column"] for change in row.changes)
    }
    item.save()


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
        for name, messages in exc.message_dict.items():
            key = FIELD_COLUMNS.get(name)
            column = str(COLUMN_LABELS[key]) if key else None
            errors.extend(RowError(row.row, column, message) for message in messages)
        return errors
    return []
