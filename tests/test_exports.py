"""Exports of an edition and of a filtered view: CSV (BOM), XLSX (openpyxl) and JSON, in the official order."""

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from catalogue.models import ProcurementMethod, ServiceCategory
from tests import factories
from tests.public_builders import bulk_items, page_codes, page_seqs

OFFICIAL_COLUMNS = ["序号", "编码", "一级", "二级", "三级", "事项名称", "服务内容", "购买主体", "承接主体要求", "购买方式", "试点", "备注"]
EXPORT_COLUMNS = OFFICIAL_COLUMNS + ["预算（元）", "绩效评价标准"]
JSON_ITEM_FIELDS = {
    "seq", "code", "area", "field", "type", "name", "content", "purchasing_bodies", "provider_requirements",
    "procurement_method", "procurement_method_label", "performance_standard", "budget", "is_pilot", "notes", "url",
}
JSON_EDITION_FIELDS = {
    "id", "title", "region", "region_code", "year", "revision", "document_number", "published_on", "status",
    "status_label", "url",
}


def export_url(edition, fmt, query=""):
    return reverse("catalogue:edition_export", args=[edition.pk, fmt]) + query


def cat(code):
    return ServiceCategory.objects.get(code=code)


@pytest.fixture
def bodies():
    return [
        factories.purchasing_body("咸宁市民政局", short_name="市民政局"),
        factories.purchasing_body("咸宁市人力资源和社会保障局", short_name="市人社局"),
    ]


@pytest.fixture
def city(bodies):
    edition = factories.edition(document_number="咸财综发〔2016〕12号", published_on=date(2016, 4, 8))
    factories.item(
        edition, "C0201", "社区居家养老服务", bodies=bodies, is_pilot=True, budget=Decimal("120000"),
        performance_standard="服务对象满意度不低于90%。", notes="先行试点",
    )
    factories.item(edition, "C0202", "农村特困供养机构托管", bodies=[bodies[0]],
                   procurement_method=ProcurementMethod.COMPETITIVE_CONSULTATION)
    factories.item(edition, "B0201", "政府组织的就业培训和创业培训", bodies=[bodies[1]], content="职业技能培训。")
    return edition


@pytest.fixture
def big(bodies):
    edition = factories.edition(year=2017)
    bulk_items(edition, 500, bodies=bodies)
    return edition


def csv_rows(response):
    text = response.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_sheet(response):
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    assert len(workbook.worksheets) == 1
    return workbook.worksheets[0]


def json_payload(response):
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.getvalue().decode("utf-8"))


def test_csv_starts_with_a_bom_and_has_the_official_header(client, city):
    response = client.get(export_url(city, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.getvalue().startswith(b"\xef\xbb\xbf")
    rows = csv_rows(response)
    assert rows[0] == EXPORT_COLUMNS
    assert rows[1:] == [
        ["1", "B0201-01", "就业", "职业培训", "政府组织的就业培训和创业培训", "政府组织的就业培训和创业培训", "职业技能培训。",
         "市人社局", "", "公开招标", "", "", "", ""],
        ["2", "C0201-01", "社会保障", "养老服务", "社区居家养老服务", "社区居家养老服务",
         "为居家老年人提供生活照料、助餐助浴、精神慰藉等上门服务。", "市人社局、市民政局", "", "公开招标", "是", "先行试点",
         "120000.00", "服务对象满意度不低于90%。"],
        ["3", "C0202-01", "社会保障", "养老服务", "农村特困供养机构托管", "农村特困供养机构托管",
         "为居家老年人提供生活照料、助餐助浴、精神慰藉等上门服务。", "市民政局", "", "竞争性磋商", "", "", "", ""],
    ]


def test_export_has_a_chinese_filename(client, city):
    disposition = client.get(export_url(city, "csv"))["Content-Disposition"]
    assert disposition.startswith('attachment; filename="catalogue-421200-2016-r1.csv"; ')
    encoded = re.search(r"filename\*=UTF-8''(\S+)$", disposition).group(1)
    assert unquote(encoded) == "咸宁市2016年指导性目录（第1版）.csv"
    filtered = client.get(export_url(city, "xlsx", "?pilot=on"))["Content-Disposition"]
    assert unquote(re.search(r"filename\*=UTF-8''(\S+)$", filtered).group(1)) == "咸宁市2016年指导性目录（第1版）（筛选结果）.xlsx"


def test_xlsx_has_one_sheet_a_bold_frozen_header_widths_and_wrapped_text(client, city):
    response = client.get(export_url(city, "xlsx"))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = xlsx_sheet(response)
    assert sheet.title == "咸宁市2016"
    assert [cell.value for cell in sheet[4]] == EXPORT_COLUMNS
    assert all(cell.font.bold for cell in sheet[4])
    assert sheet.freeze_panes == "A5"
    assert sheet.print_title_rows == "$4:$4"  # the header again on every printed page
    assert sheet.column_dimensions["A"].width == 6
    assert sheet.column_dimensions["G"].width == 44
    assert sheet.max_row == 7
    assert [sheet.cell(row=row, column=2).value for row in range(5, 8)] == ["B0201-01", "C0201-01", "C0202-01"]
    assert sheet["G6"].alignment.wrap_text
    assert sheet["H6"].value == "市人社局、市民政局"
    assert sheet["M6"].value == 120000 and sheet["N6"].value == "服务对象满意度不低于90%。"


def test_xlsx_opens_with_the_editions_title_document_number_and_date_as_an_official_copy(client, city):
    sheet = xlsx_sheet(client.get(export_url(city, "xlsx")))
    assert sheet["A1"].value == "咸宁市2016年政府向社会力量购买服务指导性目录"
    assert sheet["A1"].font.bold and sheet["A1"].font.size == 14
    assert sheet["A2"].value == "文号：咸财综发〔2016〕12号　发布日期：2016-04-08"
    assert sheet["A3"].value is None
    filtered = xlsx_sheet(client.get(export_url(city, "xlsx", "?pilot=on")))
    assert filtered["A3"].value == "本表为按条件筛选的部分事项，不是目录全文。"
    assert [cell.value for cell in filtered[5]] == EXPORT_COLUMNS


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_every_export_carries_the_budget_and_the_performance_standard(client, city, fmt):
    """Issue 12 (2): the public export lacked 预算 and 绩效评价标准, so items imported from it lost them."""
    response = client.get(export_url(city, fmt))
    if fmt == "csv":
        rows = [dict(zip(csv_rows(response)[0], row)) for row in csv_rows(response)[1:]]
    elif fmt == "xlsx":
        values = list(xlsx_sheet(response).iter_rows(min_row=4, values_only=True))
        rows = [dict(zip(values[0], row)) for row in values[1:]]
    else:
        rows = [
            {"编码": item["code"], "预算（元）": item["budget"], "绩效评价标准": item["performance_standard"]}
            for item in json_payload(response)["items"]
        ]
    pilot = next(row for row in rows if row["编码"] == "C0201-01")
    assert Decimal(str(pilot["预算（元）"])) == Decimal("120000.00")
    assert pilot["绩效评价标准"] == "服务对象满意度不低于90%。"
    assert str(pilot["预算（元）"]).replace(".", "").isdigit()  # a plain number for machines: no 120,000.00


def test_json_has_the_documented_fields(client, city, bodies):
    payload = json_payload(client.get(export_url(city, "json")))
    assert set(payload) == {"edition", "filters", "count", "items"}
    assert set(payload["edition"]) == JSON_EDITION_FIELDS
    assert payload["edition"]["document_number"] == "咸财综发〔2016〕12号"
    assert payload["edition"]["published_on"] == "2016-04-08"
    assert payload["edition"]["region_code"] == "421200"
    assert payload["filters"] == {}
    assert payload["count"] == 3 == len(payload["items"])
    for item in payload["items"]:
        assert set(item) == JSON_ITEM_FIELDS
    pilot = payload["items"][1]
    assert pilot["seq"] == 2
    assert (pilot["area"], pilot["field"], pilot["type"]) == ("社会保障", "养老服务", "社区居家养老服务")
    assert sorted(pilot["purchasing_bodies"]) == sorted(["咸宁市民政局", "咸宁市人力资源和社会保障局"])
    assert pilot["procurement_method"] == "OPEN_TENDER"
    assert pilot["procurement_method_label"] == "公开招标"
    assert pilot["budget"] == "120000.00"
    assert pilot["is_pilot"] is True
    assert pilot["performance_standard"] == "服务对象满意度不低于90%。"
    assert pilot["url"].startswith("http://testserver/items/")
    assert payload["items"][0]["budget"] is None
    assert payload["items"][0]["is_pilot"] is False


def test_json_records_the_filters_that_took_effect(client, city, bodies):
    query = f"?category={cat('C').pk}&body={bodies[0].pk}&method=OPEN_TENDER&pilot=on&q=养老&page=3"
    payload = json_payload(client.get(export_url(city, "json", query)))
    assert payload["filters"] == {"category": "C", "body": "咸宁市民政局", "method": "OPEN_TENDER", "pilot": True, "q": "养老"}
    assert [item["code"] for item in payload["items"]] == ["C0201-01"]
    ignored = json_payload(client.get(export_url(city, "json", "?method=BOGUS&category=999999")))
    assert ignored["filters"] == {}
    assert ignored["count"] == 3


def all_page_rows(client, edition, query):
    """(codes, seqs) of every page of the edition page for query, following the pager."""
    codes, seqs = [], []
    number = 1
    while True:
        separator = "&" if query else "?"
        response = client.get(reverse("catalogue:edition", args=[edition.pk]) + f"{query}{separator}page={number}")
        page = response.getvalue().decode()
        codes += page_codes(page)
        seqs += page_seqs(page)
        if f"page={number + 1}" not in page:
            return codes, seqs
        number += 1


@pytest.mark.parametrize(
    "query",
    ["", "?category={C}", "?category={C}&method=OPEN_TENDER", "?pilot=on", "?q=服务&body={body}", "?method=BOGUS&q=养老"],
)
def test_filtered_export_holds_exactly_the_rows_of_the_page(client, big, bodies, query):
    query = query.format(C=cat("C").pk, body=bodies[1].pk)
    page_rows, seqs = all_page_rows(client, big, query)
    assert page_rows
    assert seqs == list(range(1, len(page_rows) + 1))
    csv_codes = [row[1] for row in csv_rows(client.get(export_url(big, "csv", query)))[1:]]
    sheet = xlsx_sheet(client.get(export_url(big, "xlsx", query)))
    header_row = next(row for row in range(1, 10) if sheet.cell(row=row, column=1).value == "序号")
    xlsx_codes = [sheet.cell(row=row, column=2).value for row in range(header_row + 1, sheet.max_row + 1)]
    payload = json_payload(client.get(export_url(big, "json", query)))
    json_codes = [item["code"] for item in payload["items"]]
    assert csv_codes == xlsx_codes == json_codes == page_rows
    assert [item["seq"] for item in payload["items"]] == seqs
    assert payload["count"] == len(page_rows)


def test_export_of_the_whole_edition_has_every_item(client, big):
    assert len(csv_rows(client.get(export_url(big, "csv")))) == 501


@pytest.mark.parametrize("fmt", ["pdf", "xls", "CSV", "json2", ""])
def test_unknown_format_is_404(client, city, fmt):
    assert client.get(f"/editions/{city.pk}/export.{fmt}").status_code == 404


def test_spreadsheet_formulas_in_item_text_stay_text(client):
    edition = factories.edition()
    factories.item(edition, "H0101", "会议服务", notes='=HYPERLINK("http://example.com","点击")', content="+1 服务")
    rows = csv_rows(client.get(export_url(edition, "csv")))
    assert rows[1][11] == "'=HYPERLINK(\"http://example.com\",\"点击\")"
    assert rows[1][6] == "'+1 服务"
    sheet = xlsx_sheet(client.get(export_url(edition, "xlsx")))
    assert sheet["L5"].data_type == "s"
    assert sheet["L5"].value == '=HYPERLINK("http://example.com","点击")'


# The public version, the edition, its published file (none here: the builder bypassed publishing),
# then the items with their categories, editions and bodies (SharedColumnsIterable: 5 queries).
# + 2: the filter's choices read the edition's categories and bodies as ids first (catalogue/filters.py).
MAX_EXPORT_QUERIES = 8 + 2
MAX_FILTERED_EXPORT_QUERIES = 10 + 2


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_runs_a_fixed_number_of_queries_with_500_items(client, big, bodies, fmt, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_EXPORT_QUERIES):
        assert client.get(export_url(big, fmt)).status_code == 200
    query = f"?category={cat('C').pk}&body={bodies[0].pk}&method=OPEN_TENDER&q=服务"
    with django_assert_max_num_queries(MAX_FILTERED_EXPORT_QUERIES):
        assert client.get(export_url(big, fmt, query)).status_code == 200


def test_the_printed_edition_carries_a_print_only_heading_as_an_official_copy(client, city):
    """Issue 12 (7): the print view names the edition's title, 文号 and date as the official text."""
    from pathlib import Path

    from django.conf import settings

    page = client.get(city.get_absolute_url(), {"all": "1"}).getvalue().decode()
    heading = re.search(r'<p class="print-only official-copy">(.*?)</p>', page, re.S).group(1)
    assert "《咸宁市2016年政府向社会力量购买服务指导性目录》（咸财综发〔2016〕12号，2016-04-08发布）的正式文本" in heading
    assert '<p class="print-only print-issuer">咸宁市财政局' in page
    css = Path(settings.BASE_DIR, "static/css/site.css").read_text()
    printing = Path(settings.BASE_DIR, "static/css/print.css").read_text()
    assert ".print-only { display: none; }" in css and ".print-only { display: block !important; }" in printing
    filtered = client.get(city.get_absolute_url(), {"pilot": "on"}).getvalue().decode()
    assert "本表为按条件筛选的部分事项，不是目录全文。" in filtered
