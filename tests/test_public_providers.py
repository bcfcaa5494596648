"""The public provider directory and a provider's page (issue 5): the qualification's state and dates, the
provider's PUBLISHED evaluation results, and the directory's exports. Evidence is for staff only."""

import csv
import io
import json
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from catalogue.models import Catalogue, Evaluation, Provider
from catalogue.services import suspend_provider
from tests import factories as f
from tests.contract_builders import check_all, municipal, published_item
from tests.results_builders import evaluated, many_results

PROVIDER_JSON_FIELDS = {
    "seq", "name", "kind", "kind_label", "credit_code", "registration_authority", "region", "region_code",
    "categories", "qualification_status", "qualification_status_label", "qualified_from", "qualified_until",
    "social_organisation_grade", "latest_evaluation_grade", "latest_evaluation_grade_label", "address", "phone", "url",
}
PROVIDER_HEADER = [
    "序号", "名称", "类型", "统一社会信用代码", "登记管理机关", "所在行政区划", "可承接的服务类别", "资质状态", "认定日期",
    "认定有效期至", "社会组织评估等级", "最近绩效评价等级", "地址", "联系电话",
]


def html(response):
    assert response.status_code == 200, response.status_code
    return response.getvalue().decode()


def listed(page):
    return re.findall(r'<a href="/providers/\d+/"(?: lang="zh-Hans")?>([^<]+)</a>', page)


def section(page, heading_id):
    """A section of a page, from its heading to its end."""
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


def provider_url(provider):
    return reverse("catalogue:provider", args=[provider.pk])


def export_url(fmt, query=""):
    return reverse("catalogue:provider_export", args=[fmt]) + query


@pytest.fixture
def shicaizheng():
    return municipal()


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def sunshine(today):
    return f.provider(
        "咸宁市阳光社会工作服务中心",
        categories=("C02",),
        evaluation_grade="4A",
        qualified_from=date(2016, 3, 1),
        qualified_until=today + timedelta(days=700),
    )


@pytest.fixture
def others(today):
    return {
        "training": f.provider("赤壁市职业技能培训学校", categories=("B02",), region_slug="chibi"),
        "it": f.provider("湖北咸宁信息技术有限公司", kind=Provider.Kind.ENTERPRISE, categories=("H0203",)),
        "expired": f.provider("已过期的社工机构", categories=("C02",), qualified_until=today - timedelta(days=1)),
        "pending": f.provider("待审核的社工机构", qualification_status=Provider.QualificationStatus.PENDING),
        "revoked": f.provider("已撤销的社工机构", qualification_status=Provider.QualificationStatus.REVOKED),
        "suspended": f.provider("已暂停的社工机构", qualification_status=Provider.QualificationStatus.SUSPENDED),
    }


@pytest.fixture
def home_care(shicaizheng):
    """咸宁市社区居家养老服务 in the published 2017 edition, budget 1,000,000 元."""
    return published_item(name="咸宁市社区居家养老服务", budget=Decimal("1000000"))


# -- the qualification's state and dates ------------------------------------------------------------


def test_directory_shows_each_providers_state_and_its_dates(client, sunshine, others):
    page = html(client.get(reverse("catalogue:providers")))
    row = page[page.index(sunshine.name) :].split("</tr>")[0]
    period = f"{sunshine.qualified_from.isoformat()} 至 {sunshine.qualified_until.isoformat()}"
    assert '<span class="qualification qualification-qualified">已认定</span>' in row
    assert period in row


def test_directory_lists_only_providers_qualified_today(client, sunshine, others):
    page = html(client.get(reverse("catalogue:providers")))
    assert sorted(listed(page)) == sorted([sunshine.name, others["training"].name, others["it"].name])


@pytest.mark.parametrize("key", ["expired", "pending", "revoked", "suspended"])
def test_a_provider_not_qualified_today_answers_404_by_its_direct_link(client, others, key):
    """Choice: the public site shows qualified providers only; a lapsed or stopped one answers 404, as before."""
    assert client.get(provider_url(others[key])).status_code == 404


def test_a_provider_suspended_by_staff_leaves_the_directory_and_its_page(client, sunshine, shicaizheng):
    assert client.get(provider_url(sunshine)).status_code == 200
    suspend_provider(sunshine, by=shicaizheng, reason="年检不合格，限期整改。")
    assert client.get(provider_url(sunshine)).status_code == 404
    assert sunshine.name not in listed(html(client.get(reverse("catalogue:providers"))))


def test_a_qualification_lapses_from_the_directory_the_day_after_its_date(client, sunshine, today):
    sunshine.qualified_until = today
    sunshine.save(update_fields=["qualified_until"])
    assert client.get(provider_url(sunshine)).status_code == 200
    sunshine.qualified_until = today - timedelta(days=1)
    sunshine.save(update_fields=["qualified_until"])
    assert client.get(provider_url(sunshine)).status_code == 404


def test_a_cached_directory_drops_a_lapsed_provider_when_the_day_turns(client, sunshine, today, monkeypatch):
    """Nothing is written when a qualification lapses; the day is part of every cached page's key."""
    from django.utils import timezone

    sunshine.qualified_until = today
    sunshine.save(update_fields=["qualified_until"])
    assert client.get(provider_url(sunshine)).status_code == 200
    assert sunshine.name in html(client.get(reverse("catalogue:providers")))
    tomorrow = today + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert client.get(provider_url(sunshine)).status_code == 404
    assert sunshine.name not in html(client.get(reverse("catalogue:providers")))


def test_provider_page_shows_the_state_its_dates_and_the_qualification_trail(client, shicaizheng, today):
    from catalogue.services import qualify_provider

    provider = f.provider(
        "咸宁市夕阳红居家养老服务中心", categories=(), qualification_status=Provider.QualificationStatus.PENDING
    )
    check_all(provider, shicaizheng)
    until = today + timedelta(days=365)
    qualify_provider(provider, by=shicaizheng, categories=[f.category("C02")], until=until, note="内部意见：材料齐全")
    page = html(client.get(provider_url(provider)))
    assert '<span class="qualification qualification-qualified">已认定</span>' in page
    assert f"{today.isoformat()} 至 {until.isoformat()}" in page
    trail = section(page, "trail-heading")
    assert "认定" in trail and f"认定有效期至 {until.isoformat()}" in trail
    assert "内部意见" not in page  # the reason stays in the admin


def test_evidence_and_condition_checks_are_never_public(client, sunshine, shicaizheng):
    check_all(sunshine, shicaizheng)  # references 鄂民政登字第101号 …
    for url in (provider_url(sunshine), reverse("catalogue:providers"), export_url("csv"), export_url("json")):
        body = client.get(url).getvalue().decode("utf-8-sig")
        assert "鄂民政登字" not in body, url
        assert "依法设立，能独立承担民事责任" not in body, url
        assert "evidence" not in body, url


# -- published evaluations on the provider's page ----------------------------------------------------


def test_provider_page_lists_its_published_evaluations_with_scores_grade_and_links(
    client, sunshine, home_care, shicaizheng
):
    evaluated(home_care, sunshine, shicaizheng, (92, 88, 85), published_on=date(2018, 2, 28))
    page = html(client.get(provider_url(sunshine)))
    results = section(page, "evaluations-heading")
    row = results[results.index("<tbody>") :].split("</tr>")[0]
    assert f'<a href="{home_care.get_absolute_url()}" lang="zh-Hans">咸宁市社区居家养老服务</a>' in row
    for text in ("2017年", "咸宁市民政局", "92.00", "88.00", "85.00", "<strong>88.70</strong>", "权重 40/30/30", "2018-02-28"):
        assert text in row, text
    assert '<span class="grade-badge grade-good">良好</span>' in row


def test_evaluations_are_listed_newest_first(client, sunshine, home_care, shicaizheng):
    older = evaluated(home_care, sunshine, shicaizheng, (70, 70, 70))
    newer = evaluated(home_care, sunshine, shicaizheng, (95, 95, 95))
    Evaluation.objects.filter(pk=older.pk).update(evaluated_on=date(2018, 1, 10))
    Evaluation.objects.filter(pk=newer.pk).update(evaluated_on=date(2018, 3, 10))
    results = section(html(client.get(provider_url(sunshine))), "evaluations-heading")
    assert results.index("grade-excellent") < results.index("grade-pass")


def test_unpublished_and_withdrawn_evaluations_are_not_on_the_providers_page(client, sunshine, home_care, shicaizheng):
    evaluated(home_care, sunshine, shicaizheng, (50, 50, 50), state="unpublished")
    evaluated(home_care, sunshine, shicaizheng, (40, 40, 40), state="withdrawn")
    page = html(client.get(provider_url(sunshine)))
    assert "暂无已公开的绩效评价结果。" in page
    assert "grade-fail" not in section(page, "evaluations-heading").split('class="hint grade-legend"')[0]
    assert "50.00" not in page and "40.00" not in page


def test_directory_shows_the_newest_published_grade_never_an_unpublished_one(client, sunshine, home_care, shicaizheng):
    evaluated(home_care, sunshine, shicaizheng, (85, 85, 85))
    failed = evaluated(home_care, sunshine, shicaizheng, (30, 30, 30), state="unpublished")
    Evaluation.objects.filter(pk=failed.pk).update(evaluated_on=timezone.localdate())
    row = html(client.get(reverse("catalogue:providers")))
    row = row[row.index(sunshine.name) :].split("</tr>")[0]
    assert '<span class="grade-badge grade-good">良好</span>' in row
    assert "不合格" not in row


def test_an_evaluated_item_is_linked_only_while_its_edition_is_public(client, sunshine, home_care, shicaizheng):
    evaluated(home_care, sunshine, shicaizheng, (92, 88, 85))
    Catalogue.objects.filter(pk=home_care.edition_id).update(status=Catalogue.Status.WITHDRAWN)
    results = section(html(client.get(provider_url(sunshine))), "evaluations-heading")
    assert "咸宁市社区居家养老服务" in results  # the result stays public …
    assert f'href="{home_care.get_absolute_url()}"' not in results  # … without a link to a 404


# -- exports of the directory -----------------------------------------------------------------------------


def read_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.getvalue().startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def test_directory_csv_has_a_bom_a_header_and_exactly_the_listed_providers(client, sunshine, others):
    rows = read_csv(client.get(export_url("csv")))
    assert rows[0] == PROVIDER_HEADER
    page = html(client.get(reverse("catalogue:providers")))
    assert [row[1] for row in rows[1:]] == listed(page)
    sunshine_row = next(row for row in rows if row[1] == sunshine.name)
    assert sunshine_row[3] == sunshine.credit_code
    assert sunshine_row[7] == "已认定"
    assert sunshine_row[8:10] == [sunshine.qualified_from.isoformat(), sunshine.qualified_until.isoformat()]
    assert sunshine_row[6] == "C02 养老服务"


def all_listed(client, query):
    """The providers the directory shows for `query`, page after page."""
    names, number = [], 1
    while True:
        separator = "&" if query else "?"
        page = html(client.get(reverse("catalogue:providers") + f"{query}{separator}page={number}"))
        names += listed(page)
        if 'rel="next"' not in page:
            return names
        number += 1


@pytest.mark.parametrize(
    "query", ["", "?kind=ENTERPRISE", "?q=阳光", "?region={chibi}", "?category={c}&kind=PRIVATE_NON_ENTERPRISE"]
)
def test_a_filtered_export_holds_exactly_the_providers_the_filtered_pages_show(client, sunshine, others, query):
    for number in range(55):
        f.provider(f"咸宁市第{number:02d}养老服务中心", categories=("C0201",))
    query = query.format(chibi=f.region("chibi").pk, c=f.category("C").pk)
    shown = all_listed(client, query)
    assert shown
    rows = read_csv(client.get(export_url("csv", query)))
    assert [row[1] for row in rows[1:]] == shown
    payload = json.loads(client.get(export_url("json", query)).getvalue())
    assert [entry["name"] for entry in payload["providers"]] == shown
    assert payload["count"] == len(shown)
    assert bool(payload["filters"]) == bool(query)


def test_directory_json_has_the_documented_field_names(client, sunshine, home_care, shicaizheng):
    evaluated(home_care, sunshine, shicaizheng, (95, 92, 90))
    payload = json.loads(client.get(export_url("json", "?category=" + str(f.category("C02").pk))).getvalue())
    assert set(payload) == {"filters", "count", "providers"}
    assert payload["filters"] == {"category": "C02"}
    entry = payload["providers"][0]
    assert set(entry) == PROVIDER_JSON_FIELDS
    assert entry["name"] == sunshine.name and entry["kind"] == "PRIVATE_NON_ENTERPRISE"
    assert entry["categories"] == [{"code": "C02", "name": "养老服务"}]
    assert entry["qualification_status"] == "QUALIFIED" and entry["qualification_status_label"] == "已认定"
    assert entry["qualified_until"] == sunshine.qualified_until.isoformat()
    assert entry["social_organisation_grade"] == "4A"
    assert (entry["latest_evaluation_grade"], entry["latest_evaluation_grade_label"]) == ("EXCELLENT", "优秀")
    assert entry["url"].endswith(provider_url(sunshine))


def test_directory_xlsx_has_a_bold_frozen_header_and_column_widths(client, sunshine, others):
    response = client.get(export_url("xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    header = [cell.value for cell in sheet[1]]
    assert header == PROVIDER_HEADER
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == 30
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == listed(
        html(client.get(reverse("catalogue:providers")))
    )
    assert 'filename*=UTF-8' in response["Content-Disposition"]


def test_the_directory_links_its_exports_with_the_current_filters(client, sunshine):
    page = html(client.get(reverse("catalogue:providers") + "?kind=PRIVATE_NON_ENTERPRISE&page=1"))
    for fmt in ("csv", "xlsx", "json"):
        assert f'href="{export_url(fmt)}?kind=PRIVATE_NON_ENTERPRISE"' in page


@pytest.mark.parametrize("fmt", ["pdf", "xml", "CSV"])
def test_an_unknown_export_format_is_404(client, fmt):
    assert client.get(export_url(fmt)).status_code == 404


def test_bad_filters_in_an_export_are_ignored_like_on_the_page(client, sunshine, others):
    rows = read_csv(client.get(export_url("csv", "?kind=BOGUS&region=abc&category=999999")))
    assert len(rows) - 1 == 3


def test_a_provider_name_that_looks_like_a_formula_is_kept_as_text(client):
    f.provider("=HYPERLINK(\"http://example.com\")养老服务中心", categories=("C02",))
    rows = read_csv(client.get(export_url("csv")))
    assert rows[1][1].startswith("'=")


# -- a fixed number of queries ------------------------------------------------------------------------------


@pytest.fixture
def busy(sunshine):
    """sunshine with 50 published evaluations; 40 more qualified providers, some with results."""
    many_results(sunshine, 50)
    for number in range(40):
        provider = f.provider(f"咸宁市第{number:02d}养老服务中心", categories=("C02", "C03"))
        if number % 10 == 0:
            many_results(provider, 2, category="C0202")
    return sunshine


# Each uncached page or export reads the public version first (catalogue/public_cache.py): the + 1.
QUERIES = {
    "directory": 5 + 1,  # the filter's selects (categories, regions), the count, the page's providers with their newest
    "directory_filtered": 7 + 1,  # published grade (a subquery), their categories; + the chosen category and region
    "provider": 6 + 1 + 1,  # the ids of its categories and those under them, then the provider, its categories, the items count and list, its published results, its trail
    "export_csv": 2 + 1,  # the providers with their newest grade, their categories
    "export_xlsx": 2 + 1,
    "export_json": 2 + 1,
    "export_filtered": 4 + 1,  # + the chosen category and region
}


@pytest.mark.parametrize("name", list(QUERIES))
def test_directory_page_and_exports_run_a_fixed_number_of_queries(client, busy, name, django_assert_max_num_queries):
    filtered = f"?category={f.category('C02').pk}&region={f.region('xianning').pk}&kind=PRIVATE_NON_ENTERPRISE&q=养老"
    urls = {
        "directory": reverse("catalogue:providers"),
        "directory_filtered": reverse("catalogue:providers") + filtered,
        "provider": provider_url(busy),
        "export_csv": export_url("csv"),
        "export_xlsx": export_url("xlsx"),
        "export_json": export_url("json"),
        "export_filtered": export_url("json", filtered),
    }
    with django_assert_max_num_queries(QUERIES[name]):
        response = client.get(urls[name])
    assert response.status_code == 200


def test_provider_page_shows_all_50_published_evaluations(client, busy):
    results = section(html(client.get(provider_url(busy))), "evaluations-heading")
    assert "共 50 项评价" in results
    assert results.count('<tr class="result-row') == 50


def test_provider_page_costs_the_same_with_one_evaluation_or_fifty(client, sunshine):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lonely = f.provider("咸宁市温泉颐养园养老服务中心", categories=("C02",))
    many_results(lonely, 1, category="C0202")
    many_results(sunshine, 50)
    counts = []
    for provider in (lonely, sunshine):
        with CaptureQueriesContext(connection) as context:
            html(client.get(provider_url(provider)))
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]
