"""Issue 12 in chromium: the county saves an incomplete draft, is told it is not submitted, completes it and
sends it with 保存并报送; the reviewer sees the unread 通知 in the header, opens it onto the item and approves it;
the county's 通知 then leads to the item, whose page links to the catalogue item it became."""

import io

import pytest
from django.core.management import call_command

from catalogue.models import Catalogue, Notification, PilotItem
from tests import factories as f
from tests.browser.signing import sign_in


@pytest.fixture
def people(transactional_db):
    published = f.edition(region_slug="xianan", year=2017)
    f.item(published, name="咸安区社区居家养老服务")
    people = {
        "xianan": f.county(),
        "shicaizheng": f.municipal(),
        "pilot": f.pilot_item(year=2018, planned_budget=None, reason="", negative_list_confirmed=False),
    }
    call_command("setup_roles", verbosity=0, stdout=io.StringIO())  # the role groups carry the permissions
    return people


def signed_in(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    # Script errors and CSP violations, and any failed request but the browser's own favicon guess.
    page.problems = []
    page.on(
        "console",
        lambda msg: page.problems.append(msg.text)
        if msg.type == "error" and not msg.text.startswith("Failed to load resource")
        else None,
    )
    page.on("pageerror", lambda exc: page.problems.append(str(exc)))
    page.on(
        "response",
        lambda response: page.problems.append(f"{response.status} {response.url}")
        if response.status >= 400 and not response.url.endswith("/favicon.ico")
        else None,
    )
    return sign_in(page, live_server, username)


def test_the_county_saves_and_submits_and_the_reviewer_is_notified(browser, live_server, people, shots_dir):
    pilot = people["pilot"]
    change_url = f"{live_server.url}/admin/catalogue/pilotitem/{pilot.pk}/change/"

    county = signed_in(browser, live_server, "xianan")
    county.goto(change_url)
    assert "草稿，尚未报送" in county.locator("#pilot-banner").inner_text()
    submit = county.get_by_role("button", name="保存并报送", exact=True)
    draft = county.get_by_role("button", name="保存草稿", exact=True)
    assert submit.is_visible() and draft.is_visible()
    # The primary button is the first one seen, and the larger of the two.
    assert submit.bounding_box()["x"] < draft.bounding_box()["x"]

    # 保存并报送 on an incomplete draft: told what is missing, on the fields; nothing is sent.
    with county.expect_navigation():
        submit.click()
    errors = county.locator(".errorlist").all_inner_texts()
    assert any("报送前请填写预算" in text for text in errors) and any("申报理由" in text for text in errors)
    assert PilotItem.objects.get(pk=pilot.pk).status == PilotItem.Status.DRAFT

    county.fill("#id_planned_budget", "480000")
    county.fill("#id_reason", "乡镇福利院管理力量薄弱，委托专业机构托管可提升供养质量，公益性强。")
    county.check("#id_negative_list_confirmed")
    with county.expect_navigation():
        county.get_by_role("button", name="保存并报送", exact=True).click()
    assert "已保存并报送" in county.locator("ul.messagelist").inner_text()
    assert "等待市财政局审核" in county.locator("#pilot-banner").inner_text()
    assert PilotItem.objects.get(pk=pilot.pk).status == PilotItem.Status.SUBMITTED

    city = signed_in(browser, live_server, "shicaizheng")
    badge = city.locator("#notifications-link .notifications-count")
    assert badge.inner_text() == "1"
    city.screenshot(path=f"{shots_dir}/issue12-reviewer-notified-1366.png")
    city.locator("#notifications-link").click()
    city.get_by_role("link", name="待审核：咸安区2018年 · 咸安区农村特困供养机构托管 已报送").click()
    assert city.url == change_url
    assert city.locator("#notifications-link .notifications-count").count() == 0  # read now
    city.get_by_role("link", name="通过", exact=True).first.click()
    city.fill("#id_comment", "同意列入试点")
    with city.expect_navigation():
        city.get_by_role("button", name="确认通过").click()
    assert "已通过" in city.locator("ul.messagelist").inner_text()

    pilot.refresh_from_db()
    edition = pilot.catalogue_item.edition
    assert (edition.year, edition.status) == (2018, Catalogue.Status.DRAFT)
    assert edition.items.count() == 2  # last year's item and the pilot: the year opened from 2017's catalogue

    county.goto(f"{live_server.url}/admin/")
    assert county.locator("#notifications-link .notifications-count").inner_text() == "1"
    county.locator("#notifications-link").click()
    county.get_by_role("link", name="已通过：咸安区2018年 · 咸安区农村特困供养机构托管，已列入咸安区2018年 第1版").click()
    banner = county.locator("#pilot-banner")
    assert "已审核通过" in banner.inner_text()
    banner.locator("a.pilot-banner-link").click()
    assert f"/admin/catalogue/catalogueitem/{pilot.catalogue_item_id}/change/" in county.url
    assert Notification.objects.filter(read_at__isnull=True).count() == 0
    for page in (county, city):
        assert page.problems == []
        page.context.close()
