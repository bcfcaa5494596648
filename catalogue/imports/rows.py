"""Turning rows into items and checking them against the database; see catalogue/imports/__init__.py."""

import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from catalogue.exports import FORMULA_STARTS
from catalogue.models import CatalogueItem, ProcurementMethod, PurchasingBody, ServiceCategory
from catalogue.models.items import ItemCodeNumbering
from catalogue.permissions import (
    OTHER_BODIES_CHANGED,
    OWN_BODY_MISSING,
    department_bodies_refusal,
    may_mark_pilot,
)
from catalogue.scopes import Scope

from .reading import COLUMN_LABELS, COLUMNS, normalise_label, spellings

@dataclass(frozen=True)
class RowError:
    row: int | None
    column: str | None
    message: str

    def __str__(self):
        if self.row and self.column:
            return _("第%(row)s行“%(column)s”列：%(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row:
            return _("第%(row)s行：%(message)s") % {"row": self.row, "message": self.message}
        return str(self.message)


class ImportRejected(ValidationError):
    """Rows that may not be written; carries every RowError so the preview can show them."""

    def __init__(self, row_errors):
        self.row_errors = list(row_errors)
        super().__init__([str(error) for error in self.row_errors])


class Mode:
    """How rows meet the items already in the edition.

    ADD: every row is a new item; an 编码 already used in the edition is an error.
    UPDATE: a row whose 编码 is an item of the edition updates that item (field by field, only what
    differs: the file exported from the edition, edited and imported again); any other row is added.
    """

    ADD = "add"
    UPDATE = "update"
    CHOICES = (ADD, UPDATE)


# What a row does in UPDATE mode (ADD mode: every row is NEW).
NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"

# Columns a file may lack. In UPDATE mode an existing item keeps what it has for them; a new item
# has them empty. Either way the preview names them, so nothing is lost without a word.
OPTIONAL_KEYS = ("code", "content", "provider_requirements", "is_pilot", "notes", "budget", "performance_standard")

# The 序号 of the blank template's example row (catalogue/imports/template.py): that row is never imported.
EXAMPLE_MARK = "示例"


@dataclass
class ImportRow:
    """One row, checked and resolved to ids: what the service writes. Plain values, so it fits a session."""

    row: int
    code: str
    category_id: int | None
    name: str
    content: str = ""
    body_ids: list = field(default_factory=list)
    provider_requirements: str = ""
    procurement_method: str = ""  # required: a row without a valid one never reaches the service
    performance_standard: str = ""
    budget: Decimal | None = None
    is_pilot: bool = False
    notes: str = ""
    # For the preview only.
    category_label: str = ""
    body_labels: list = field(default_factory=list)
    auto_code: bool = False
    # UPDATE mode: the item this row updates, what it does (NEW, CHANGED, UNCHANGED), the changes
    # as [{"column", "old", "new"}] in column order, and remarks for the clerk that are not errors.
    item_id: int | None = None
    action: str = NEW
    changes: list = field(default_factory=list)
    remarks: list = field(default_factory=list)

    def to_session(self):
        data = asdict(self)
        data["budget"] = None if self.budget is None else str(self.budget)
        return data

    @classmethod
    def from_session(cls, data):
        data = dict(data)
        data["budget"] = None if data.get("budget") is None else Decimal(data["budget"])
        return cls(**data)

    @property
    def procurement_method_label(self):
        return ProcurementMethod(self.procurement_method).label if self.procurement_method else ""


@dataclass
class Validation:
    rows: list
    errors: list
    ignored_headers: list = field(default_factory=list)
    mode: str = Mode.ADD
    columns: list = field(default_factory=list)  # the keys of the columns the file has
    example_rows: list = field(default_factory=list)  # row numbers of the template's example, skipped

    @property
    def ok(self):
        return not self.errors

    @property
    def missing_columns(self):
        """Labels of the optional columns the file lacks (in the official order)."""
        return [str(COLUMN_LABELS[key]) for key in COLUMN_LABELS if key in OPTIONAL_KEYS and key not in self.columns]

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    @property
    def new_count(self):
        return self.count(NEW)

    @property
    def changed_count(self):
        return self.count(CHANGED)

    @property
    def unchanged_count(self):
        return self.count(UNCHANGED)

    @property
    def changed_rows(self):
        return [row for row in self.rows if row.action == CHANGED]

    def errors_by_row(self):
        grouped = {}
        for error in self.errors:
            grouped.setdefault(error.row, []).append(error)
        return grouped


def _text(value):
    """A cell as text: numbers without a spurious .0, dates as ISO, the export's anti-formula apostrophe removed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        value = value.isoformat()
    text = str(value).strip()
    if text[:1] == "'" and text[1:2] and text[1:2] in FORMULA_STARTS:
        text = text[1:]
    return text


PILOT_YES = {"是", "y", "yes", "√", "✓", "✔", "true", "1", "试点"}
PILOT_NO = {"", "否", "n", "no", "×", "✗", "false", "0", "-", "—", "无"}
BODY_SEPARATORS = re.compile(r"[、，,；;\n]+")
BUDGET_LIMIT = Decimal(10) ** 12  # max_digits=14, decimal_places=2


def _pilot(text):
    value = text.strip().lower()
    if value in PILOT_YES:
        return True
    if value in PILOT_NO:
        return False
    raise ValueError(_("“%(value)s”不是有效的试点标记，请填写 是、否、Y、N、√ 或留空。") % {"value": text})


def _budget(raw):
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValueError(_("预算应填写金额（元），例如 120000 或 120000.00。"))
    if isinstance(raw, (int, float, Decimal)):
        text = str(raw)
    else:
        text = _text(raw).replace(",", "").replace("，", "").replace(" ", "")
        text = text.removesuffix("元")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(
            _("“%(value)s”不是金额，预算应填写阿拉伯数字（元），例如 120000 或 120000.00。") % {"value": _text(raw)}
        ) from None
    if not amount.is_finite():
        raise ValueError(_("预算应填写金额（元），例如 120000 或 120000.00。"))
    if amount < 0:
        raise ValueError(_("预算金额不能为负数。"))
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(_("预算金额最多保留两位小数（分）。"))
    if amount >= BUDGET_LIMIT:
        raise ValueError(_("预算金额过大，请以元为单位填写。"))
    return amount.quantize(Decimal("0.01"))


def _methods():
    methods = {}
    for value, label in ProcurementMethod.choices:
        for spelling in spellings(label):
            methods[normalise_label(spelling).lower()] = value
        methods[value.lower()] = value
    commission = ProcurementMethod.COMMISSION
    methods.update({"委托": commission, "承包": commission, "委托承包": commission})
    return methods


class Lookups:
    """What the rows are matched against, read in a fixed number of queries for any number of rows."""

    def __init__(self, edition, user):
        self.edition = edition
        self.user = user
        categories = list(
            ServiceCategory.objects.select_related("parent__parent").prefetch_related("children").order_by("code")
        )
        self.categories = {category.pk: category for category in categories}
        self.categories_by_code = {category.code: category for category in categories}
        self.leaves_by_name, self.others_by_name = {}, {}
        for category in categories:
            names = self.leaves_by_name if category.is_leaf else self.others_by_name
            names.setdefault(normalise_label(category.name), []).append(category)
        bodies = list(PurchasingBody.objects.visible_to(user).filter(region_id=edition.region_id).order_by("name"))
        self.bodies = {body.pk: body for body in bodies}
        self.bodies_by_name = {}
        for body in bodies:
            for name in {body.name, body.short_name} - {""}:
                self.bodies_by_name.setdefault(normalise_label(name), []).append(body)
        self._region_body_names = None
        self.existing_codes = set(
            CatalogueItem.objects.filter(edition_id=edition.pk).exclude(code="").values_list("code", flat=True)
        )
        self._existing = None

    def existing(self):
        """UPDATE mode: {编码: item} of the edition, bodies prefetched, and the ids the user may edit (2 + 2 queries)."""
        if self._existing is None:
            items = (
                CatalogueItem.objects.filter(edition_id=self.edition.pk)
                .exclude(code="")
                .prefetch_related("purchasing_bodies")
            )
            editable = set(
                CatalogueItem.objects.editable_by(self.user).filter(edition_id=self.edition.pk).values_list("pk", flat=True)
            )
            self._existing = ({item.code: item for item in items}, editable)
        return self._existing

    def body_exists_in_region(self, name):
        """Whether `name` is a body of the edition's region outside the user's scope (for a clearer message)."""
        if self._region_body_names is None:
            self._region_body_names = set()
            for body_name, short in PurchasingBody.objects.filter(region_id=self.edition.region_id).values_list(
                "name", "short_name"
            ):
                self._region_body_names |= {normalise_label(body_name), normalise_label(short)} - {""}
        return normalise_label(name) in self._region_body_names


def validate(table, edition, user, mode=Mode.ADD):
    """Every row of `table` as an ImportRow, with a RowError for each bad cell of each row.

    In UPDATE mode each row is also matched by 编码 with the edition's items (match_existing).
    """
    lookups = Lookups(edition, user)
    methods = _methods()
    columns = [key for key in COLUMN_LABELS if key in table.columns]
    rows, errors, examples = [], [], []
    for number, values in table.rows:
        cells = {key: values[position] for key, position in table.columns.items()}
        if _text(cells.get("seq")) == EXAMPLE_MARK:
            examples.append(number)
            continue
        row, row_errors = _resolve(number, cells, lookups, methods)
        rows.append(row)
        errors.extend(row_errors)
    if mode == Mode.UPDATE:
        if "code" not in columns:
            errors.append(RowError(None, None, _("按编码更新时，文件必须有“编码”列。")))
        else:
            match_existing(rows, lookups, columns)
    errors.extend(check_rows(edition, rows, user, lookups, mode=mode))
    errors.sort(key=lambda error: (error.row or 0, _column_order(error.column)))
    assign_codes(rows, lookups)
    return Validation(rows, errors, table.ignored_headers, mode=mode, columns=columns, example_rows=examples)


# Model field -> (column key, how the preview shows its value), in the official column order.
def _shown_text(value):
    return value if value not in (None, "") else _("（空）")


def _shown_budget(value):
    return f"{value:,.2f}" if value is not None else _("（空）")


def _shown_pilot(value):
    return _("是") if value else _("否")


def _shown_method(value):
    return str(ProcurementMethod(value).label) if value else _("（空）")


COMPARED = (
    ("category_id", "type"),
    ("name", "name"),
    ("content", "content"),
    ("body_ids", "purchasing_bodies"),
    ("provider_requirements", "provider_requirements"),
    ("procurement_method", "procurement_method"),
    ("is_pilot", "is_pilot"),
    ("notes", "notes"),
    ("budget", "budget"),
    ("performance_standard", "performance_standard"),
)


def match_existing(rows, lookups, columns):
    """UPDATE mode: pair each row with the edition's item of the same 编码 and list what would change.

    - a row with a blank 编码, or one the edition does not have, is NEW;
    - for an item the row names, a column the file lacks keeps the item's value (so an old file
      without 预算 or 绩效评价标准 does not erase them), and so does 试点 unless the user reviews
      pilot items: the flag comes from the review of a county's submission (DOMAIN.md §9), so an
      approved pilot item stays one when a county office re-imports its own table;
    - the row is CHANGED when any field differs, field by field, else UNCHANGED.
    Run for the preview and again under the edition's lock by the service.
    """
    existing, _editable = lookups.existing()
    reviewer = may_mark_pilot(lookups.user)
    for row in rows:
        row.item_id, row.action, row.changes, row.remarks = None, NEW, [], []
        item = existing.get(row.code) if row.code and not row.auto_code else None
        if item is None:
            continue
        row.item_id = item.pk
        current = _values_of(item)
        for key in OPTIONAL_KEYS:
            if key not in columns and key != "code":
                setattr(row, key, current[key])
        if row.is_pilot != item.is_pilot and not reviewer:
            if "is_pilot" in columns:
                row.remarks.append(
                    _("“试点”列与现有事项不同，已保持现有标记（%(flag)s）：试点事项由审核产生，导入不能改变。")
                    % {"flag": _shown_pilot(item.is_pilot)}
                )
            row.is_pilot = item.is_pilot
        row.changes = _differences(item, current, row, lookups)
        row.action = CHANGED if row.changes else UNCHANGED


def _values_of(item):
    values = {name: getattr(item, name) for name in CatalogueItem.CONTENT_FIELDS}
    values["category_id"] = item.category_id
    values["body_ids"] = sorted(body.pk for body in item.purchasing_bodies.all())
    return values


def _differences(item, current, row, lookups):
    changes = []
    for name, key in COMPARED:
        old, new = current[name], getattr(row, name)
        if name == "body_ids":
            if sorted(new) == old:
                continue
            old_text = "、".join(body.display_name for body in item.purchasing_bodies.all()) or _("（空）")
            new_text = "、".join(row.body_labels) or _("（空）")
        elif old == new:
            continue
        elif name == "category_id":
            old_text = str(lookups.categories.get(old, "")) or _("（空）")
            new_text = row.category_label or _("（空）")
        elif name == "budget":
            old_text, new_text = _shown_budget(old), _shown_budget(new)
        elif name == "is_pilot":
            old_text, new_text = _shown_pilot(old), _shown_pilot(new)
        elif name == "procurement_method":
            old_text, new_text = _shown_method(old), _shown_method(new)
        else:
            old_text, new_text = _shown_text(old), _shown_text(new)
        changes.append({"column": str(COLUMN_LABELS[key]), "old": str(old_text), "new": str(new_text)})
    return changes


def _column_order(label):
    labels = [str(column.label) for column in COLUMNS]
    return labels.index(label) if label in labels else len(labels)


def _resolve(number, cells, lookups, methods):
    errors = []

    def error(key, message):
        errors.append(RowError(number, str(COLUMN_LABELS[key]), str(message)))

    text = {key: _text(value) for key, value in cells.items()}
    for key in ("type", "name", "purchasing_bodies", "procurement_method"):
        if not text.get(key):
            error(key, _("此列必须填写。"))

    row = ImportRow(
        row=number,
        code=text.get("code", ""),
        category_id=None,
        name=text.get("name", ""),
        content=text.get("content", ""),
        provider_requirements=text.get("provider_requirements", ""),
        performance_standard=text.get("performance_standard", ""),
        notes=text.get("notes", ""),
    )
    for key, model_field in (("code", "code"), ("name", "name")):
        limit = CatalogueItem._meta.get_field(model_field).max_length
        if len(getattr(row, model_field)) > limit:
            error(key, _("内容过长：最多 %(max)s 个字，现有 %(length)s 个字。") % {"max": limit, "length": len(text[key])})
    if row.code and re.search(r"\s", row.code):
        error("code", _("编码中不能有空格或换行。"))

    if text.get("type"):
        category, message = _match_category(text["type"], text.get("area", ""), text.get("field", ""), lookups)
        if category is None:
            error("type", message)
        else:
            row.category_id = category.pk
            row.category_label = str(category)
            path = category.ancestors()
            for key, node in (("area", path[0]), ("field", path[1] if len(path) > 2 else None)):
                given = text.get(key, "")
                if given and node is not None and normalise_label(given) not in {
                    normalise_label(node.name),
                    node.code,
                }:
                    error(
                        key,
                        _("“%(given)s”与三级类别“%(leaf)s”所属的%(level)s类别“%(expected)s”不一致。")
                        % {"given": given, "leaf": category.name, "level": node.level_label, "expected": node.name},
                    )

    if text.get("purchasing_bodies"):
        for name in (part.strip() for part in BODY_SEPARATORS.split(text["purchasing_bodies"])):
            if not name:
                continue
            matches = lookups.bodies_by_name.get(normalise_label(name), [])
            if len(matches) == 1:
                if matches[0].pk not in row.body_ids:
                    row.body_ids.append(matches[0].pk)
                    row.body_labels.append(matches[0].display_name)
            elif matches:
                error(
                    "purchasing_bodies",
                    _("“%(name)s”对应多个购买主体（%(names)s），请填写全称。")
                    % {"name": name, "names": "、".join(body.name for body in matches)},
                )
            elif lookups.body_exists_in_region(name):
                error("purchasing_bodies", _("您无权为购买主体“%(name)s”导入事项。") % {"name": name})
            else:
                error(
                    "purchasing_bodies",
                    _("在%(region)s找不到购买主体“%(name)s”；多个购买主体请用“、”分隔。")
                    % {"region": lookups.edition.region.name, "name": name},
                )

    if text.get("procurement_method"):
        method = methods.get(normalise_label(text["procurement_method"]).lower())
        if method is None:
            error(
                "procurement_method",
                _("“%(value)s”不是有效的购买方式，应为：%(choices)s。")
                % {"value": text["procurement_method"], "choices": "、".join(map(str, ProcurementMethod.labels))},
            )
        else:
            row.procurement_method = method

    try:
        row.is_pilot = _pilot(text.get("is_pilot", ""))
    except ValueError as exc:
        error("is_pilot", exc)
    try:
        row.budget = _budget(cells.get("budget"))
    except ValueError as exc:
        error("budget", exc)
    return row, errors


def _match_category(given, area, field_name, lookups):
    """A leaf category by code (C0201, or “C0201 社区居家养老服务”) or by name; (category, error message)."""
    key = normalise_label(given)
    code = given.split()[0].upper() if given.split() else ""
    category = lookups.categories_by_code.get(code) or lookups.categories_by_code.get(key.upper())
    if category is None and key not in lookups.leaves_by_name and key in lookups.others_by_name:
        category = lookups.others_by_name[key][0]  # named a 一级 or 二级 category: say so below
    if category is None:
        matches = lookups.leaves_by_name.get(key, [])
        if len(matches) > 1:
            narrowed = [leaf for leaf in matches if _under(leaf, area, field_name)]
            matches = narrowed or matches
        if len(matches) == 1:
            return matches[0], ""
        if matches:
            return None, _("“%(given)s”对应多个三级类别（%(codes)s），请填写类别编码。") % {
                "given": given,
                "codes": "、".join(leaf.code for leaf in matches),
            }
        return None, _("找不到名为“%(given)s”的三级服务类别，请填写服务类别表中的三级类别名称或编码。") % {"given": given}
    if not category.is_leaf:
        return None, _("“%(given)s”是%(level)s类别，事项只能归入三级（末级）类别。") % {
            "given": given,
            "level": category.level_label,
        }
    return category, ""


def _under(leaf, area, field_name):
    """Whether `leaf` lies under the 一级 `area` and 二级 `field_name` given (by name or code), where given."""
    path = leaf.ancestors()
    for given, node in ((area, path[0]), (field_name, path[1] if len(path) > 2 else None)):
        if given and node is not None and normalise_label(given) not in {normalise_label(node.name), node.code}:
            return False
    return True


def check_rows(edition, rows, user, lookups=None, mode=Mode.ADD):
    """The rules that depend on the database when writing: run for the preview and again under the lock.

    - the category is (still) a leaf of the tree (CatalogueItem.clean);
    - each purchasing body is one the user may choose (visible_to) in the edition's region;
    - department staff only import items their own body buys, and do not add or remove another body
      of an item they update (catalogue.permissions.department_bodies_refusal, as the item form);
    - only municipal finance marks an item 试点 (catalogue.permissions.may_mark_pilot): elsewhere a
      pilot item comes from the review of a county's submission (catalogue/services/pilots.py);
    - an 编码 appears once in the file and, in ADD mode, is not already used in the edition
      (catalogue_item_code_unique_in_edition); in UPDATE mode a row may update only an item the
      user may edit (CatalogueItem.objects.editable_by), and keeps an existing item's 试点 flag
      (match_existing), so only a new row marked 试点 is refused.
    """
    lookups = lookups or Lookups(edition, user)
    editable = lookups.existing()[1] if mode == Mode.UPDATE else set()
    # The items UPDATE rows name, as stored: what department staff may not change is read from them.
    stored = {item.pk: item for item in lookups.existing()[0].values()} if mode == Mode.UPDATE else {}
    scope = Scope.of(user)
    errors = []
    column = {key: str(label) for key, label in COLUMN_LABELS.items()}
    seen = {}
    for row in rows:
        if row.code:
            seen.setdefault(row.code, []).append(row.row)
    for row in rows:
        if row.category_id is not None:
            category = lookups.categories.get(row.category_id)
            if category is None or not category.is_leaf:
                errors.append(RowError(row.row, column["type"], _("该服务类别已不存在或已不是三级（末级）类别。")))
        unknown = [pk for pk in row.body_ids if pk not in lookups.bodies]
        if unknown:
            errors.append(
                RowError(row.row, column["purchasing_bodies"], _("购买主体不在您的权限范围内，或不属于%(region)s。")
                         % {"region": edition.region.name})
            )
        before = [body.pk for body in stored[row.item_id].purchasing_bodies.all()] if row.item_id in stored else []
        refusal = department_bodies_refusal(scope, before, row.body_ids) if row.body_ids else None
        if refusal == OWN_BODY_MISSING:
            own = lookups.bodies.get(scope.body_id)
            errors.append(
                RowError(
                    row.row,
                    column["purchasing_bodies"],
                    _("部门账号只能导入本单位购买的事项，购买主体须包括“%(body)s”。")
                    % {"body": own.name if own else _("本单位")},
                )
            )
        elif refusal == OTHER_BODIES_CHANGED:
            errors.append(
                RowError(
                    row.row,
                    column["purchasing_bodies"],
                    _("部门账号不能增加或去掉其他单位的购买主体，请联系本级财政部门。"),
                )
            )
        if row.is_pilot and not may_mark_pilot(scope) and row.item_id is None:
            errors.append(
                RowError(
                    row.row,
                    column["is_pilot"],
                    _("试点事项由县级财政部门报送、市财政局审核通过后产生，导入时不能标为试点；请将此列留空或填“否”。"),
                )
            )
        if row.item_id is not None and row.item_id not in editable:
            errors.append(
                RowError(
                    row.row, column["code"], _("编码“%(code)s”是您无权修改的事项。") % {"code": row.code}
                )
            )
        elif row.code and row.code in lookups.existing_codes and row.item_id is None:
            message = _("编码“%(code)s”在本目录中已被使用。") % {"code": row.code}
            if mode == Mode.ADD:
                message += _("如要用文件修改已有事项，请选择“按编码更新”。")
            errors.append(RowError(row.row, column["code"], message))
        elif row.code and len(seen[row.code]) > 1:
            others = [str(number) for number in seen[row.code] if number != row.row]
            errors.append(
                RowError(
                    row.row,
                    column["code"],
                    _("编码“%(code)s”在文件中重复（另见第%(rows)s行）。") % {"code": row.code, "rows": "、".join(others)},
                )
            )
    return errors


def assign_codes(rows, lookups):
    """Blank 编码 become “category code-sequence” (C0201-03), after the highest number in the edition or file."""
    codes = ItemCodeNumbering(set(lookups.existing_codes) | {row.code for row in rows if row.code})
    for row in rows:
        if row.code or row.category_id is None:
            continue
        row.code = codes.next(lookups.categories[row.category_id].code)
        row.auto_code = True
