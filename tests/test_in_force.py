"""Issue 12 (5): one meaning of 现行 — each region's newest published edition — on search, the home page
and the statistics; a year filter for earlier editions; an area or a region alone is a search; results
name the purchasing body and the provider requirements, and can be exported."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from catalogue.models import Catalogue
from tests import factories
from tests.public_builders import bulk_items

SEARCH = reverse("catalogue:search")


def html(response):
    assert response.status_code == 200
    return response.getvalue().decode()


def result_names(page):
    return [re.sub(r"</?mark>", "", name) for name in re.findall(r'<h2 class="result-title"><a href="[^"]*"[^>]*>(.*?)</a></h2>', page)]


def home_counts(client):
    page = html(client.get("/"))
    return {
        name: int(count)
        for name, count in re.findall(r'<span class="area-name"[^>]*>([^<]*)</span>\s*<span class="area-count">(\d+) 项</span>', page)
    }


def statistics_counts(client):
    page = html(client.get(reverse("catalogue:statistics")))
    section = re.search(r'<section class="chart" aria-labelledby="chart-areas-heading">(.*?)</section>', page, re.S).group(1)
    rows = re.findall(r'<tr><th scope="row"[^>]*>([^<]*)</th>\s*<td class="num">(\d+)</td>', section, re.S)
    return {name: int(count) for name, count in rows}


def search_count(client, **params):
    page = html(client.get(SEARCH, params))
    match = re.search(r"(?:共|找到) (\d+) (?:项|个)", page)
    return int(match.group(1)) if match else None


@pytest.fixture
def years():
    """残疾人服务 in the city's 2016 and 2017 catalogues and 咸安区's 2016 one; a superseded 2017 revision."""
    body = factories.purchasing_body("咸宁市残疾人联合会", short_name="市残联")
    city_2016 = factories.edition(year=2016)
    for n in range(3):
        factories.item(city_2016, "G0101", f"2016年残疾人康复训练{n}", bodies=[body])
    factories.item(city_2016, "G0201", "2016年残疾人职业培训", bodies=[body])
    old_2017 = factories.edition(year=2017, revision=1, status=Catalogue.Status.SUPERSEDED)
    factories.item(old_2017, "G0101", "被替代的残疾人康复训练")
    city_2017 = factories.edition(year=2017, revision=2)
    factories.item(city_2017, "G0101", "2017年残疾人康复训练", bodies=[body],
                   provider_requirements="具有残疾人康复服务资质的社会组织，配备康复治疗师。")
    factories.item(city_2017, "C0201", "2017年社区居家养老服务", bodies=[body])
    xianan = factories.edition(region_slug="xianan", year=2016)
    factories.item(xianan, "G0101", "咸安区残疾人康复训练")
    return {"city_2016": city_2016, "city_2017": city_2017, "xianan": xianan, "body": body}


def test_search_home_and_statistics_count_the_same_catalogues_in_force(client, years):
    """The home page counted 残疾人服务 over every published year (24), the statistics over the newest (15)."""
    home = home_counts(client)
    stats = statistics_counts(client)
    assert home == stats
    assert home["残疾人服务"] == 2  # the city's 2017 item and 咸安区's 2016 one
    assert search_count(client, area="G") == 2
    assert search_count(client, q="残疾人") == 2
    assert search_count(client, area="C") == home["社会保障"] == 1


def test_search_no_longer_returns_two_years_side_by_side(client, years):
    names = result_names(html(client.get(SEARCH, {"q": "康复训练"})))
    assert sorted(names) == ["2017年残疾人康复训练", "咸安区残疾人康复训练"]


def test_a_year_filter_searches_that_years_catalogues(client, years):
    page = html(client.get(SEARCH, {"q": "康复训练", "year": "2016"}))
    assert sorted(result_names(page)) == ["2016年残疾人康复训练0", "2016年残疾人康复训练1", "2016年残疾人康复训练2",
                                          "咸安区残疾人康复训练"]
    assert "（2016年度目录）" in page
    assert '<option value="2017">2017年</option>' in page and '<option value="2016" selected>2016年</option>' in page
    # a superseded revision stays out of its year too
    assert result_names(html(client.get(SEARCH, {"q": "被替代", "year": "2017"}))) == []


def test_an_unknown_year_is_ignored_with_a_message(client, years):
    page = html(client.get(SEARCH, {"q": "康复训练", "year": "1999"}))
    assert "没有这个年度的已发布目录" in page
    assert len(result_names(page)) == 2


def test_a_service_area_on_the_home_page_links_to_a_search_of_that_area(client, years):
    page = html(client.get("/"))
    link = re.search(r'<a class="area-link" href="([^"]*)"[^>]*>\s*<span class="area-code">G</span>', page).group(1)
    assert link == f"{SEARCH}?area=G"
    results = html(client.get(link))
    assert "请输入检索词" not in results
    assert sorted(result_names(results)) == ["2017年残疾人康复训练", "咸安区残疾人康复训练"]
    assert "共 2 项事项" in results


@pytest.mark.parametrize("params, expected", [
    ({"area": "G"}, 2),
    ({"region": "xianan"}, 1),
    ({"region": "xianning", "area": "C"}, 1),
    ({"year": "2016"}, 5),
])
def test_an_area_a_region_or_a_year_alone_is_a_search(client, years, params, expected):
    page = html(client.get(SEARCH, params))
    assert "请输入检索词" not in page
    assert len(result_names(page)) == expected


def test_nothing_at_all_still_asks_for_a_search_term(client, years):
    page = html(client.get(SEARCH))
    assert "请输入检索词。" in page and "search-result" not in page


def test_results_show_the_purchasing_body_and_the_provider_requirements(client, years):
    page = html(client.get(SEARCH, {"q": "2017年残疾人"}))
    assert result_names(page) == ["2017年残疾人康复训练"]
    assert re.search(r"<dt>购买主体</dt><dd[^>]*>咸宁市残疾人联合会</dd>", page)
    assert re.search(r"<dt>承接主体要求</dt><dd[^>]*>具有残疾人康复服务资质的社会组织，配备康复治疗师。</dd>", page)


def test_search_results_export_as_csv_and_xlsx_with_the_region_and_edition(client, years):
    page = html(client.get(SEARCH, {"q": "康复训练"}))
    assert f'href="{reverse("catalogue:search_export", args=["csv"])}?q=' in page

    response = client.get(reverse("catalogue:search_export", args=["csv"]), {"q": "康复训练"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert rows[0][:4] == ["地区", "所属目录", "文号", "序号"]
    assert rows[0][-2:] == ["预算（元）", "绩效评价标准"]
    assert {(row[0], row[8]) for row in rows[1:]} == {
        ("咸安区", "咸安区残疾人康复训练"), ("咸宁市", "2017年残疾人康复训练")
    }

    response = client.get(reverse("catalogue:search_export", args=["xlsx"]), {"area": "G", "year": "2016"})
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet["A1"].value == "目录事项检索结果"
    assert "2016年度目录" in sheet["A2"].value and "残疾人服务" in sheet["A2"].value
    assert [cell.value for cell in sheet[4]][:4] == ["地区", "所属目录", "文号", "序号"]
    assert sheet.max_row == 4 + 5
    assert client.get(reverse("catalogue:search_export", args=["pdf"])).status_code == 404


def test_search_page_queries_do_not_grow_with_the_items(client, django_assert_max_num_queries):
    body = factories.purchasing_body()
    edition = factories.edition()
    bulk_items(edition, 500, bodies=[body])
    # the version, region, area, the year list, the count, the page, its bodies, the cap check
    with django_assert_max_num_queries(9):
        page = html(client.get(SEARCH, {"q": "服务", "region": "xianning", "area": "C", "page": 2}))
    assert len(result_names(page)) == 20
    with django_assert_max_num_queries(9):
        page = html(client.get(SEARCH, {"area": "C"}))
    assert len(result_names(page)) == 20


def test_a_providers_page_lists_the_items_of_the_catalogues_in_force_only(client, years):
    provider = factories.provider(categories=("G",))
    page = html(client.get(reverse("catalogue:provider", args=[provider.pk])))
    assert "2017年残疾人康复训练" in page and "咸安区残疾人康复训练" in page
    assert "2016年残疾人康复训练" not in page  # the city's 2016 catalogue is no longer in force


def test_the_statistics_write_budgets_with_thousands_separators(client):
    from decimal import Decimal

    edition = factories.edition()
    factories.item(edition, "C0201", "社区居家养老服务", budget=Decimal("123456700"))
    page = html(client.get(reverse("catalogue:statistics")))
    assert "12,345.67 万元" in page
    section = re.search(r'aria-labelledby="chart-budget-heading">(.*?)</section>', page, re.S).group(1)
    assert '<td class="num">12,345.67</td>' in section
    assert "12345.67" not in page
