"""Published performance evaluation results (issue 5): the results page and its filters, the item page's
section, the exports and the grades-per-area chart. An unpublished or withdrawn result is nowhere public."""

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from catalogue.models import Catalogue, Evaluation, Provider
from tests import factories as f
from tests.contract_builders import municipal, published_item
from tests.results_builders import evaluated, many_results

EVALUATION_JSON_FIELDS = {
    "seq", "id", "year", "region", "region_code", "area_code", "area", "item_code", "item_name", "item_url",
    "purchasing_body", "provider", "provider_credit_code", "provider_url", "contract_value", "contract_period_start",
    "contract_period_end", "self_score", "satisfaction_score", "third_party_score", "third_party_name", "weights",
    "score", "grade", "grade_label", "evaluated_on", "published_on",
}
EVALUATION_HEADER = [
    "序号", "年度", "行政区划", "一级", "编码", "事项名称", "购买主体", "承接主体", "统一社会信用代码", "合同金额（元）",
    "自评得分", "服务对象满意度得分", "第三方评价得分", "权重（自评/满意度/第三方，%）", "综合得分", "评价等级",
    "第三方评价机构", "评价日期", "公开日期",
]


def html(response):
    assert response.status_code == 200, response.status_code
    return response.getvalue().decode()


def results_url(query=""):
    return reverse("catalogue:evaluations") + query


def export_url(fmt, query=""):
    return reverse("catalogue:evaluation_export", args=[fmt]) + query


def rows_of(page):
    """(item or provider names, grade) of each row of a results table, in order."""
    body = page[page.index("<tbody>") : page.index("</tbody>")] if "<tbody>" in page else ""
    return re.findall(r'<tr class="result-row result-(\w+)">', body)


def read_csv(response):
    assert response.status_code == 200
    assert response.getvalue().startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


@pytest.fixture
def shicaizheng():
    return municipal()


@pytest.fixture
def world(shicaizheng):
    """Published results in two regions, two years and three areas, plus one unpublished and one withdrawn."""
    sunshine = f.provider("咸宁市阳光社会工作服务中心", categories=("C02",))
    property_firm = f.provider("湖北香城物业服务有限公司", kind=Provider.Kind.ENTERPRISE, categories=("H01",))
    culture = f.provider("咸宁市香城演艺有限公司", kind=Provider.Kind.ENTERPRISE, categories=("F01",))
    home_care_2016 = published_item(year=2016, name="咸宁市社区居家养老服务", budget=Decimal("500000"))
    home_care_2017 = published_item(year=2017, name="咸宁市社区居家养老服务", budget=Decimal("500000"))
    xianan_care = published_item("xianan", 2017, name="咸安区社区居家养老服务", budget=Decimal("300000"))
    cleaning = published_item(
        year=2017, category="H0103", name="机关物业管理服务", budget=Decimal("300000"),
        body=f.purchasing_body("咸宁市机关事务服务中心"),
    )
    films = published_item(
        year=2016, category="F0101", name="公益性文化演出", budget=Decimal("300000"),
        body=f.purchasing_body("咸宁市文化和旅游局"),
    )
    results = {
        "excellent_2016": evaluated(
            home_care_2016, sunshine, shicaizheng, (93, 91.5, 90), announced=True, announced_on=date(2016, 3, 5)
        ),
        "good_2017": evaluated(home_care_2017, sunshine, shicaizheng, (90, 86, 84)),
        "xianan_good": evaluated(xianan_care, sunshine, shicaizheng, (85, 82, 80)),
        "fail_2017": evaluated(cleaning, property_firm, shicaizheng, (65, 48, 52)),
        "pass_2016": evaluated(films, culture, shicaizheng, (72, 70, 68)),
        "unpublished": evaluated(films, culture, shicaizheng, (11, 12, 13), state="unpublished"),
        "withdrawn": evaluated(home_care_2017, sunshine, shicaizheng, (21, 22, 23), state="withdrawn"),
    }
    return {"results": results, "sunshine": sunshine, "property_firm": property_firm, "home_care_2017": home_care_2017,
            "home_care_2016": home_care_2016, "cleaning": cleaning, "films": films}


PUBLISHED = 5


# -- only published results, anywhere -------------------------------------------------------------------


def public_urls(world):
    return {
        "results": results_url(),
        "provider": reverse("catalogue:provider", args=[world["sunshine"].pk]),
        "culture_provider": reverse("catalogue:provider", args=[world["results"]["pass_2016"].contract.provider_id]),
        "item_2016": world["films"].get_absolute_url(),
        "item_2017": world["home_care_2017"].get_absolute_url(),
        "statistics": reverse("catalogue:statistics"),
        "csv": export_url("csv"),
        "json": export_url("json"),
        "providers_json": reverse("catalogue:provider_export", args=["json"]),
    }


@pytest.mark.parametrize(
    "page",
    ["results", "provider", "culture_provider", "item_2016", "item_2017", "statistics", "csv", "json", "providers_json"],
)
def test_unpublished_and_withdrawn_results_appear_on_no_public_page_or_export(client, world, page):
    body = client.get(public_urls(world)[page]).getvalue().decode("utf-8-sig")
    for scores in ("11.00", "12.00", "13.00", "21.00", "22.00", "23.00"):
        assert scores not in body, (page, scores)
    for hidden in ("unpublished", "withdrawn"):
        assert f'"id": {world["results"][hidden].pk},' not in body


def test_the_results_page_lists_every_published_result_newest_first(client, world):
    page = html(client.get(results_url()))
    assert "共 5 项评价结果" in page
    assert len(rows_of(page)) == PUBLISHED
    expected = list(Evaluation.objects.published().order_by("-evaluated_on", "-pk").values_list("grade", flat=True))
    assert [grade.upper() for grade in rows_of(page)] == expected


def test_a_result_row_links_the_item_and_the_provider_while_they_are_public(client, world):
    revoked = Provider.QualificationStatus.REVOKED
    Provider.objects.filter(pk=world["property_firm"].pk).update(qualification_status=revoked)
    Catalogue.objects.filter(pk=world["films"].edition_id).update(status=Catalogue.Status.WITHDRAWN)
    page = html(client.get(results_url()))
    assert f'<a href="{world["cleaning"].get_absolute_url()}" lang="zh-Hans">机关物业管理服务</a>' in page
    assert "湖北香城物业服务有限公司" in page  # revoked since: named, not linked
    assert f'href="{reverse("catalogue:provider", args=[world["property_firm"].pk])}"' not in page
    assert "公益性文化演出" in page and f'href="{world["films"].get_absolute_url()}"' not in page
    sunshine = reverse("catalogue:provider", args=[world["sunshine"].pk])
    assert f'<a href="{sunshine}">咸宁市阳光社会工作服务中心</a>' in page


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?year=2016", {"excellent", "pass"}),
        ("?grade=FAIL", {"fail"}),
        ("?grade=GOOD&year=2017", {"good"}),
        ("?area={area_h}", {"fail"}),
        ("?region={xianan}", {"good"}),
        ("?region={xianning}&year=2017", {"good", "fail"}),
    ],
)
def test_results_filter_by_year_area_region_and_grade(client, world, query, expected):
    query = query.format(
        area_h=f.category("H").pk, xianan=f.region("xianan").pk, xianning=f.region("xianning").pk
    )
    page = html(client.get(results_url(query)))
    assert set(rows_of(page)) == expected
    payload = json.loads(client.get(export_url("json", query)).getvalue())
    assert len(payload["evaluations"]) == len(rows_of(page))
    assert {entry["grade"].lower() for entry in payload["evaluations"]} == expected


@pytest.mark.parametrize(
    "query, message",
    [
        ("?year=1999", "筛选条件“年度”的值无效"),
        ("?year=abc", "筛选条件“年度”的值无效"),
        ("?grade=BEST", "筛选条件“评价等级”的值无效"),
        ("?area=99999", "筛选条件“服务领域”的值无效"),
        ("?region=%3Cscript%3E", "筛选条件“行政区划”的值无效"),
        ("?page=abc", "页码“abc”无效"),
        ("?page=99", "共1页，已显示最后一页。"),
    ],
)
def test_bad_filter_values_show_every_result_with_a_chinese_message(client, world, query, message):
    page = html(client.get(results_url(query)))
    assert message in page
    assert len(rows_of(page)) == PUBLISHED
    assert "<script>" not in page


def test_results_filters_are_kept_in_the_export_links(client, world):
    page = html(client.get(results_url("?year=2017&grade=GOOD&page=1")))
    for fmt in ("csv", "xlsx", "json"):
        assert f'href="{export_url(fmt)}?year=2017&amp;grade=GOOD"' in page


def test_results_are_paginated_and_keep_the_filters(client, shicaizheng):
    provider = f.provider(categories=("C02",))
    many_results(provider, 55)
    first = html(client.get(results_url("?year=2017")))
    assert len(rows_of(first)) == 50
    assert 'href="?year=2017&amp;page=2"' in first
    assert len(rows_of(html(client.get(results_url("?year=2017&page=2"))))) == 5
    assert len(read_csv(client.get(export_url("csv", "?year=2017")))) == 56  # header + all pages


# -- the item page ------------------------------------------------------------------------------------------


def test_item_page_shows_the_published_results_of_its_contracts(client, world):
    page = html(client.get(world["home_care_2017"].get_absolute_url()))
    results = page[page.index('id="evaluations-heading"') :]
    assert rows_of(results) == ["good"]
    sunshine = reverse("catalogue:provider", args=[world["sunshine"].pk])
    assert f'<a href="{sunshine}">咸宁市阳光社会工作服务中心</a>' in results
    for text in ("2017年", "咸宁市民政局", "90.00", "86.00", "84.00", "<strong>87.00</strong>", "良好"):
        assert text in results, text


def test_item_page_of_a_later_revision_shows_the_results_of_the_same_service(client, world, shicaizheng):
    """A correction (动态调整) gives the service a new row; its results follow it by region, year and code."""
    item = world["home_care_2017"]
    edition = item.edition
    Catalogue.objects.filter(pk=edition.pk).update(status=Catalogue.Status.SUPERSEDED)
    revised = f.edition(year=2017, revision=2)
    again = f.item(revised, "C0201", "咸宁市社区居家养老服务（调整后）", code=item.code, budget=Decimal("500000"))
    results = html(client.get(again.get_absolute_url()))
    results = results[results.index('id="evaluations-heading"') :]
    assert rows_of(results) == ["good"]


def test_item_without_published_results_says_so(client, world):
    page = html(client.get(world["films"].get_absolute_url()))
    assert rows_of(page[page.index('id="evaluations-heading"') :]) == ["pass"]
    other = published_item(year=2017, category="C0202", name="农村特困供养机构托管", budget=Decimal("1000"))
    assert "暂无已公开的绩效评价结果。" in html(client.get(other.get_absolute_url()))


# -- exports ------------------------------------------------------------------------------------------------


def test_results_csv_has_a_bom_a_header_and_the_published_rows(client, world):
    rows = read_csv(client.get(export_url("csv")))
    assert rows[0] == EVALUATION_HEADER
    assert len(rows) == 1 + PUBLISHED
    excellent = next(row for row in rows if row[15] == "优秀")
    assert excellent[1:9] == [
        "2016", "咸宁市", "社会保障", world["home_care_2016"].code, "咸宁市社区居家养老服务", "咸宁市民政局",
        "咸宁市阳光社会工作服务中心", world["sunshine"].credit_code,
    ]
    assert excellent[9] == "50000.00"  # announced
    assert excellent[10:15] == ["93.00", "91.50", "90.00", "40/30/30", "91.65"]
    unannounced = next(row for row in rows if row[15] == "不合格")
    assert unannounced[9] == ""


def test_results_json_has_the_documented_field_names(client, world):
    payload = json.loads(client.get(export_url("json", "?grade=EXCELLENT")).getvalue())
    assert set(payload) == {"filters", "count", "evaluations"}
    assert payload["filters"] == {"grade": "EXCELLENT"} and payload["count"] == 1
    entry = payload["evaluations"][0]
    assert set(entry) == EVALUATION_JSON_FIELDS
    assert entry["year"] == 2016 and entry["area_code"] == "C" and entry["region_code"] == "421200"
    assert entry["weights"] == {"self": 40, "satisfaction": 30, "third_party": 30}
    assert (entry["score"], entry["grade"], entry["grade_label"]) == ("91.65", "EXCELLENT", "优秀")
    assert entry["contract_value"] == "50000.00" and entry["contract_period_end"] == "2016-12-31"
    assert entry["item_url"].endswith(world["home_care_2016"].get_absolute_url())
    assert entry["provider_url"].endswith(reverse("catalogue:provider", args=[world["sunshine"].pk]))


def test_results_json_hides_the_value_of_an_unannounced_contract(client, world):
    payload = json.loads(client.get(export_url("json", "?grade=FAIL")).getvalue())
    entry = payload["evaluations"][0]
    assert entry["contract_value"] is None and entry["contract_period_start"] is None
    assert entry["score"] == "56.00" and entry["grade_label"] == "不合格"


def test_results_json_filters_use_stable_values(client, world):
    query = f"?year=2017&area={f.category('C').pk}&region={f.region('xianning').pk}&grade=GOOD"
    payload = json.loads(client.get(export_url("json", query)).getvalue())
    assert payload["filters"] == {"year": 2017, "area": "C", "region": "咸宁市", "grade": "GOOD"}


def test_results_xlsx_opens_with_its_header_and_widths(client, world):
    response = client.get(export_url("xlsx"))
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert [cell.value for cell in sheet[1]] == EVALUATION_HEADER
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["F"].width == 26
    assert sheet.max_row == 1 + PUBLISHED


@pytest.mark.parametrize("fmt", ["pdf", "html"])
def test_an_unknown_results_format_is_404(client, fmt):
    assert client.get(export_url(fmt)).status_code == 404


# -- statistics: grades per area --------------------------------------------------------------------------


def grade_table(page):
    """{area: [优秀, 良好, 合格, 不合格, 合计]} from the chart's data table."""
    chart = page[page.index('id="chart-grades-heading"') :]
    table = chart[chart.index("<tbody>") : chart.index("</tbody>")]
    rows = re.findall(r'<th scope="row"(?: lang="zh-Hans")?>([^<]+)</th>((?:<td class="num">\d+</td>)+)', table)
    return {area: [int(n) for n in re.findall(r">(\d+)<", cells)] for area, cells in rows}


def test_statistics_chart_counts_published_grades_per_area(client, world):
    page = html(client.get(reverse("catalogue:statistics")))
    table = grade_table(page)
    assert len(table) == 8
    assert table["社会保障"] == [1, 2, 0, 0, 3]
    assert table["公共管理辅助性事项"] == [0, 0, 0, 1, 1]
    assert table["文化体育"] == [0, 0, 1, 0, 1]  # the unpublished 文化体育 result is not counted
    assert table["教育"] == [0, 0, 0, 0, 0]
    chart = page[page.index('id="chart-grades-heading"') :]
    assert '<svg class="chart-svg"' in chart
    for css in ("bar-excellent", "bar-good", "bar-pass", "bar-fail"):
        assert f'class="{css}"' in chart
    assert "全部 5 项已公开的绩效评价结果" in chart


def test_statistics_without_published_results_says_so(client, shicaizheng):
    page = html(client.get(reverse("catalogue:statistics")))
    assert "尚无已公开的绩效评价结果。" in page


# -- a fixed number of queries ------------------------------------------------------------------------------


@pytest.fixture
def busy(shicaizheng):
    """150 published results of five providers in two years, and an edition of 500 items."""
    from tests.public_builders import bulk_items

    item = None
    for number in range(5):
        provider = f.provider(f"咸宁市第{number}社会工作服务中心", categories=("C02",))
        item = many_results(provider, 30, year=2016 + number % 2)
    edition = f.edition("chibi", 2017)
    bulk_items(edition, 500, bodies=[f.purchasing_body("赤壁市民政局", "chibi")])
    return item


# Each uncached page or export reads the public version first (catalogue/public_cache.py): the + 1.
QUERIES = {
    "results": 5 + 1,  # year choices, area and region selects, the count, the page's rows (one join)
    "results_filtered": 8 + 1,  # + the chosen area and region, and the year choices once more for validation
    "item": 4 + 1,  # the item, its bodies, the qualified providers, its published results
    "export_csv": 1 + 1,  # every published result in one join
    "export_json": 4 + 1,  # + the filter's year choices, area and region
    "statistics": 7 + 1,  # the catalogue figures (6) + grades per area (1)
}


@pytest.mark.parametrize("name", list(QUERIES))
def test_results_pages_and_exports_run_a_fixed_number_of_queries(client, busy, name, django_assert_max_num_queries):
    filtered = f"?year=2016&area={f.category('C').pk}&region={f.region('xianning').pk}&grade=PASS"
    urls = {
        "results": results_url(),
        "results_filtered": results_url(filtered),
        "item": busy.get_absolute_url(),
        "export_csv": export_url("csv"),
        "export_json": export_url("json", filtered),
        "statistics": reverse("catalogue:statistics"),
    }
    with django_assert_max_num_queries(QUERIES[name]):
        response = client.get(urls[name])
    assert response.status_code == 200
