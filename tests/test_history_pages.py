"""Issue 12 (7): the history pages speak Chinese, name offices rather than login names, and show values
as the forms do (草稿 → 已发布, （空）, 150,000.00), never DRAFT → PUBLISHED, None or CHANGES."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from catalogue.models import Catalogue
from catalogue.models.staff import office_of
from tests import factories as f


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.getvalue().decode()


def visible_text(html):
    body = re.search(r'<div id="content-main">(.*)', html, re.S).group(1)
    return re.sub(r"<[^>]+>", " ", body)


@pytest.fixture
def clerks():
    body = f.purchasing_body("咸安区民政局", region_slug="xianan")
    xianan = f.county()
    xianan.first_name = "张三"
    xianan.save()
    clerks = {"city": f.municipal(), "xianan": xianan, "department": f.department("anmin", body=body), "body": body}
    call_command("setup_roles", verbosity=0)  # puts each account in its role's group
    return clerks


def test_an_editions_history_shows_labels_and_offices(client, clerks):
    edition = f.edition("xianan", year=2017, status=Catalogue.Status.DRAFT)
    edition._history_user = clerks["xianan"]
    edition.notes = "初稿"
    edition.save()
    edition.status = Catalogue.Status.PUBLISHED
    edition.document_number = "咸安财发〔2017〕3号"
    edition.published_on = date(2017, 3, 1)
    edition._history_user = clerks["city"]
    edition._change_reason = "发布"
    edition.save()

    client.force_login(clerks["city"])
    html = page(client, reverse("admin:catalogue_catalogue_history", args=[edition.pk]))
    text = visible_text(html)
    assert "草稿 → 已发布" in text
    assert "DRAFT" not in text and "PUBLISHED" not in text
    assert "（空） → 咸安财发〔2017〕3号" in text
    assert "（空） → 2017-03-01" in text
    assert "None" not in text and "Changes" not in html and "CHANGES" not in html
    assert "咸宁市财政局" in text and "咸安区财政局（张三）" in text
    assert "shicaizheng" not in text and "xianan" not in text.replace("咸安区", "")
    assert "修改内容" in text and "经办单位" in text and "共 " in text
    assert "entries" not in text and "Date/time" not in text
    assert 'style="' not in html.split('id="change-history"')[1]


def test_an_items_history_shows_amounts_with_separators_bodies_by_name_and_the_department(client, clerks):
    edition = f.edition("xianan", year=2017, status=Catalogue.Status.DRAFT)
    item = f.item(edition, "C0201", "社区居家养老服务", bodies=[clerks["body"]], budget=Decimal("150000"))
    item._history_user = clerks["department"]
    item.budget = Decimal("160000")
    item.procurement_method = "COMPETITIVE_CONSULTATION"
    item.save()

    client.force_login(clerks["city"])
    text = visible_text(page(client, reverse("admin:catalogue_catalogueitem_history", args=[item.pk])))
    assert "150,000.00 → 160,000.00" in text
    assert "公开招标 → 竞争性磋商" in text
    assert "咸安区民政局" in text and "anmin" not in text


def test_office_of_names_each_kind_of_account():
    assert office_of(f.municipal()) == "咸宁市财政局"
    assert office_of(f.county("chibi", "chibi")) == "赤壁市财政局"
    assert office_of(f.department(body=f.purchasing_body("咸宁市教育局"))) == "咸宁市教育局"
    assert office_of(f.staff_user("admin")) == "系统管理员"
    assert office_of(None) == "未记录"


def test_the_history_page_reads_a_fixed_number_of_queries(client, clerks, django_assert_max_num_queries):
    edition = f.edition("xianan", year=2017, status=Catalogue.Status.DRAFT)
    for n in range(10):
        edition._history_user = clerks["xianan"] if n % 2 else clerks["city"]
        edition.notes = f"第{n}次修改"
        edition.save()
    client.force_login(clerks["city"])
    url = reverse("admin:catalogue_catalogue_history", args=[edition.pk])
    client.get(url)
    with django_assert_max_num_queries(14):
        page(client, url)


# --- amounts on admin pages (150,000.00, not 150000.00) -----------------------------------------------


def test_amounts_read_with_thousands_separators_on_read_only_admin_pages(client, clerks):
    edition = f.edition("xianan", year=2017, status=Catalogue.Status.DRAFT)
    item = f.item(edition, "C0201", "社区居家养老服务", bodies=[clerks["body"]], budget=Decimal("150000"))
    Catalogue.objects.filter(pk=edition.pk).update(status=Catalogue.Status.PUBLISHED)  # frozen: read only
    client.force_login(clerks["city"])

    html = page(client, reverse("admin:catalogue_catalogueitem_change", args=[item.pk]))
    assert "150,000.00" in html and "150000.00" not in html
    changelist = page(client, reverse("admin:catalogue_catalogueitem_changelist"))
    assert "150,000.00" in changelist
    record = item.history.earliest()
    version = page(client, reverse("admin:catalogue_catalogueitem_simple_history", args=[item.pk, record.pk]))
    assert "150,000.00" in version and "150000.00" not in version


def test_a_pilot_items_planned_budget_reads_grouped_in_the_list_and_once_submitted(client, clerks):
    from catalogue.models import PilotItem

    pilot = PilotItem.objects.create(
        region=f.region("xianan"), fiscal_year=2017, category=f.category("C0201"), name="农村互助养老",
        planned_budget=Decimal("150000"), status=PilotItem.Status.SUBMITTED, created_by=clerks["xianan"],
    )
    client.force_login(clerks["city"])
    listing = page(client, reverse("admin:catalogue_pilotitem_changelist"))
    assert "150,000.00" in listing and "150000.00" not in listing
    form = page(client, reverse("admin:catalogue_pilotitem_change", args=[pilot.pk]))
    assert "150,000.00" in form and "150000.00" not in form
