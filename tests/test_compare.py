"""Comparing two editions of a region (动态调整): the diff logic, and the compare page."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from catalogue.selectors.comparison import compare_editions, default_partner, field_changes, older_first
from catalogue.models import Catalogue, CatalogueItem, ProcurementMethod
from tests import factories
from tests.public_builders import bulk_items


def url(edition, other=None):
    base = reverse("catalogue:compare", args=[edition.pk])
    return base if other is None else f"{base}?with={other}"


def page(client, address):
    response = client.get(address)
    assert response.status_code == 200, response.status_code
    return response.getvalue().decode()


@pytest.fixture
def bodies():
    return factories.purchasing_body("咸宁市民政局"), factories.purchasing_body("咸宁市财政局")


@pytest.fixture
def two_years(bodies):
    """The city's 2016 and 2017 editions: one item kept, one changed, one renumbered, one dropped, one new."""
    civil, finance = bodies
    old = factories.edition(year=2016)
    new = factories.edition(year=2017)
    common = {"provider_requirements": "依法登记的社会组织。", "performance_standard": "满意度不低于90%。"}
    factories.item(old, category_code="A0101", code="A0101-01", name="教育统计分析", bodies=[finance], **common)
    factories.item(new, category_code="A0101", code="A0101-01", name="教育统计分析", bodies=[finance], **common)
    factories.item(old, category_code="C0201", code="C0201-01", name="社区居家养老服务", bodies=[civil],
                   budget=Decimal("800000"), **common)
    factories.item(
        new, category_code="C0201", code="C0201-01", name="社区居家养老上门服务", bodies=[civil, finance],
        content="新增助浴服务。", provider_requirements="具备养老服务资质。", budget=Decimal("650000"), is_pilot=True,
        procurement_method=ProcurementMethod.COMPETITIVE_CONSULTATION, performance_standard="满意度不低于95%。",
        notes="2017年起试点。",
    )
    factories.item(old, category_code="H0203", code="H0203-01", name="信息系统运维", bodies=[finance], **common)
    factories.item(new, category_code="H0203", code="H0203-05", name="信息系统运维", bodies=[finance], **common)
    factories.item(old, category_code="B0101", code="B0101-01", name="劳动力转移就业辅助", **common)
    factories.item(new, category_code="H0204", code="H0204-01", name="软件研发", **common)
    return old, new


# -- the diff logic ---------------------------------------------------------------


def test_items_added_removed_and_changed(two_years):
    old, new = two_years
    diff = compare_editions(old, new)
    assert [item.name for item in diff.added] == ["软件研发"]
    assert [item.name for item in diff.removed] == ["劳动力转移就业辅助"]
    assert [change.new.name for change in diff.changed] == ["社区居家养老上门服务", "信息系统运维"]
    assert diff.unchanged == 1
    assert diff.has_changes


def test_every_changed_field_is_listed_with_old_and_new_value(two_years):
    old, new = two_years
    change = next(change for change in compare_editions(old, new).changed if change.matched_by == "code")
    values = {field.key: (field.old, field.new) for field in change.changes}
    assert values == {
        "name": ("社区居家养老服务", "社区居家养老上门服务"),
        "content": ("为居家老年人提供生活照料、助餐助浴、精神慰藉等上门服务。", "新增助浴服务。"),
        "purchasing_bodies": ("咸宁市民政局", "咸宁市民政局、咸宁市财政局"),
        "provider_requirements": ("依法登记的社会组织。", "具备养老服务资质。"),
        "procurement_method": ("公开招标", "竞争性磋商"),
        "performance_standard": ("满意度不低于90%。", "满意度不低于95%。"),
        "budget": ("800,000.00", "650,000.00"),
        "is_pilot": ("否", "是"),
        "notes": ("", "2017年起试点。"),
    }
    assert [field.label for field in change.changes][0] == "事项名称"


def test_an_item_whose_code_changed_is_matched_by_name_and_category(two_years):
    old, new = two_years
    change = next(change for change in compare_editions(old, new).changed if change.matched_by == "name")
    assert change.keys == ["code"]
    assert (change.old.code, change.new.code) == ("H0203-01", "H0203-05")


def test_a_category_change_is_a_change_of_the_item():
    old, new = factories.edition(year=2016), factories.edition(year=2017)
    before = factories.item(old, category_code="C0201", code="X-01", name="养老")
    after = factories.item(new, category_code="C0202", code="X-01", name="养老")
    changes = field_changes(before, after)
    assert [(field.key, field.old, field.new) for field in changes] == [
        ("category", "社会保障 › 养老服务 › 社区居家养老服务", "社会保障 › 养老服务 › 农村特困供养机构托管")
    ]


def test_same_name_in_another_category_with_a_new_code_is_removed_and_added():
    old, new = factories.edition(year=2016), factories.edition(year=2017)
    factories.item(old, category_code="C0201", code="C0201-01", name="养老服务")
    factories.item(new, category_code="C0202", code="C0202-01", name="养老服务")
    diff = compare_editions(old, new)
    assert (len(diff.added), len(diff.removed), len(diff.changed)) == (1, 1, 0)


def test_identical_editions_have_no_changes():
    old, new = factories.edition(year=2016), factories.edition(year=2017)
    for edition in (old, new):
        factories.item(edition, code="C0201-01")
    diff = compare_editions(old, new)
    assert not diff.has_changes and diff.unchanged == 1


def test_default_partner_is_the_previous_year_or_revision_else_the_next():
    e2016 = factories.edition(year=2016)
    e2017r1 = factories.edition(year=2017, revision=1, status=Catalogue.Status.SUPERSEDED)
    e2017r2 = factories.edition(year=2017, revision=2)
    assert default_partner(e2017r2, [e2016, e2017r1]) == e2017r1
    assert default_partner(e2017r1, [e2016, e2017r2]) == e2016
    assert default_partner(e2016, [e2017r1, e2017r2]) == e2017r1
    assert default_partner(e2016, []) is None
    assert older_first(e2017r2, e2016) == (e2016, e2017r2)


# -- the page ---------------------------------------------------------------


def test_compare_page_shows_added_removed_and_changed_fields(client, two_years):
    old, new = two_years
    html = page(client, url(new, old.pk))
    assert "新增 1 项" in html and "删除 1 项" in html and "变化 2 项" in html and "未变 1 项" in html
    assert "软件研发" in html and "劳动力转移就业辅助" in html
    assert '<del lang="zh-Hans">800,000.00</del>' in html and '<ins lang="zh-Hans">650,000.00</ins>' in html
    assert '<del lang="zh-Hans">公开招标</del>' in html and '<ins lang="zh-Hans">竞争性磋商</ins>' in html
    assert "原编码 H0203-01" in html
    item = CatalogueItem.objects.get(edition=new, name="软件研发")
    assert f'href="{item.get_absolute_url()}"' in html


def test_either_order_compares_earlier_to_later(client, two_years):
    old, new = two_years
    assert "从 2016年 第1版 到 2017年 第1版" in page(client, url(old, new.pk))
    assert "从 2016年 第1版 到 2017年 第1版" in page(client, url(new, old.pk))


def test_without_with_a_labelled_form_defaults_to_the_previous_edition(client, two_years):
    old, new = two_years
    factories.edition(region_slug="chibi", year=2016)  # another region's edition is never offered
    html = page(client, url(new))
    select = re.search(r'<select name="with"[^>]*id="([^"]+)"[^>]*>(.*?)</select>', html, re.S)
    assert f'<label for="{select.group(1)}">' in html
    options = re.findall(r'<option value="(\d+)"(?: lang="zh-Hans")?( selected)?>', select.group(2))
    assert options == [(str(old.pk), " selected")]
    assert "默认与上一版比较" in html
    assert "新增 1 项" in html


def test_region_with_a_single_edition_says_there_is_nothing_to_compare(client):
    only = factories.edition(region_slug="chibi", year=2016)
    html = page(client, url(only))
    assert "赤壁市暂无其他已公开的目录可供比较" in html
    assert "<select" not in html


@pytest.mark.parametrize("status", [Catalogue.Status.DRAFT, Catalogue.Status.WITHDRAWN])
def test_an_edition_not_public_answers_404(client, two_years, status):
    old, _ = two_years
    hidden = factories.edition(year=2018, status=status)
    assert client.get(url(hidden)).status_code == 404
    assert client.get(url(hidden, old.pk)).status_code == 404


@pytest.mark.parametrize("status", [Catalogue.Status.DRAFT, Catalogue.Status.WITHDRAWN])
def test_comparing_with_an_edition_not_public_reveals_nothing(client, two_years, status):
    _, new = two_years
    hidden = factories.edition(year=2018, status=status)
    factories.item(hidden, name="秘密草稿事项")
    html = page(client, url(new, hidden.pk))
    assert "所选目录不存在、未公开或不属于咸宁市" in html
    assert "秘密草稿事项" not in html
    assert f'value="{hidden.pk}"' not in html


def test_comparing_with_another_regions_edition_gives_a_message(client, two_years):
    _, new = two_years
    chibi = factories.edition(region_slug="chibi", year=2016)
    factories.item(chibi, name="赤壁的事项")
    html = page(client, url(new, chibi.pk))
    assert "不属于咸宁市" in html
    assert "赤壁的事项" not in html


@pytest.mark.parametrize("value", ["abc", "-1", "99999", "1.5", "<script>", "' OR 1=1 --"])
def test_malformed_with_gives_a_normal_page(client, two_years, value):
    _, new = two_years
    html = page(client, reverse("catalogue:compare", args=[new.pk]) + "?" + f"with={value}")
    assert "请在列表中另选一版" in html
    assert "<script>" not in html


def test_comparing_an_edition_with_itself_gives_a_message(client, two_years):
    _, new = two_years
    assert "不能与同一版目录比较" in page(client, url(new, new.pk))


def test_compare_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, bodies):
    old, new = factories.edition(year=2016), factories.edition(year=2017)
    bulk_items(old, 500, bodies=bodies)
    bulk_items(new, 500, bodies=bodies[:1], pilot_every=5)
    # the public version, the edition and its region's editions, then both editions' items with their
    # categories, editions and bodies (SharedColumnsIterable: 5 queries)
    with django_assert_max_num_queries(8):
        html = page(client, url(new, old.pk))
    assert "变化" in html and "<del " in html
