"""The official table's columns, defined once, and the CSV, XLSX and JSON writers.

Three exports share the writers (csv_response, xlsx_response, json_response) and the Column
mechanism: an edition's official table (below), the provider directory (PROVIDER_COLUMNS) and the
published performance evaluation results (EVALUATION_COLUMNS); the URLs and JSON field names of
the last two are documented in write_providers() and write_evaluations() below.

`COLUMNS` is DOMAIN.md §8's table in its official order:
序号 · 编码 · 一级 · 二级 · 三级 · 事项名称 · 服务内容 · 购买主体 · 承接主体要求 · 购买方式 · 试点 · 备注.
The edition page, the CSV and the XLSX all read it, so the three never disagree.

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

import csv
import io
import json
from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

FORMATS = ("csv", "xlsx", "json")


def _category_name(index):
    def get(item, seq):
        node = item.category_path[index]
        return node.name if node else ""

    return get


def _bodies(item, seq):
    return "、".join(body.display_name for body in item.purchasing_bodies.all())


def _pilot(item, seq):
    return gettext("是") if item.is_pilot else ""


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int  # XLSX column width, in characters
    value: Callable  # (item, seq) -> text shown in the cell


COLUMNS = (
    Column("seq", _("序号"), 6, lambda item, seq: seq),
    Column("code", _("编码"), 12, lambda item, seq: item.code),
    Column("area", _("一级"), 10, _category_name(0)),
    Column("field", _("二级"), 14, _category_name(1)),
    Column("type", _("三级"), 18, _category_name(2)),
    Column("name", _("事项名称"), 26, lambda item, seq: item.name),
    Column("content", _("服务内容"), 44, lambda item, seq: item.content),
    Column("purchasing_bodies", _("购买主体"), 18, _bodies),
    Column("provider_requirements", _("承接主体要求"), 32, lambda item, seq: item.provider_requirements),
    Column("procurement_method", _("购买方式"), 12, lambda item, seq: item.get_procurement_method_display()),
    Column("is_pilot", _("试点"), 6, _pilot),
    Column("notes", _("备注"), 20, lambda item, seq: item.notes),
)


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


def table_rows(items, start=1):
    """The rows of the official table, numbered from `start` (序号 continues across pages)."""
    return [
        Row(seq, item, [Cell(column.key, column.label, column.value(item, seq)) for column in COLUMNS])
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


def header():
    return [str(column.label) for column in COLUMNS]


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


def _attachment(response, names):
    """names: (ASCII fallback, Chinese name), as filename() and the other *_filename() helpers give them."""
    ascii_name, chinese = names
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(chinese)}"
    return response


# A spreadsheet reads a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _inert(value):
    """Text a spreadsheet will show, never run: a leading formula character gets an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(columns, objects, names):
    """UTF-8 with a BOM, so Excel opens the Chinese text correctly; a header row, then one row per object.

    `columns` is a tuple of Column (COLUMNS, PROVIDER_COLUMNS, EVALUATION_COLUMNS); `names` the
    (ASCII, Chinese) file names. Every export of the site goes through here and xlsx_response.
    """
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([str(column.label) for column in columns])
    for seq, obj in enumerate(objects, start=1):
        writer.writerow([_inert(column.value(obj, seq)) for column in columns])
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    return _attachment(response, names)


def write_csv(edition, items, filtered=False):
    """The official table: header row, official column order."""
    return csv_response(COLUMNS, items, filename(edition, "csv", filtered))


def _safe_sheet_title(title, fallback):
    for char in "[]:*?/\\":
        title = title.replace(char, "")
    return title[:31] or fallback


def _sheet_title(edition):
    return _safe_sheet_title(f"{edition.region.name}{edition.year}", "catalogue")


def xlsx_response(columns, objects, sheet_title, names):
    """One sheet: bold frozen header row, set column widths, wrapped text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append([str(column.label) for column in columns])
    wrap = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
        cell.alignment = wrap
    for seq, obj in enumerate(objects, start=1):
        sheet.append([column.value(obj, seq) for column in columns])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = wrap
            if cell.data_type == "f":
                # openpyxl stores text starting with "=" as a formula; keep it text.
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return _attachment(response, names)


def write_xlsx(edition, items, filtered=False):
    """The official table in one sheet, official column order."""
    return xlsx_response(COLUMNS, items, _sheet_title(edition), filename(edition, "xlsx", filtered))


def json_response(payload, names):
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    return _attachment(response, names)


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


def write_json(edition, items, request, filters, filtered=False):
    """The object described in this module's docstring."""
    rows = [item_json(item, seq, request) for seq, item in enumerate(items, start=1)]
    payload = {"edition": edition_json(edition, request), "filters": filters, "count": len(rows), "items": rows}
    return json_response(payload, filename(edition, "json", filtered))


# -- The provider directory (承接主体名录) ------------------------------------------------------------


def _date(value):
    return value.isoformat() if value else None


def _grade_label(code):
    from catalogue.evaluation_rules import Grade

    return str(Grade(code).label) if code else None


def _provider_categories(provider, seq):
    return "、".join(f"{category.code} {category.name}" for category in provider.categories.all())


PROVIDER_COLUMNS = (
    Column("seq", _("序号"), 6, lambda provider, seq: seq),
    Column("name", _("名称"), 30, lambda provider, seq: provider.name),
    Column("kind", _("类型"), 16, lambda provider, seq: provider.get_kind_display()),
    Column("credit_code", _("统一社会信用代码"), 21, lambda provider, seq: provider.credit_code),
    Column("registration_authority", _("登记管理机关"), 20, lambda provider, seq: provider.registration_authority),
    Column("region", _("所在行政区划"), 10, lambda provider, seq: provider.region.name),
    Column("categories", _("可承接的服务类别"), 36, _provider_categories),
    Column("qualification_status", _("资质状态"), 10, lambda provider, seq: str(provider.current_status_label)),
    Column("qualified_from", _("认定日期"), 12, lambda provider, seq: _date(provider.qualified_from) or ""),
    Column("qualified_until", _("认定有效期至"), 12, lambda provider, seq: _date(provider.qualified_until) or ""),
    Column("social_organisation_grade", _("社会组织评估等级"), 10, lambda provider, seq: provider.evaluation_grade),
    Column(
        "latest_evaluation_grade",
        _("最近绩效评价等级"),
        12,
        lambda provider, seq: _grade_label(getattr(provider, "latest_grade", None)) or "",
    ),
    Column("address", _("地址"), 30, lambda provider, seq: provider.address),
    Column("phone", _("联系电话"), 16, lambda provider, seq: provider.phone),
)


def provider_filename(fmt, filtered=False):
    ascii_name = f"providers{'-filtered' if filtered else ''}.{fmt}"
    suffix = gettext("（筛选结果）") if filtered else ""
    title = gettext("咸宁市政府购买服务承接主体")
    return ascii_name, f"{title}{suffix}.{fmt}"


def _provider_url(provider, request):
    return request.build_absolute_uri(reverse("catalogue:provider", args=[provider.pk]))


def provider_json(provider, seq, request):
    grade = getattr(provider, "latest_grade", None)
    return {
        "seq": seq,
        "name": provider.name,
        "kind": provider.kind,
        "kind_label": str(provider.get_kind_display()),
        "credit_code": provider.credit_code,
        "registration_authority": provider.registration_authority,
        "region": provider.region.name,
        "region_code": provider.region.code,
        "categories": [{"code": category.code, "name": category.name} for category in provider.categories.all()],
        "qualification_status": str(provider.current_status.value),
        "qualification_status_label": str(provider.current_status_label),
        "qualified_from": _date(provider.qualified_from),
        "qualified_until": _date(provider.qualified_until),
        "social_organisation_grade": provider.evaluation_grade or None,
        "latest_evaluation_grade": grade or None,
        "latest_evaluation_grade_label": _grade_label(grade),
        "address": provider.address,
        "phone": provider.phone,
        "url": _provider_url(provider, request),
    }


def write_providers(fmt, providers, request, filters):
    """The directory (or its filtered view) as CSV, XLSX or JSON; `providers` as the page's queryset gives them.

    /providers/export.{csv,xlsx,json} with the directory's query string: exactly the providers the
    directory shows for those filters (Provider.objects.qualified(), all pages), in its order.

    The JSON export is an object:

        {"filters": {"q": "养老", "category": "C02", "region": "咸宁市", "kind": "PRIVATE_NON_ENTERPRISE"},
         "count": 1, "providers": [ {…one object per provider…} ]}

    "filters" holds only the filters that took effect ({} for the whole directory). Each object of
    "providers" has these stable field names:

        seq                          position in this (filtered) list, from 1
        name                         名称
        kind                         类型 code: SOCIAL_GROUP, PRIVATE_NON_ENTERPRISE, FOUNDATION, ENTERPRISE,
                                     PUBLIC_INSTITUTION or OTHER
        kind_label                   类型 in words, e.g. "民办非企业单位（社会服务机构）"
        credit_code                  统一社会信用代码 (18 characters, GB 32100-2015)
        registration_authority       登记管理机关
        region                       所在行政区划, e.g. "咸宁市"
        region_code                  its GB/T 2260 code, "" for 咸宁高新区
        categories                   可承接的服务类别: list of {"code": "C02", "name": "养老服务"}
        qualification_status         资质状态 code: QUALIFIED (the directory lists qualified providers only)
        qualification_status_label   资质状态 in words, e.g. "已认定"
        qualified_from               认定日期 "YYYY-MM-DD", or null when not recorded
        qualified_until              认定有效期至 "YYYY-MM-DD", or null (no end date)
        social_organisation_grade    社会组织评估等级 "1A" … "5A", or null
        latest_evaluation_grade      grade of its newest PUBLISHED performance evaluation: EXCELLENT, GOOD,
                                     PASS or FAIL, or null when none is published
        latest_evaluation_grade_label   the same in words (优秀 / 良好 / 合格 / 不合格), or null
        address                      地址 ("" when not given)
        phone                        联系电话 ("" when not given)
        url                          absolute URL of the provider's public page
    """
    names = provider_filename(fmt, filtered=bool(filters))
    if fmt == "csv":
        return csv_response(PROVIDER_COLUMNS, providers, names)
    if fmt == "xlsx":
        return xlsx_response(PROVIDER_COLUMNS, providers, gettext("承接主体"), names)
    rows = [provider_json(provider, seq, request) for seq, provider in enumerate(providers, start=1)]
    return json_response({"filters": filters, "count": len(rows), "providers": rows}, names)


# -- Performance evaluation results (绩效评价结果) ---------------------------------------------------------


def _decimal(value):
    return None if value is None else f"{value:.2f}"


def _area(evaluation):
    return evaluation.contract.item.category_path[0]


def _weights_text(evaluation, seq):
    weights = evaluation.weights
    return f"{weights['self']}/{weights['satisfaction']}/{weights['third_party']}"


def _announced_value(evaluation, seq):
    contract = evaluation.contract
    return _decimal(contract.value) if contract.announced else ""


EVALUATION_COLUMNS = (
    Column("seq", _("序号"), 6, lambda evaluation, seq: seq),
    Column("year", _("年度"), 6, lambda evaluation, seq: evaluation.contract.year),
    Column("region", _("行政区划"), 10, lambda evaluation, seq: evaluation.contract.region.name),
    Column("area", _("一级"), 10, lambda evaluation, seq: _area(evaluation).name),
    Column("item_code", _("编码"), 12, lambda evaluation, seq: evaluation.contract.item.code),
    Column("item_name", _("事项名称"), 26, lambda evaluation, seq: evaluation.contract.item.name),
    Column("purchasing_body", _("购买主体"), 22, lambda evaluation, seq: evaluation.contract.purchasing_body.name),
    Column("provider", _("承接主体"), 28, lambda evaluation, seq: evaluation.contract.provider.name),
    Column(
        "provider_credit_code", _("统一社会信用代码"), 21, lambda evaluation, seq: evaluation.contract.provider.credit_code
    ),
    Column("contract_value", _("合同金额（元）"), 14, _announced_value),
    Column("self_score", _("自评得分"), 10, lambda evaluation, seq: _decimal(evaluation.self_score)),
    Column("satisfaction_score", _("服务对象满意度得分"), 12, lambda evaluation, seq: _decimal(evaluation.satisfaction_score)),
    Column("third_party_score", _("第三方评价得分"), 12, lambda evaluation, seq: _decimal(evaluation.third_party_score)),
    Column("weights", _("权重（自评/满意度/第三方，%）"), 16, _weights_text),
    Column("score", _("综合得分"), 10, lambda evaluation, seq: _decimal(evaluation.score)),
    Column("grade", _("评价等级"), 8, lambda evaluation, seq: str(evaluation.get_grade_display())),
    Column("third_party_name", _("第三方评价机构"), 22, lambda evaluation, seq: evaluation.third_party_name),
    Column("evaluated_on", _("评价日期"), 12, lambda evaluation, seq: _date(evaluation.evaluated_on) or ""),
    Column("published_on", _("公开日期"), 12, lambda evaluation, seq: _date(evaluation.published_on) or ""),
)


def evaluation_filename(fmt, filtered=False):
    ascii_name = f"evaluations{'-filtered' if filtered else ''}.{fmt}"
    suffix = gettext("（筛选结果）") if filtered else ""
    title = gettext("咸宁市政府购买服务绩效评价结果")
    return ascii_name, f"{title}{suffix}.{fmt}"


def evaluation_json(evaluation, seq, request):
    contract = evaluation.contract
    item, provider = contract.item, contract.provider
    area = _area(evaluation)
    announced = contract.announced
    return {
        "seq": seq,
        "id": evaluation.pk,
        "year": contract.year,
        "region": contract.region.name,
        "region_code": contract.region.code,
        "area_code": area.code,
        "area": area.name,
        "item_code": item.code,
        "item_name": item.name,
        "item_url": request.build_absolute_uri(item.get_absolute_url()) if item.edition.is_public else None,
        "purchasing_body": contract.purchasing_body.name,
        "provider": provider.name,
        "provider_credit_code": provider.credit_code,
        "provider_url": _provider_url(provider, request) if provider.is_qualified else None,
        "contract_value": _decimal(contract.value) if announced else None,
        "contract_period_start": _date(contract.period_start) if announced else None,
        "contract_period_end": _date(contract.period_end) if announced else None,
        "self_score": _decimal(evaluation.self_score),
        "satisfaction_score": _decimal(evaluation.satisfaction_score),
        "third_party_score": _decimal(evaluation.third_party_score),
        "third_party_name": evaluation.third_party_name,
        "weights": evaluation.weights,
        "score": _decimal(evaluation.score),
        "grade": evaluation.grade,
        "grade_label": str(evaluation.get_grade_display()),
        "evaluated_on": _date(evaluation.evaluated_on),
        "published_on": _date(evaluation.published_on),
    }


def write_evaluations(fmt, evaluations, request, filters):
    """Published evaluation results (or a filtered view of them) as CSV, XLSX or JSON.

    /evaluations/export.{csv,xlsx,json} with the results page's query string (year, area, region,
    grade): every PUBLISHED evaluation (Evaluation.objects.published()) the page shows for those
    filters, all pages, newest first. An unpublished or withdrawn result is in no export.

    The JSON export is an object:

        {"filters": {"year": 2016, "area": "C", "region": "咸宁市", "grade": "EXCELLENT"},
         "count": 1, "evaluations": [ {…one object per evaluation…} ]}

    "filters" holds only the filters that took effect. Each object of "evaluations" has these
    stable field names:

        seq                   position in this (filtered) list, from 1
        id                    the evaluation's number (stable)
        year                  年度 of the contract, e.g. 2016
        region                行政区划 of the contract, e.g. "咸宁市"
        region_code           its GB/T 2260 code ("" for 咸宁高新区)
        area_code             一级 category letter of the item, "A" … "H"
        area                  一级 category name, e.g. "社会保障"
        item_code             编码 of the catalogue item bought, e.g. "C0201-01"
        item_name             事项名称
        item_url              absolute URL of the item's public page, or null when its edition is no longer public
        purchasing_body       购买主体 (full name)
        provider              承接主体 (name)
        provider_credit_code  its 统一社会信用代码
        provider_url          absolute URL of the provider's public page, or null when it is not in the
                              directory today (qualification lapsed, suspended or revoked)
        contract_value        合同金额（元） as a decimal string, e.g. "50000.00", or null when the contract
                              was not announced (公告)
        contract_period_start 服务期限起 "YYYY-MM-DD", or null when the contract was not announced
        contract_period_end   服务期限止 "YYYY-MM-DD", or null when the contract was not announced
        self_score            自评得分, decimal string "0.00" … "100.00"
        satisfaction_score    服务对象满意度得分, decimal string
        third_party_score     第三方评价得分, decimal string
        third_party_name      第三方评价机构 ("" when not given)
        weights               the weights this result was computed with, in percent:
                              {"self": 40, "satisfaction": 30, "third_party": 30}
        score                 综合得分, decimal string (Σ score × weight / 100, rounded half up)
        grade                 评价等级 code: EXCELLENT (≥ 90), GOOD (≥ 80), PASS (≥ 60) or FAIL (< 60)
        grade_label           评价等级 in words: 优秀, 良好, 合格 or 不合格
        evaluated_on          评价日期 "YYYY-MM-DD"
        published_on          公开日期 "YYYY-MM-DD"
    """
    names = evaluation_filename(fmt, filtered=bool(filters))
    if fmt == "csv":
        return csv_response(EVALUATION_COLUMNS, evaluations, names)
    if fmt == "xlsx":
        return xlsx_response(EVALUATION_COLUMNS, evaluations, gettext("绩效评价结果"), names)
    rows = [evaluation_json(evaluation, seq, request) for seq, evaluation in enumerate(evaluations, start=1)]
    return json_response({"filters": filters, "count": len(rows), "evaluations": rows}, names)
