"""The official table's columns, written once: what the page, every export, the import and its template read.

`COLUMNS` is DOMAIN.md §8's table in its official order:
序号 · 编码 · 一级 · 二级 · 三级 · 事项名称 · 服务内容 · 购买主体 · 承接主体要求 · 购买方式 · 试点 · 备注.
`EXPORT_COLUMNS` is that table followed by 预算（元） and 绩效评价标准: every file a clerk may download
(the CSV, the XLSX, the admin's 导出所选, the search results) and the import template carry it, and
the import recognises the same headers, so an item read back from a file loses nothing.

Each column also says what the import asks of it (catalogue/imports/reading.py): whether a file
must have it, and the other headers clerks' own tables give it (一级类别 for 一级 …). A new column
is added here, and the page, the exports, the import and the template all have it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from catalogue.translation import cached_gettext

from .writers import Column


@dataclass(frozen=True)
class OfficialColumn(Column):
    required: bool = False  # the import refuses a file whose header lacks it
    aliases: tuple = ()  # other headers the import reads as this column


def _category_name(index):
    def get(item, seq):
        node = item.category_path[index]
        return node.name if node else ""

    return get


def _bodies(item, seq):
    return "、".join(body.display_name for body in item.purchasing_bodies.all())


def _pilot(item, seq):
    return cached_gettext("是") if item.is_pilot else ""


COLUMNS = (
    OfficialColumn("seq", _("序号"), 6, lambda item, seq: seq),
    OfficialColumn("code", _("编码"), 12, lambda item, seq: item.code, aliases=("事项编码",)),
    OfficialColumn("area", _("一级"), 10, _category_name(0), aliases=("一级类别", "一级目录")),
    OfficialColumn("field", _("二级"), 14, _category_name(1), aliases=("二级类别", "二级目录")),
    OfficialColumn("type", _("三级"), 18, _category_name(2), True, ("三级类别", "三级目录", "服务类别")),
    OfficialColumn("name", _("事项名称"), 26, lambda item, seq: item.name, True),
    OfficialColumn("content", _("服务内容"), 44, lambda item, seq: item.content),
    OfficialColumn("purchasing_bodies", _("购买主体"), 18, _bodies, True),
    OfficialColumn("provider_requirements", _("承接主体要求"), 32, lambda item, seq: item.provider_requirements),
    OfficialColumn(
        "procurement_method", _("购买方式"), 12, lambda item, seq: item.get_procurement_method_display(), True
    ),
    OfficialColumn("is_pilot", _("试点"), 6, _pilot, aliases=("是否试点", "试点事项")),
    OfficialColumn("notes", _("备注"), 20, lambda item, seq: item.notes),
)

EXPORT_COLUMNS = COLUMNS + (
    OfficialColumn(
        "budget",
        _("预算（元）"),
        14,
        lambda item, seq: item.budget,
        aliases=("预算", "预算金额", "预算金额（元）", "预算资金（元）"),
    ),
    OfficialColumn("performance_standard", _("绩效评价标准"), 32, lambda item, seq: item.performance_standard),
)

# Columns that hold the catalogue's own Chinese text (names, content, bodies, requirements, notes): marked
# lang="zh-Hans" on the page whatever the interface language. The others are numbers, codes or interface words.
CHINESE_DATA = {"area", "field", "type", "name", "content", "purchasing_bodies", "provider_requirements", "notes"}


def header(columns=COLUMNS):
    """The header row as written: the official table's labels in the active language."""
    return [str(column.label) for column in columns]
