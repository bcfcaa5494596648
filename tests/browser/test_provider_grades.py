"""A bidder checks a provider's published grades in Debian's chromium, then follows an evaluated item."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories as f
from tests.contract_builders import municipal, published_item
from tests.results_builders import evaluated


@pytest.fixture
def graded(transactional_db):
    shicaizheng = municipal()
    provider = f.provider("咸宁市阳光社会工作服务中心", categories=("C02",), evaluation_grade="4A")
    home_care = published_item(name="咸宁市社区居家养老服务", budget=Decimal("1000000"))
    evaluated(home_care, provider, shicaizheng, (92, 88, 85))
    evaluated(home_care, provider, shicaizheng, (31, 32, 33), state="unpublished")
    return {"provider": provider, "item": home_care}


def csp_problems(page):
    return [text for text in page.problems if "Content Security Policy" in text or "Refused" in text]


def test_a_bidder_reads_a_providers_published_grades_and_follows_an_evaluated_item(page, graded):
    page.goto(page.base_url + reverse("catalogue:providers"))
    row = page.locator("table.provider-table tbody tr", has_text="咸宁市阳光社会工作服务中心")
    assert row.locator(".grade-badge").inner_text() == "良好"
    row.get_by_role("link", name="咸宁市阳光社会工作服务中心").click()

    assert page.get_by_role("heading", level=1).inner_text() == "咸宁市阳光社会工作服务中心"
    results = page.get_by_role("table", name="该承接主体承接的合同的绩效评价结果")
    assert results.is_visible()
    rows = results.locator("tbody tr")
    assert rows.count() == 1  # the unpublished result is not there
    cells = rows.first.inner_text()
    for text in ("2017年", "咸宁市民政局", "92.00", "88.00", "85.00", "88.70"):
        assert text in cells, text
    badge = rows.first.locator(".grade-badge")
    assert badge.inner_text() == "良好"
    # The badge is styled by static/css/site.css: a border and a background, not the page's default.
    assert badge.evaluate("element => getComputedStyle(element).borderStyle") == "solid"
    assert "31.00" not in page.content()

    results.get_by_role("link", name="咸宁市社区居家养老服务").click()
    assert page.url.endswith(graded["item"].get_absolute_url())
    assert page.get_by_role("heading", level=1).inner_text() == "咸宁市社区居家养老服务"
    item_results = page.get_by_role("table", name="本事项合同的绩效评价结果")
    assert item_results.locator("tbody tr").count() == 1
    assert item_results.get_by_role("link", name="咸宁市阳光社会工作服务中心").is_visible()
    assert csp_problems(page) == []


def test_the_grades_chart_draws_without_script_errors(page, graded):
    page.goto(page.base_url + reverse("catalogue:statistics"))
    chart = page.locator("#chart-grades-heading").locator("xpath=..")
    assert chart.locator("svg rect.bar-good").count() == 1
    assert chart.locator("svg rect.bar-fail").count() == 0  # the unpublished 不合格 is not drawn
    assert csp_problems(page) == []
