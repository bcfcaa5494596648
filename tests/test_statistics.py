"""The statistics page: counts from editions in force only, server-drawn SVG charts, the coverage matrix."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from catalogue import charts
from catalogue.selectors import statistics
from catalogue.models import Catalogue
from tests import factories
from tests.public_builders import bulk_items

URL = reverse("catalogue:statistics")


def page(client):
    response = client.get(URL)
    assert response.status_code == 200
    return response.getvalue().decode()


def table_rows(html, chart_id):
    """{row label: [cells]} of a chart's fallback table."""
    section = re.search(rf'<section class="chart" aria-labelledby="{chart_id}-heading">(.*?)</section>', html, re.S).group(1)
    rows = re.findall(r'<tr><th scope="row"(?: lang="zh-Hans")?>([^<]*)</th>(.*?)</tr>', section, re.S)
    return {label: re.findall(r'<td class="num">([^<]*)</td>', cells) for label, cells in rows}


@pytest.fixture
def catalogue_2017():
    """The city in force in 2016 and 2017, 咸安区 in 2017; drafts, withdrawn and superseded editions beside them."""
    city_2016 = factories.edition(year=2016)
    factories.item(city_2016, category_code="A0101", name="教育统计", budget=Decimal("200000"))
    city_2017 = factories.edition(year=2017, revision=2)
    factories.item(city_2017, category_code="C0201", name="社区居家养老服务", is_pilot=True, budget=Decimal("1500000"))
    factories.item(city_2017, category_code="C0202", name="农村特困供养机构托管", budget=Decimal("500000"))
    factories.item(city_2017, category_code="H0204", name="软件研发")
    superseded = factories.edition(year=2017, revision=1, status=Catalogue.Status.SUPERSEDED)
    factories.item(superseded, category_code="B0101", name="被替代版的事项", budget=Decimal("9990000"))
    xianan = factories.edition(region_slug="xianan", year=2017)
    factories.item(xianan, category_code="G0101", name="残疾人康复训练", is_pilot=True)
    draft = factories.edition(region_slug="chibi", year=2018, status=Catalogue.Status.DRAFT)
    factories.item(draft, category_code="D0101", name="草稿事项", budget=Decimal("7770000"))
    withdrawn = factories.edition(region_slug="tongshan", year=2016, status=Catalogue.Status.WITHDRAWN)
    factories.item(withdrawn, category_code="E0101", name="撤回事项")
    return {"city_2016": city_2016, "city_2017": city_2017, "xianan": xianan}


def test_counts_come_from_each_regions_newest_published_edition(client, catalogue_2017):
    html = page(client)
    areas = table_rows(html, "chart-areas")
    assert areas["教育"] == ["0", "0"]  # only in the city's 2016 edition, replaced by its 2017 one
    assert areas["社会保障"] == ["2", "1"]
    assert areas["公共管理辅助性事项"] == ["1", "0"]
    assert areas["残疾人服务"] == ["1", "1"]
    assert areas["就业"] == ["0", "0"]  # only in the superseded revision
    assert areas["医疗卫生"] == ["0", "0"]  # only in a draft
    assert areas["住房保障"] == ["0", "0"]  # only in a withdrawn edition
    regions = table_rows(html, "chart-regions")
    assert regions["咸宁市"] == ["3", "1"]
    assert regions["咸安区"] == ["1", "1"]
    assert regions["赤壁市"] == ["0", "0"]
    assert "<dd>4 项</dd>" in html  # the summary: three items of the city's 2017 edition and one of 咸安区


def test_pilot_share_and_budget_in_wan_yuan(client, catalogue_2017):
    html = page(client)
    assert table_rows(html, "chart-pilots")["合计"] == ["2", "2", "50.0%"]
    budget = table_rows(html, "chart-budget")
    assert budget == {"社会保障": ["200.00", "2", "2"]}
    assert "200.00 万元" in html  # the summary: 150 + 50


def test_charts_are_inline_svg_with_title_desc_and_a_data_table(client, catalogue_2017):
    html = page(client)
    svgs = re.findall(r"<svg .*?</svg>", html, re.S)
    assert len(svgs) == 4
    for svg in svgs:
        assert 'role="img"' in svg
        assert re.search(r"<title id=\"[^\"]+\">[^<]+</title>", svg)
        assert re.search(r"<desc id=\"[^\"]+\">[^<]+</desc>", svg)
        assert "<rect" in svg
    assert html.count('<details class="chart-data">') == 4
    assert "css/charts.css" in html


def test_page_has_no_inline_style_or_script(client, catalogue_2017):
    html = page(client)
    assert "style=" not in html
    assert "<style" not in html
    assert "<script" not in html


def test_coverage_matrix_uses_each_regions_newest_published_edition(client, catalogue_2017):
    rows, totals = statistics.coverage(statistics.regions(), statistics.areas())
    by_region = {row.region.name: row for row in rows}
    city = by_region["咸宁市"]
    assert city.edition == catalogue_2017["city_2017"]
    # A 教育 B 就业 C 社会保障 D 医疗卫生 E 住房保障 F 文化体育 G 残疾人服务 H 公共管理辅助性事项, then the 2017 services
    assert city.cells == [0, 0, 2, 0, 0, 0, 0, 1, 1]  # the 2016 edition's 教育 does not count
    assert city.covered == 3
    assert by_region["咸安区"].cells == [0, 0, 0, 0, 0, 0, 1, 0, 0]
    assert by_region["赤壁市"].edition is None  # only a draft
    assert by_region["通山县"].edition is None  # only a withdrawn edition
    assert by_region["赤壁市"].cells == [0] * 9
    assert totals == [0, 0, 1, 0, 0, 0, 1, 1, 1]


def test_coverage_matrix_on_the_page(client, catalogue_2017):
    html = page(client)
    table = re.search(r'<table class="data-table coverage-table">.*?</table>', html, re.S).group(0)
    assert table.count("<th scope=\"col\" class=\"area-col\"") == 9
    assert "2017年纳入的事务性管理服务" in table
    city_row = re.search(r"<tr>\s*<th scope=\"row\"(?: lang=\"zh-Hans\")?>咸宁市</th>(.*?)</tr>", table, re.S).group(1)
    assert city_row.count("✓") == 3
    assert city_row.count("—") == 6
    assert "3 / 9" in city_row
    assert "2017年 第2版" in city_row
    chibi_row = re.search(r"<tr>\s*<th scope=\"row\"(?: lang=\"zh-Hans\")?>赤壁市</th>(.*?)</tr>", table, re.S).group(1)
    assert "尚未发布" in chibi_row and "0 / 9" in chibi_row


def test_page_without_published_editions_says_so(client):
    factories.item(factories.edition(status=Catalogue.Status.DRAFT), name="草稿")
    html = page(client)
    assert "尚无已发布的目录" in html
    assert "<svg" not in html


def test_statistics_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for region_slug in ("xianning", "xianan", "chibi"):
        bulk_items(factories.edition(region_slug=region_slug, year=2016), 500)
    # + grades per area of the published evaluations (issue 5), + the public version (catalogue/public_cache.py)
    with django_assert_max_num_queries(7 + 1):
        html = page(client)
    assert table_rows(html, "chart-pilots")["合计"][0] != "0"


# -- the chart geometry ----------------------------------------------------------


def test_bar_lengths_are_proportional_and_fit_the_view_box():
    chart = charts.bar_chart("c", "t", "d", [("甲", 10), ("乙", 5), ("丙", 0)], formatter=lambda value: f"{value:g} 项")
    first, second, third = chart.bars
    assert second.width == pytest.approx(first.width / 2, abs=0.1)
    assert third.width == 0
    assert first.value_x + charts.text_width(first.display) <= chart.width
    assert chart.view_box == f"0 0 {charts.WIDTH} {chart.height:g}"
    assert [bar.label_y for bar in chart.bars] == sorted(bar.label_y for bar in chart.bars)


def test_share_chart_bars_are_full_length_with_proportional_parts():
    chart = charts.stacked_bar_chart(
        "c", "t", "d", [("甲", [1, 3]), ("乙", [10, 30])], parts=[("bar-pilot", "试点"), ("bar-rest", "其他")], normalize=True
    )
    first, second = chart.bars
    assert first.width == second.width
    assert first.segments[0].width == pytest.approx(first.width / 4, abs=0.1)
    assert first.segments[1].x == pytest.approx(first.segments[0].width, abs=0.1)


def test_empty_chart_does_not_divide_by_zero():
    chart = charts.bar_chart("c", "t", "d", [("甲", 0)])
    assert chart.bars[0].width == 0
    assert charts.percent(0, 0) == 0
