"""A resident's journey through the public site in Debian's chromium, at desk and phone width."""

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from catalogue.models import Catalogue
from tests import factories as f


@pytest.fixture
def catalogue_data(transactional_db):
    city = f.edition(year=2017, revision=1)
    minzheng = f.purchasing_body("咸宁市民政局", short_name="市民政局")
    jiaoyu = f.purchasing_body("咸宁市教育局", short_name="市教育局")
    home_care = f.item(
        city,
        "C0201",
        "咸宁市社区居家养老服务",
        bodies=[minzheng],
        content="为城区居家老年人提供助餐、助洁、助浴和精神慰藉等上门服务。",
        budget=Decimal("1200000"),
        is_pilot=True,
    )
    f.item(city, "C0202", "农村特困供养机构托管", bodies=[minzheng], content="委托专业机构托管乡镇福利院。")
    f.item(city, "A0101", "咸宁市教育事业统计数据采集与分析", bodies=[jiaoyu], content="协助采集各级各类学校基础数据。")
    f.item(city, "F0102", "农村电影放映", bodies=[f.purchasing_body("咸宁市文化和旅游局")], content="每村每月放映一场公益电影。")
    provider = f.provider("咸宁市阳光社会工作服务中心", categories=("C02",))
    draft = f.edition(year=2018, status=Catalogue.Status.DRAFT)
    secret = f.item(draft, "C0201", "咸宁市智慧养老平台运营（草稿）", bodies=[minzheng])
    return {"city": city, "home_care": home_care, "provider": provider, "draft_item": secret}


def csp_problems(page):
    return [text for text in page.problems if "Content Security Policy" in text or "Refused" in text]


def test_a_resident_finds_a_service_and_who_may_provide_it(page, catalogue_data):
    page.goto(page.base_url + "/")
    page.get_by_role("link", name="咸宁市2017年政府向社会力量购买服务指导性目录").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "咸宁市2017年政府向社会力量购买服务指导性目录"

    page.get_by_label("服务类别").select_option(label="C 社会保障")
    page.get_by_role("button", name="应用筛选").click()
    assert "category=" in page.url
    table = page.locator("table").first
    assert "咸宁市社区居家养老服务" in table.inner_text()
    assert "咸宁市教育事业统计数据采集与分析" not in table.inner_text()

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="检索事项").click()
    page.locator("input[name=q]").first.fill("养老")
    page.locator("input[name=q]").first.press("Enter")
    assert "q=" in page.url
    marks = page.locator("mark").all_inner_texts()
    assert "养老" in marks
    page.get_by_role("link", name=re.compile("咸宁市社区居家养老服务")).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "咸宁市社区居家养老服务"
    assert "草稿" not in page.content()

    page.get_by_role("link", name="咸宁市阳光社会工作服务中心").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "咸宁市阳光社会工作服务中心"
    assert "社会保障" in page.inner_text("main")
    assert csp_problems(page) == []


def test_a_filtered_view_exports_the_same_rows_as_xlsx(page, catalogue_data):
    area = f.category("C")
    page.goto(page.base_url + reverse("catalogue:edition", args=[catalogue_data["city"].pk]) + f"?category={area.pk}")
    codes_on_page = set(re.findall(r"[A-H]\d{4}-\d{2}", page.locator("table").first.inner_text()))
    assert codes_on_page == {"C0201-01", "C0202-01"}
    with page.expect_download() as download_info:
        page.get_by_role("link", name="筛选结果 Excel（XLSX）").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    sheet = workbook.worksheets[0]
    # The edition's title block (title; 文号 and date; the filtered-table note; a blank row) stands above the header.
    assert sheet["A1"].value == catalogue_data["city"].title
    header_row = next(row for row in range(1, 10) if sheet.cell(row=row, column=1).value == "序号")
    header = [cell.value for cell in sheet[header_row]]
    assert header[:6] == ["序号", "编码", "一级", "二级", "三级", "事项名称"]
    codes_in_file = {row[1] for row in sheet.iter_rows(min_row=header_row + 1, values_only=True) if row[1]}
    assert codes_in_file == codes_on_page


def test_a_draft_item_answers_404_in_the_browser(page, catalogue_data):
    response = page.goto(page.base_url + catalogue_data["draft_item"].get_absolute_url())
    assert response.status == 404
    response = page.goto(page.base_url + reverse("catalogue:search") + "?q=智慧养老")
    assert response.status == 200
    assert "咸宁市智慧养老平台运营" not in page.inner_text("main")


def test_the_edition_reads_on_a_phone_without_sideways_scrolling(phone, catalogue_data, shots_dir):
    phone.goto(phone.base_url + catalogue_data["city"].get_absolute_url())
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert phone.get_by_role("heading", level=1).is_visible()
    assert phone.get_by_text("咸宁市社区居家养老服务").first.is_visible()
    path = f"{shots_dir}/edition-375.png"
    phone.screenshot(path=path, full_page=True)
    with open(path, "rb") as shot:
        assert shot.read(8) == b"\x89PNG\r\n\x1a\n"


def test_the_site_works_without_javascript(browser, live_server, catalogue_data):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server.url + catalogue_data["city"].get_absolute_url())
    page.get_by_label("只看试点事项").check()
    page.get_by_role("button", name="应用筛选").click()
    assert "pilot" in page.url
    assert "咸宁市社区居家养老服务" in page.locator("table").first.inner_text()
    assert "农村电影放映" not in page.locator("table").first.inner_text()
    context.close()


def test_printing_an_edition_shows_the_heading_and_table_only(page, catalogue_data):
    page.goto(page.base_url + catalogue_data["city"].get_absolute_url())
    page.emulate_media(media="print")
    assert page.get_by_role("heading", level=1).is_visible()
    assert "咸财综发〔2017〕1号" in page.inner_text("main")
    assert page.locator("table").first.is_visible()
    assert not page.locator("nav.site-nav").is_visible()
    assert not page.locator("form.filter-form").is_visible()
    assert not page.locator("footer").is_visible()


def test_english_is_offered_through_the_language_switch(page, catalogue_data):
    page.goto(page.base_url + "/")
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
