"""The pilot path in chromium, through the admin's own pages: a county office submits, municipal finance
returns it, the county revises and resubmits, municipal finance approves and publishes, and the public sees it."""

import io
import re

import pytest
from django.core.management import call_command

from catalogue.models import Catalogue, PilotItem
from tests import factories as f
from tests.browser.signing import sign_in


@pytest.fixture
def people(transactional_db):
    published = f.edition(region_slug="xianan", year=2017)
    f.item(published, name="咸安区社区居家养老服务")
    people = {"xianan": f.county(), "shicaizheng": f.municipal(), "pilot": f.pilot_item()}
    call_command("setup_roles", verbosity=0, stdout=io.StringIO())  # the role groups carry the permissions
    return people


def signed_in(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    return sign_in(page, live_server, username)


def operate(page, link_text, **fields):
    """Click an operation button on an admin page, fill its form, confirm; return the message shown."""
    page.get_by_role("link", name=link_text, exact=True).first.click()
    for field, value in fields.items():
        page.fill(f"#id_{field}", value)
    page.get_by_role("button", name=f"确认{link_text}").click()
    return page.locator("ul.messagelist").inner_text()


def test_a_pilot_item_travels_from_the_county_to_the_public_site(browser, live_server, people):
    pilot = people["pilot"]
    change_url = f"{live_server.url}/admin/catalogue/pilotitem/{pilot.pk}/change/"

    county = signed_in(browser, live_server, "xianan")
    county.goto(change_url)
    assert "已报送" in operate(county, "报送", comment="请市局审核")

    city = signed_in(browser, live_server, "shicaizheng")
    assert "咸安区农村特困供养机构托管" in city.locator("#content").inner_text()  # the review queue
    city.goto(change_url)
    assert "已退回" in operate(city, "退回", comment="请补充预算测算依据")

    county.goto(f"{live_server.url}/admin/")
    assert "请补充预算测算依据" in county.locator("#content").inner_text()
    county.goto(change_url)
    county.fill("#id_planned_budget", "450000")
    county.locator("input[name=_continue]").click()
    assert "已报送" in operate(county, "报送", comment="已补充测算依据")

    city.goto(change_url)
    assert "已通过" in operate(city, "通过", comment="同意列入试点")
    pilot.refresh_from_db()
    assert pilot.status == PilotItem.Status.APPROVED
    edition = pilot.catalogue_item.edition
    assert (edition.revision, edition.status) == (2, Catalogue.Status.DRAFT)

    city.goto(f"{live_server.url}/admin/catalogue/catalogue/{edition.pk}/change/")
    message = operate(city, "发布", document_number="咸安财发〔2017〕8号", published_on="2017-05-10")
    assert "咸安财发〔2017〕8号" in message or "已发布" in message
    edition.refresh_from_db()
    assert edition.status == Catalogue.Status.PUBLISHED

    public = browser.new_context().new_page()
    public.goto(live_server.url + edition.get_absolute_url())
    table = public.locator("table").first.inner_text()
    assert "咸安区农村特困供养机构托管" in table and "咸安区社区居家养老服务" in table
    public.get_by_role("link", name=re.compile("咸安区农村特困供养机构托管")).first.click()
    assert public.get_by_role("heading", level=1).inner_text() == "咸安区农村特困供养机构托管"
    for page in (county, city, public):
        page.context.close()
