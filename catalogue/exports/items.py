"""An edition's official table: its page rows, and its CSV, XLSX and JSON files.

Three exports share the writers (csv_response, xlsx_response, json_response) and the Column
mechanism: an edition's official table (below), the provider directory (PROVIDER_COLUMNS) and the
published performance evaluation results (EVALUATION_COLUMNS); the URLs and JSON field names of
the last two are documented in write_providers() and write_evaluations() below.

The columns are the official table's (columns.py): the edition page shows `COLUMNS`; every file
carries `EXPORT_COLUMNS` (with 预算（元） and 绩效评价标准), so an item read back from a file loses
nothing. Budgets are plain numbers there (120000.00), never grouped: the files are read by machines;
pages show 120,000.00.

The XLSX of an edition opens with a title block (its title, 文号 and date, and whether the table
is a filtered part of it) above the header row, as an official copy; the import finds the header
below it.

The JSON export is an object:

    {
      "edition": {
        "id": 12, "title": "咸宁市2016年政府向社会力量购买服务指导性目录",
        "region": "咸宁市", "region_code": "421200", "year": 2016, "revision": 1,
        "document_number": "咸财综发〔2016〕1号", "published_on": "2016-03-01",
        "status": "PUBLISHED", "status_label": "已发布", "url": "https://…/editions/12/"
      },
      "filters": {"category": "C02", "body": "咸宁市民政局", "method": "OPEN_TENDER", "pilot": true, "q": "养老"},
      "count": 1,
      "items": [ {…one object per row, fields below…} ]
    }

"filters" holds only the filters that took effect ({} for the whole edition); "count" is len(items).
Each object of "items" has these stable field names:

    seq                       序号: position in this (filtered) table, from 1, as on the page
    code                      编码, e.g. "C0201-01"
    area                      一级 category name, e.g. "社会保障"
    field                     二级 category name, e.g. "养老服务"
    type                      三级 category name, e.g. "社区居家养老服务"
    name                      事项名称
    content                   服务内容
    purchasing_bodies         购买主体: list of full names, e.g. ["咸宁市民政局"]
    provider_requirements     承接主体要求
    procurement_method        购买方式 code: OPEN_TENDER, INVITED_TENDER, COMPETITIVE_NEGOTIATION,
                              COMPETITIVE_CONSULTATION, SINGLE_SOURCE, REQUEST_FOR_QUOTATION or COMMISSION
    procurement_method_label  购买方式 in words, e.g. "公开招标"
    performance_standard      绩效评价标准
    budget                    预算（元） as a decimal string, e.g. "120000.00", or null when not set
    is_pilot                  试点: true or false
    notes                     备注
    url                       absolute URL of the item's public page
"""

from dataclasses import dataclass

from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from .columns import CHINESE_DATA, COLUMNS, EXPORT_COLUMNS
from .writers import _safe_sheet_title, csv_bytes, csv_response, json_response, xlsx_bytes, xlsx_file_response


@dataclass(frozen=True)
class Cell:
    key: str
    label: str
    value: object


@dataclass(frozen=True)
class Row:
    seq: int
    item: object
    cells: list

    @property
    def area(self):
        return self.item.category_path[0]

    @property
    def cells_html(self):
        """The row's <td> cells, each labelled for the phone layout; the name links to the item's page.

        Written here rather than by a template loop: a page of 100 rows has 1,200 cells, and the
        template engine's cost per cell was most of the time of an uncached edition page.
        """
        parts = []
        for cell in self.cells:
            if cell.key == "name":
                inner = format_html('<a href="{}">{}</a>', self.item.get_absolute_url(), cell.value)
            else:
                inner = linebreaksbr(cell.value, autoescape=True)
            if cell.key in CHINESE_DATA:
                html = '<td class="col-{}" data-label="{}" lang="zh-Hans">{}</td>'
            else:
                html = '<td class="col-{}" data-label="{}">{}</td>'
            parts.append(format_html(html, cell.key, cell.label, inner))
        return mark_safe("".join(parts))


def table_rows(items, start=1):
    """The rows of the official table, numbered from `start` (序号 continues across pages)."""
    labels = [(column, str(column.label)) for column in COLUMNS]  # translated once, not once a cell
    return [
        Row(seq, item, [Cell(column.key, label, column.value(item, seq)) for column, label in labels])
        for seq, item in enumerate(items, start=start)
    ]


def group_by_area(rows):
    """[(一级 area, [rows…])] in table order: the edition page shows one row group per area."""
    groups = []
    for row in rows:
        if not groups or groups[-1][0] != row.area:
            groups.append((row.area, []))
        groups[-1][1].append(row)
    return groups


def filename(edition, fmt, filtered=False):
    """(ASCII fallback, Chinese name) for Content-Disposition."""
    region_code = edition.region.code or edition.region.slug
    ascii_name = f"catalogue-{region_code}-{edition.year}-r{edition.revision}{'-filtered' if filtered else ''}.{fmt}"
    suffix = gettext("（筛选结果）") if filtered else ""
    chinese = gettext("%(region)s%(year)s年指导性目录（第%(revision)s版）") % {
        "region": edition.region.name,
        "year": edition.year,
        "revision": edition.revision,
    }
    return ascii_name, f"{chinese}{suffix}.{fmt}"


def edition_csv_bytes(items):
    return csv_bytes(EXPORT_COLUMNS, items)


def write_csv(edition, items, filtered=False):
    """The official table and the two extra columns: header row, official column order."""
    return csv_response(EXPORT_COLUMNS, items, filename(edition, "csv", filtered))


def _sheet_title(edition):
    return _safe_sheet_title(f"{edition.region.name}{edition.year}", "catalogue")


def title_block(edition, filtered=False):
    """The lines above the XLSX's header: the edition's title, its 文号 and date, and what the table holds.

    Not its status: the file written at publication is the record of what was published, and stays
    byte for byte the same when a later revision supersedes the edition.
    """
    facts = [gettext("文号：%(number)s") % {"number": edition.document_number or "—"}]
    if edition.published_on:
        facts.append(gettext("发布日期：%(date)s") % {"date": edition.published_on.isoformat()})
    lines = [edition.title, "　".join(facts)]
    if filtered:
        lines.append(gettext("本表为按条件筛选的部分事项，不是目录全文。"))
    return lines


def edition_xlsx_bytes(edition, items, filtered=False):
    return xlsx_bytes(EXPORT_COLUMNS, items, _sheet_title(edition), title_lines=title_block(edition, filtered))


def write_xlsx(edition, items, filtered=False):
    """The official table and the two extra columns in one sheet, under the edition's title block."""
    return xlsx_file_response(edition_xlsx_bytes(edition, items, filtered), filename(edition, "xlsx", filtered))


def edition_json(edition, request):
    return {
        "id": edition.pk,
        "title": edition.title,
        "region": edition.region.name,
        "region_code": edition.region.code,
        "year": edition.year,
        "revision": edition.revision,
        "document_number": edition.document_number,
        "published_on": edition.published_on.isoformat() if edition.published_on else None,
        "status": edition.status,
        "status_label": str(edition.get_status_display()),
        "url": request.build_absolute_uri(edition.get_absolute_url()),
    }


def item_json(item, seq, request):
    area, field, kind = (node.name if node else "" for node in item.category_path)
    return {
        "seq": seq,
        "code": item.code,
        "area": area,
        "field": field,
        "type": kind,
        "name": item.name,
        "content": item.content,
        "purchasing_bodies": [body.name for body in item.purchasing_bodies.all()],
        "provider_requirements": item.provider_requirements,
        "procurement_method": item.procurement_method,
        "procurement_method_label": str(item.get_procurement_method_display()),
        "performance_standard": item.performance_standard,
        "budget": None if item.budget is None else f"{item.budget:.2f}",
        "is_pilot": item.is_pilot,
        "notes": item.notes,
        "url": request.build_absolute_uri(item.get_absolute_url()),
    }


def edition_payload(edition, items, request, filters):
    """The object described in this module's docstring (`request` only builds absolute URLs)."""
    rows = [item_json(item, seq, request) for seq, item in enumerate(items, start=1)]
    return {"edition": edition_json(edition, request), "filters": filters, "count": len(rows), "items": rows}


def write_json(edition, items, request, filters, filtered=False):
    return json_response(edition_payload(edition, items, request, filters), filename(edition, "json", filtered))
