"""The blank import template: the official table's header, an example row, drop-down lists and 填写说明.

The sheet itself is the exports' (catalogue/exports/writers.py: the official columns, their widths,
a bold frozen header), so the template's header is the export's and the import's by construction.
What is the template's own is here: the example row, the lists a clerk picks from and the
instructions, which the upload page shows too.
"""

from itertools import zip_longest

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.exports.writers import Column, workbook_bytes, xlsx_workbook
from catalogue.models import ProcurementMethod, PurchasingBody, ServiceCategory

from .reading import COLUMN_LABELS, COLUMNS, max_bytes, max_rows
from .rows import EXAMPLE_MARK

TEMPLATE_VALIDATED_ROWS = 2000  # rows below the header that carry the drop-down lists

COLUMN_HELP = {
    "seq": gettext_lazy("序号，不读取。"),
    "code": gettext_lazy("事项编码，如 C0201-01；留空则自动生成。按编码更新时用它找到已有事项。"),
    "area": gettext_lazy("一级服务类别（领域），可不填。"),
    "field": gettext_lazy("二级服务类别，可不填。"),
    "type": gettext_lazy("三级服务类别名称或编码，必填。"),
    "name": gettext_lazy("事项名称，必填。"),
    "content": gettext_lazy("服务内容。"),
    "purchasing_bodies": gettext_lazy("购买主体，必填；多个用“、”分隔。"),
    "provider_requirements": gettext_lazy("承接主体要求（资质、人员、场所等）。"),
    "procurement_method": gettext_lazy("购买方式，必填。"),
    "is_pilot": gettext_lazy("是否试点。"),
    "notes": gettext_lazy("备注。"),
    "budget": gettext_lazy("预算金额，单位元。"),
    "performance_standard": gettext_lazy("绩效评价标准。"),
}


def instructions():
    """How to fill in the table: the upload page's list and the template's 填写说明 sheet."""
    required = "、".join(str(column.label) for column in COLUMNS if column.required)
    return [
        _("每次最多 %(rows)s 行事项，文件不超过 %(mb)s MB；Excel 只读取第一个工作表。")
        % {"rows": max_rows(), "mb": max_bytes() // (1024 * 1024)},
        _("按表头名称识别各列，列的顺序不限；可以直接导入本系统导出的目录表格（含“预算（元）”“绩效评价标准”列）。"),
        _("必填列：%(columns)s；其他列可以没有或留空。“序号”不读取；填了“一级”“二级”的，须与三级类别一致。")
        % {"columns": required},
        _("序号填“示例”的行是示例，不会导入；可以照着填写，也可以删除。"),
        _("“编码”留空时按“类别编码-序号”自动生成；同一目录内编码不能重复。"),
        _("“三级”填写三级服务类别的名称或编码（如 C0201）；“一级”“二级”“三级”可从下拉列表中选择。"),
        _("“购买主体”填写本行政区划购买主体的全称或简称，可从下拉列表中选择；多个用“、”分隔。"),
        _("“购买方式”填写：%(methods)s。") % {"methods": "、".join(map(str, ProcurementMethod.labels))},
        _("“试点”填写 是/否、Y/N、√ 或留空；新事项不能在导入时标为试点（试点事项由审核产生），已有的试点事项保持试点。"),
        _("“预算（元）”填写阿拉伯数字，如 120000 或 120000.00，可以留空。"),
        _("导入方式选“按编码更新”时，编码与本目录已有事项相同的行修改该事项，其余行作为新事项添加；文件中没有的列，已有事项的内容保持不变。"),
        _("CSV 文件可用 UTF-8 或 GBK（Excel 默认）编码保存。"),
        _("上传后先显示预览；所有行都没有错误时才能确认导入，任何一行有错都不会写入。"),
    ]


def template_bytes(user, region=None):
    """The import template: the header, an example row (序号 “示例”, never imported), drop-down lists
    for 一级, 二级, 三级, 购买主体, 购买方式 and 试点 (from a hidden sheet of options, so a list is
    not bound by Excel's 255 characters for inline lists) and a 填写说明 sheet.

    The bodies are those the user may choose, of `region` when the template is for an edition.
    """
    from openpyxl.styles import Font

    categories = list(
        ServiceCategory.objects.select_related("parent__parent").prefetch_related("children").order_by("code")
    )
    bodies = PurchasingBody.objects.visible_to(user).order_by("region__order", "name")
    if region is not None:
        bodies = bodies.filter(region=region)
    bodies = list(bodies)
    example = _example_values(categories, bodies)
    columns = [
        Column(column.key, column.label, column.width, lambda row, seq, key=column.key: row[key]) for column in COLUMNS
    ]
    workbook = xlsx_workbook(columns, [example], _("目录事项"), row_font=Font(italic=True, color="808080"))
    _add_lists(workbook, categories, bodies)
    _add_notes(workbook)
    return workbook_bytes(workbook)


def _add_lists(workbook, categories, bodies):
    """The drop-down lists: one column of options each on a hidden sheet, checked with a warning only."""
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = workbook.worksheets[0]
    options = {
        "area": [category.name for category in categories if category.parent_id is None],
        "field": [category.name for category in categories if category.level == 2],
        "type": [category.name for category in categories if category.is_leaf],
        "purchasing_bodies": [body.name for body in bodies],
        "procurement_method": [str(label) for label in ProcurementMethod.labels],
        "is_pilot": [_("是"), _("否")],
    }
    keys = [column.key for column in COLUMNS]
    lists = workbook.create_sheet(_("选项"))
    lists.sheet_state = "hidden"
    lists.append([str(COLUMN_LABELS[key]) for key in options])
    for row in zip_longest(*options.values()):
        lists.append(row)
    for position, (key, values) in enumerate(options.items(), start=1):
        if not values:
            continue
        letter = get_column_letter(position)
        validation = DataValidation(
            type="list",
            formula1=f"{quote_sheetname(lists.title)}!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            errorStyle="warning",  # 三级 may be a code, 购买主体 several names: warn, never refuse
            showErrorMessage=True,
            errorTitle=_("不在列表中"),
            error=_("该值不在下拉列表中。如果是类别编码、简称或多个购买主体，可以继续。"),
        )
        target = get_column_letter(keys.index(key) + 1)
        validation.add(f"{target}2:{target}{TEMPLATE_VALIDATED_ROWS + 1}")
        sheet.data_validations.append(validation)


def _add_notes(workbook):
    """The 填写说明 sheet: the instructions, then what each column holds."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    notes = workbook.create_sheet(_("填写说明"))
    notes.column_dimensions["A"].width = 110
    title = WriteOnlyCell(notes, value=_("目录事项导入模板：填写说明"))
    title.font = Font(bold=True, size=14)
    notes.append([title])
    lines = [f"{number}. {line}" for number, line in enumerate(instructions(), start=1)]
    lines += ["", _("表头（列名）不要修改。各列含义：")]
    lines += [f"{column.label}：{COLUMN_HELP.get(column.key, '')}" for column in COLUMNS]
    for line in lines:
        cell = WriteOnlyCell(notes, value=line or None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        notes.append([cell])


def _example_values(categories, bodies):
    """The example row, by column key: a real leaf category (C0201 when there is one) and body."""
    leaves = [category for category in categories if category.is_leaf]
    leaf = next((category for category in leaves if category.code == "C0201"), leaves[0] if leaves else None)
    path = leaf.ancestors() if leaf else []
    return {
        "seq": EXAMPLE_MARK,
        "code": "",
        "area": path[0].name if path else "",
        "field": path[1].name if len(path) > 2 else "",
        "type": leaf.name if leaf else "",
        "name": leaf.name if leaf else "",
        "content": _("为居家老年人提供生活照料、助餐助浴、精神慰藉等上门服务，按服务人次和满意度付费。"),
        "purchasing_bodies": bodies[0].name if bodies else "",
        "provider_requirements": _("依法登记的社会组织或企业，具备相应的专业人员和服务场所，近三年无重大违法记录。"),
        "procurement_method": str(ProcurementMethod.OPEN_TENDER.label),
        "is_pilot": _("否"),
        "notes": "",
        "budget": 120000,
        "performance_standard": _("服务对象满意度不低于90%，按季度考核服务人次和质量。"),
    }
