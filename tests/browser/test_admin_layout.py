"""Issue 12, finding 7, measured in chromium at 1366 and 1920 px: the admin home's queues stay clear of 最近动作
(a long return reason wraps in its cell, names do not wrap one character a line), the edition list shows every
column without a scrollbar, and the publish preview opens with its summary and 前往确认发布 in view.
Screenshots of each go to BROWSER_SHOTS (var/screenshots by default)."""

import io

import pytest
from django.core.management import call_command

from catalogue.models import Catalogue
from catalogue.services import open_revision, return_pilot_item, submit_pilot_item
from tests import factories as f
from tests.browser.signing import sign_in

REASON = "请补充预算测算依据：按服务人数、单价和服务时长分项列明，并附上一年度同类服务的实际支出情况，便于核定预算规模。"
REGIONS = ["xianning", "xianan", "jiayu", "tongcheng", "chongyang", "tongshan", "chibi", "xn-htz"]


@pytest.fixture
def office(transactional_db):
    people = {"xianan": f.county(), "shicaizheng": f.municipal()}
    pilot = submit_pilot_item(f.pilot_item(name="咸安区农村留守儿童关爱服务（课后陪伴与假期托管）"), by=people["xianan"])
    return_pilot_item(pilot, by=people["shicaizheng"], reason=REASON)
    for slug in REGIONS:
        for year in (2016, 2017):
            edition = f.edition(region_slug=slug, year=year, document_number=f"咸财综发〔{year}〕{len(slug) + 20}号")
            f.item(edition, name=f"{slug}社区居家养老服务")
    in_force = Catalogue.objects.get(region__slug="xianan", year=2017)
    people["draft"] = open_revision(in_force, by=people["shicaizheng"])
    f.item(people["draft"], category_code="C0401", name="农村留守儿童关爱服务")
    call_command("setup_roles", verbosity=0, stdout=io.StringIO())
    return people


def signed_in(browser, live_server, username, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    return sign_in(page, live_server, username)


def box(locator):
    return locator.first.bounding_box()


@pytest.mark.parametrize("width", [1366, 1920])
def test_the_admin_home_keeps_the_returned_items_clear_of_recent_actions(browser, live_server, office, shots_dir, width):
    page = signed_in(browser, live_server, "xianan", width)
    page.screenshot(path=f"{shots_dir}/issue12-admin-home-{width}.png", full_page=True)
    table = box(page.locator("#queue-returned table"))
    sidebar = box(page.locator("#content-related"))
    assert table["x"] + table["width"] <= sidebar["x"], (table, sidebar)
    reason = box(page.locator("#queue-returned td.work-queue-text"))
    assert reason["x"] + reason["width"] <= sidebar["x"]
    assert page.locator("#queue-returned td.work-queue-text").inner_text() == REASON  # whole, wrapped, not hidden
    name = box(page.locator("#queue-returned th[scope=row] a"))
    assert name["width"] >= 150 and name["height"] <= 50, name  # a readable column, two lines at most
    page.context.close()


@pytest.mark.parametrize("width", [1366, 1920])
def test_the_edition_list_shows_every_column_without_scrolling(browser, live_server, office, shots_dir, width):
    page = signed_in(browser, live_server, "shicaizheng", width)
    page.goto(live_server.url + "/admin/catalogue/catalogue/")
    page.screenshot(path=f"{shots_dir}/issue12-edition-list-{width}.png", full_page=True)
    results = page.locator("#changelist .results")
    assert results.evaluate("node => node.scrollWidth <= node.clientWidth + 1")
    right = box(results)["x"] + box(results)["width"]
    count = box(page.locator("#result_list td.field-item_count_link"))
    assert count["x"] + count["width"] <= right
    title = box(page.locator("#result_list th.field-title a"))
    assert title["width"] >= 150 and title["height"] <= 50, title  # at most two lines, never a character a line
    page.context.close()


@pytest.mark.parametrize("width", [1366, 1920])
def test_the_publish_preview_opens_with_its_summary_and_the_way_to_publish(browser, live_server, office, shots_dir, width):
    page = signed_in(browser, live_server, "shicaizheng", width)
    page.goto(f"{live_server.url}/admin/catalogue/catalogue/{office['draft'].pk}/preview/")
    page.screenshot(path=f"{shots_dir}/issue12-publish-preview-{width}.png")
    banner = page.locator(".preview-banner")
    assert "新增 1 项" in banner.inner_text() and "农村留守儿童关爱服务" in banner.inner_text()
    publish = page.get_by_role("link", name="前往确认发布")
    assert publish.is_visible() and box(publish)["y"] + box(publish)["height"] <= 900  # in the first screen
    assert page.locator(".catalogue-table").first.is_visible()
    with page.expect_navigation():
        publish.click()
    assert page.url.endswith(f"/admin/catalogue/catalogue/{office['draft'].pk}/do/publish/")
    assert page.get_by_role("button", name="确认发布").is_visible()
    page.context.close()
