"""The public pages: home, an edition as the official table, an item, the provider directory and a provider."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.exports import COLUMNS
from catalogue.models import Catalogue, ProcurementMethod, Provider, ServiceCategory
from tests import factories
from tests.public_builders import bulk_items, page_codes, page_seqs

OFFICIAL_COLUMNS = ["序号", "编码", "一级", "二级", "三级", "事项名称", "服务内容", "购买主体", "承接主体要求", "购买方式", "试点", "备注"]


def html(response):
    assert response.status_code == 200, response.status_code
    return response.getvalue().decode()


def cat(code):
    return ServiceCategory.objects.get(code=code)


@pytest.fixture
def bodies():
    return {
        "mz": factories.purchasing_body("咸宁市民政局", short_name="市民政局"),
        "rs": factories.purchasing_body("咸宁市人力资源和社会保障局", short_name="市人社局"),
        "jy": factories.purchasing_body("咸宁市教育局"),
    }


@pytest.fixture
def city(bodies):
    """The city's 2016 edition: four items in three areas."""
    edition = factories.edition(document_number="咸财综发〔2016〕12号", published_on=date(2016, 4, 8))
    factories.item(
        edition,
        "C0201",
        "社区居家养老服务",
        bodies=[bodies["mz"]],
        is_pilot=True,
        budget=Decimal("120000"),
        provider_requirements="依法登记的养老服务类社会组织，具有2年以上居家养老服务经验。",
        performance_standard="服务对象满意度不低于90%。",
        notes="2016年在咸安区先行试点",
    )
    factories.item(
        edition,
        "C0202",
        "农村特困供养机构托管",
        bodies=[bodies["mz"]],
        procurement_method=ProcurementMethod.COMPETITIVE_CONSULTATION,
    )
    factories.item(
        edition,
        "B0201",
        "政府组织的就业培训和创业培训",
        bodies=[bodies["rs"]],
        content="组织城乡劳动者参加职业技能培训和创业培训。",
    )
    factories.item(edition, "H0101", "会议服务", content="承办大型会议的会务保障。")
    return edition


@pytest.fixture
def big(bodies):
    """An edition of 500 items over every leaf category, for paging and query counts."""
    edition = factories.edition(year=2017)
    bulk_items(edition, 500, bodies=list(bodies.values()))
    return edition


def edition_url(edition, query=""):
    return reverse("catalogue:edition", args=[edition.pk]) + query


# -- home ---------------------------------------------------------------------------------------


def test_home_lists_city_first_then_counties_in_region_order_with_item_counts(client, bodies):
    chibi = factories.edition("chibi")
    factories.item(chibi, "C0201", "赤壁市社区居家养老服务")
    xianan = factories.edition("xianan")
    city = factories.edition("xianning")
    factories.item(city, "C0201")
    factories.item(city, "C0202", "农村特困供养机构托管")
    page = html(client.get("/"))
    positions = [page.index(f'id="region-{slug}"') for slug in ("xianning", "xianan", "chibi")]
    assert positions == sorted(positions)
    assert f'href="{city.get_absolute_url()}"' in page
    assert f'href="{xianan.get_absolute_url()}"' in page
    city_entry = page[page.index(f'href="{city.get_absolute_url()}"') :][:600]
    assert "2 项事项" in city_entry


def test_home_lists_earlier_revisions_under_the_revision_in_force(client):
    first = factories.edition(revision=1, status=Catalogue.Status.SUPERSEDED)
    second = factories.edition(revision=2)
    page = html(client.get("/"))
    lead = page.index(f'class="edition-link" href="{second.get_absolute_url()}"')
    earlier = page.index('class="earlier-revisions"')
    assert lead < earlier
    assert f'<a href="{first.get_absolute_url()}">2016年第1版（已被替代）</a>' in page[earlier:]
    assert f'class="edition-link" href="{first.get_absolute_url()}"' not in page


def test_home_counts_current_items_per_area(client, city):
    old = factories.edition(year=2015)
    factories.item(old, "C0201", "旧版次的养老事项")
    Catalogue.objects.filter(pk=old.pk).update(status=Catalogue.Status.SUPERSEDED)
    page = html(client.get("/"))
    assert re.search(r'<span class="area-name" lang="zh-Hans">社会保障</span>\s*<span class="area-count">2 项</span>', page)
    assert re.search(r'<span class="area-name" lang="zh-Hans">就业</span>\s*<span class="area-count">1 项</span>', page)
    assert re.search(r'<span class="area-name" lang="zh-Hans">教育</span>\s*<span class="area-count">0 项</span>', page)
    assert "各地现行目录共 4 项事项" in page


def test_home_has_a_labelled_search_box_sending_q_to_search(client):
    page = html(client.get("/"))
    form = page[page.index('<form class="search-box"') :]
    form = form[: form.index("</form>")]
    assert f'action="{reverse("catalogue:search")}"' in form
    assert 'method="get"' in form
    assert '<label for="home-q">' in form
    assert 'id="home-q"' in form and 'name="q"' in form


def test_home_without_public_editions_says_so(client):
    factories.edition(status=Catalogue.Status.DRAFT)
    assert "尚无已公开的目录。" in html(client.get("/"))


# -- edition page ---------------------------------------------------------------------------------


def test_edition_heading_shows_region_year_revision_document_number_date_and_status(client, city):
    page = html(client.get(edition_url(city)))
    heading = page[page.index('<header class="edition-heading">') :]
    heading = heading[: heading.index("</header>")]
    for text in ("咸宁市", "2016年", "第1版", "咸财综发〔2016〕12号", "2016-04-08", "已发布"):
        assert text in heading
    assert '<h1 lang="zh-Hans">咸宁市2016年政府向社会力量购买服务指导性目录</h1>' in heading


def test_edition_table_has_the_official_columns_in_order(client, city):
    page = html(client.get(edition_url(city)))
    headers = re.findall(r'<th scope="col" class="col-[a-z_]+">([^<]+)</th>', page)
    assert headers == OFFICIAL_COLUMNS
    assert [str(column.label) for column in COLUMNS] == OFFICIAL_COLUMNS


def test_edition_table_rows_show_each_column_and_link_the_item(client, city):
    page = html(client.get(edition_url(city)))
    item = city.items.get(name="社区居家养老服务")
    row = next(row for row in re.findall(r'<tr class="item-row">(.*?)</tr>', page) if item.get_absolute_url() in row)
    cells = re.findall(r'<td class="col-([a-z_]+)" data-label="[^"]+"(?: lang="zh-Hans")?>(.*?)</td>', row)
    values = dict(cells)
    assert values["code"] == "C0201-01"
    assert (values["area"], values["field"], values["type"]) == ("社会保障", "养老服务", "社区居家养老服务")
    assert values["purchasing_bodies"] == "市民政局"
    assert values["procurement_method"] == "公开招标"
    assert values["is_pilot"] == "是"
    assert values["notes"] == "2016年在咸安区先行试点"


def test_edition_rows_are_grouped_by_area_in_tree_order(client, city):
    page = html(client.get(edition_url(city)))
    groups = re.findall(r'<th scope="rowgroup" colspan="12" lang="zh-Hans">([^<]+)</th>', page)
    assert groups == ["B 就业", "C 社会保障", "H 公共管理辅助性事项"]
    assert page_codes(page) == ["B0201-01", "C0201-01", "C0202-01", "H0101-01"]


def test_sequence_numbers_continue_across_pages(client, big):
    first = html(client.get(edition_url(big)))
    second = html(client.get(edition_url(big, "?page=2")))
    last = html(client.get(edition_url(big, "?page=5")))
    assert page_seqs(first) == list(range(1, 101))
    assert page_seqs(second) == list(range(101, 201))
    assert page_seqs(last) == list(range(401, 501))
    assert "第 2 / 5 页" in second
    assert not set(page_codes(first)) & set(page_codes(second))


def test_all_rows_on_one_page_for_printing(client, big):
    page = html(client.get(edition_url(big, "?all=1")))
    assert page_seqs(page) == list(range(1, 501))
    assert 'class="pager' not in page
    assert "返回分页显示" in page


def test_filter_by_area_includes_items_of_every_level_below(client, city):
    page = html(client.get(edition_url(city, f"?category={cat('C').pk}")))
    assert page_codes(page) == ["C0201-01", "C0202-01"]
    assert "筛选出 2 项（全部 4 项）" in page


@pytest.mark.parametrize(
    "code,expected", [("C02", ["C0201-01", "C0202-01"]), ("C0202", ["C0202-01"]), ("B", ["B0201-01"])]
)
def test_filter_by_category_at_any_level(client, city, code, expected):
    assert page_codes(html(client.get(edition_url(city, f"?category={cat(code).pk}")))) == expected


def test_category_choices_are_the_categories_used_by_this_edition_with_their_parents(client, city):
    page = html(client.get(edition_url(city)))
    select = page[page.index('<select name="category"') :]
    select = select[: select.index("</select>")]
    values = {int(value) for value in re.findall(r'<option value="(\d+)"', select)}
    expected = {cat(code).pk for code in ("B", "B02", "B0201", "C", "C02", "C0201", "C0202", "H", "H01", "H0101")}
    assert values == expected


def test_filter_by_purchasing_body(client, city, bodies):
    page = html(client.get(edition_url(city, f"?body={bodies['mz'].pk}")))
    assert page_codes(page) == ["C0201-01", "C0202-01"]


def test_body_choices_are_only_the_bodies_appearing_in_this_edition(client, city, bodies):
    other = factories.edition("xianan")
    stranger = factories.purchasing_body("咸安区民政局", region_slug="xianan")
    factories.item(other, bodies=[stranger])
    page = html(client.get(edition_url(city)))
    select = page[page.index('<select name="body"') :]
    select = select[: select.index("</select>")]
    assert "咸宁市民政局" in select and "咸宁市人力资源和社会保障局" in select
    assert "咸安区民政局" not in select
    assert "咸宁市教育局" not in select
    # A body of another edition is not a valid choice here: ignored, with a message.
    page = html(client.get(edition_url(city, f"?body={stranger.pk}")))
    assert len(page_codes(page)) == 4
    assert "筛选条件“购买主体”的值无效，已忽略该条件。" in page


def test_filter_by_procurement_method(client, city):
    page = html(client.get(edition_url(city, "?method=COMPETITIVE_CONSULTATION")))
    assert page_codes(page) == ["C0202-01"]


def test_filter_pilot_only(client, city):
    assert page_codes(html(client.get(edition_url(city, "?pilot=on")))) == ["C0201-01"]
    assert len(page_codes(html(client.get(edition_url(city, "?pilot=")))) ) == 4


def test_filter_by_text_matches_inside_words(client, city):
    assert page_codes(html(client.get(edition_url(city, "?q=托管")))) == ["C0202-01"]
    assert page_codes(html(client.get(edition_url(city, "?q=会务")))) == ["H0101-01"]
    # The category path is searched too: both items under 养老服务 match 养老.
    assert page_codes(html(client.get(edition_url(city, "?q=养老")))) == ["C0201-01", "C0202-01"]


def test_filters_combine_and_stay_in_pager_links(client, big):
    area = cat("C")
    page = html(client.get(edition_url(big, f"?category={area.pk}&pilot=on")))
    assert page_codes(page) and all(code.startswith("C") for code in page_codes(page))
    page = html(client.get(edition_url(big, "?q=服务&pilot=")))
    assert "筛选出 500 项" in page
    assert 'href="?q=%E6%9C%8D%E5%8A%A1&amp;pilot=&amp;page=2"' in page


def test_export_links_cover_the_edition_and_the_filtered_view(client, city):
    plain = html(client.get(edition_url(city)))
    for fmt in ("csv", "xlsx", "json"):
        assert f'href="{reverse("catalogue:edition_export", args=[city.pk, fmt])}"' in plain
    assert "筛选结果 CSV" not in plain
    page = html(client.get(edition_url(city, f"?category={cat('C').pk}&page=1")))
    for fmt in ("csv", "xlsx", "json"):
        url = reverse("catalogue:edition_export", args=[city.pk, fmt])
        assert f'href="{url}?category={cat("C").pk}"' in page


def test_print_hint_is_shown(client, city):
    assert "使用浏览器的打印功能" in html(client.get(edition_url(city)))


def test_superseded_edition_says_so_and_links_to_the_revision_in_force(client):
    first = factories.edition(revision=1, status=Catalogue.Status.SUPERSEDED)
    second = factories.edition(revision=2)
    page = html(client.get(edition_url(first)))
    assert "本版次已被新的版次替代" in page
    assert f'<a href="{second.get_absolute_url()}">查看现行的2016年第2版目录</a>' in page
    current = html(client.get(edition_url(second)))
    assert "本版次已被新的版次替代" not in current
    assert f'<a href="{first.get_absolute_url()}">2016年第1版（已被替代）</a>' in current


def test_compare_link_only_when_the_region_has_another_public_edition(client):
    edition = factories.edition(year=2017)
    compare = reverse("catalogue:compare", args=[edition.pk])
    factories.edition(year=2016, status=Catalogue.Status.DRAFT)
    factories.edition("xianan", year=2016)
    assert compare not in html(client.get(edition_url(edition)))
    factories.edition(year=2016, revision=2)
    assert f'href="{compare}"' in html(client.get(edition_url(edition)))


def test_unknown_edition_is_404(client):
    assert client.get(reverse("catalogue:edition", args=[999999])).status_code == 404


# -- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query,message",
    [
        ("?category=999999", "筛选条件“服务类别”的值无效，已忽略该条件。"),
        ("?category=abc", "筛选条件“服务类别”的值无效，已忽略该条件。"),
        ("?method=BOGUS", "筛选条件“购买方式”的值无效，已忽略该条件。"),
        ("?body=x", "筛选条件“购买主体”的值无效，已忽略该条件。"),
        ("?body=999999", "筛选条件“购买主体”的值无效，已忽略该条件。"),
        ("?q=%21%21%21", "关键词中没有可检索的文字，已忽略该条件。"),
        ("?page=abc", "页码“abc”无效，已显示第1页。"),
        ("?page=0", "页码“0”无效，已显示第1页。"),
        ("?page=-3", "页码“-3”无效，已显示第1页。"),
    ],
)
def test_bad_filter_values_show_every_row_with_a_chinese_message(client, city, query, message):
    page = html(client.get(edition_url(city, query)))
    assert message in page
    assert page_seqs(page) == [1, 2, 3, 4]


def test_page_past_the_end_shows_the_last_page(client, big):
    page = html(client.get(edition_url(big, "?page=99999")))
    assert page_seqs(page) == list(range(401, 501))
    assert "共5页，已显示最后一页。" in page


@pytest.mark.parametrize(
    "query",
    [
        "?q=" + "养" * 500,
        "?q=%27%20OR%201%3D1%20--",
        "?q=%3B%20DROP%20TABLE%20catalogue_catalogueitem%3B",
        "?pilot=maybe",
        "?category=&method=&body=&q=",
        "?page=1e9",
        "?page=%00",
    ],
)
def test_odd_input_never_fails(client, city, query):
    assert client.get(edition_url(city, query)).status_code == 200


def test_html_in_the_text_filter_is_escaped(client, city):
    page = html(client.get(edition_url(city, "?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_html_in_a_page_number_is_escaped(client, city):
    page = html(client.get(edition_url(city, "?page=%3Cb%3Ex")))
    assert "<b>x" not in page
    assert "页码“&lt;b&gt;x”无效" in page


# -- item page ------------------------------------------------------------------------------------


def test_item_page_shows_every_field(client, city, bodies):
    item = city.items.get(name="社区居家养老服务")
    page = html(client.get(item.get_absolute_url()))
    for text in (
        '<h1 lang="zh-Hans">社区居家养老服务</h1>',
        "C0201-01",
        "为居家老年人提供生活照料",
        "依法登记的养老服务类社会组织",
        "公开招标",
        "服务对象满意度不低于90%。",
        "120,000.00 元",
        "2016年在咸安区先行试点",
        "咸宁市民政局",
        "咸财综发〔2016〕12号",
    ):
        assert text in page, text
    assert re.search(r"<dt>试点事项</dt><dd>是</dd>", page)
    assert f'<a href="{city.get_absolute_url()}" lang="zh-Hans">{city.title}</a>' in page
    assert '<a href="/#region-xianning">咸宁市的全部目录</a>' in page
    for code, name in (("C", "社会保障"), ("C02", "养老服务"), ("C0201", "社区居家养老服务")):
        assert f'<a href="{city.get_absolute_url()}?category={cat(code).pk}" lang="zh-Hans">{code} {name}</a>' in page


def test_item_without_budget_says_so(client, city):
    item = city.items.get(name="会议服务")
    page = html(client.get(item.get_absolute_url()))
    assert "<dt>预算</dt><dd>未列明</dd>" in page
    assert "<dt>试点事项</dt><dd>否</dd>" in page


def test_item_page_lists_the_qualified_providers_for_its_category(client, city):
    item = city.items.get(name="社区居家养老服务")
    for_area = factories.provider("咸宁市社会保障服务协会", kind=Provider.Kind.SOCIAL_GROUP, categories=("C",))
    for_field = factories.provider("咸宁市阳光社会工作服务中心", categories=("C02",))
    for_leaf = factories.provider("咸宁市夕阳红居家养老服务中心", categories=("C0201",))
    factories.provider("咸宁市职业培训学校", categories=("B02",))
    factories.provider("待审核的养老机构", categories=("C02",), qualification_status=Provider.QualificationStatus.PENDING)
    factories.provider("已过期的养老机构", categories=("C02",), qualified_until=date.today() - timedelta(days=1))
    page = html(client.get(item.get_absolute_url()))
    section = page[page.index('aria-labelledby="providers-heading"') :]
    for provider in (for_area, for_field, for_leaf):
        assert f'<a href="{reverse("catalogue:provider", args=[provider.pk])}" lang="zh-Hans">{provider.name}</a>' in section
    for name in ("咸宁市职业培训学校", "待审核的养老机构", "已过期的养老机构"):
        assert name not in section


def test_item_of_a_superseded_edition_links_to_the_revision_in_force(client):
    first = factories.edition(revision=1, status=Catalogue.Status.SUPERSEDED)
    item = factories.item(first)
    second = factories.edition(revision=2)
    page = html(client.get(item.get_absolute_url()))
    assert "本事项所属的目录版次已被替代" in page
    assert f'href="{second.get_absolute_url()}"' in page


# -- providers ------------------------------------------------------------------------------------


@pytest.fixture
def providers():
    return {
        "sunshine": factories.provider("咸宁市阳光社会工作服务中心", categories=("C02",), evaluation_grade="4A"),
        "training": factories.provider(
            "赤壁市职业技能培训学校", kind=Provider.Kind.PRIVATE_NON_ENTERPRISE, categories=("B02",), region_slug="chibi"
        ),
        "it": factories.provider("湖北咸宁信息技术有限公司", kind=Provider.Kind.ENTERPRISE, categories=("H0203",)),
        "pending": factories.provider(
            "待审核的社工机构", categories=("C02",), qualification_status=Provider.QualificationStatus.PENDING
        ),
        "revoked": factories.provider(
            "已撤销的社工机构", categories=("C02",), qualification_status=Provider.QualificationStatus.REVOKED
        ),
        "expired": factories.provider("已过期的社工机构", categories=("C02",), qualified_until=date(2020, 1, 1)),
    }


def listed(page):
    return re.findall(r'<a href="/providers/\d+/"(?: lang="zh-Hans")?>([^<]+)</a>', page)


def test_directory_lists_only_qualified_providers(client, providers):
    page = html(client.get(reverse("catalogue:providers")))
    assert sorted(listed(page)) == sorted(["咸宁市阳光社会工作服务中心", "赤壁市职业技能培训学校", "湖北咸宁信息技术有限公司"])
    assert "共 3 个承接主体" in page


@pytest.mark.parametrize(
    "code,expected",
    [
        ("C", ["咸宁市阳光社会工作服务中心"]),
        ("C02", ["咸宁市阳光社会工作服务中心"]),
        ("C0201", ["咸宁市阳光社会工作服务中心"]),
        ("H", ["湖北咸宁信息技术有限公司"]),
        ("H0203", ["湖北咸宁信息技术有限公司"]),
        ("A", []),
    ],
)
def test_directory_filters_by_category_at_any_level(client, providers, code, expected):
    page = html(client.get(reverse("catalogue:providers") + f"?category={cat(code).pk}"))
    assert listed(page) == expected


def test_directory_filters_by_region_kind_name_and_credit_code(client, providers):
    url = reverse("catalogue:providers")
    chibi = factories.region("chibi")
    assert listed(html(client.get(url + f"?region={chibi.pk}"))) == ["赤壁市职业技能培训学校"]
    assert listed(html(client.get(url + "?kind=ENTERPRISE"))) == ["湖北咸宁信息技术有限公司"]
    assert listed(html(client.get(url + "?q=阳光"))) == ["咸宁市阳光社会工作服务中心"]
    code = providers["training"].credit_code
    assert listed(html(client.get(url + f"?q={code.lower()}"))) == ["赤壁市职业技能培训学校"]


@pytest.mark.parametrize(
    "query,message",
    [
        ("?category=999999", "筛选条件“可承接的服务类别”的值无效"),
        ("?region=abc", "筛选条件“所在行政区划”的值无效"),
        ("?kind=BOGUS", "筛选条件“类型”的值无效"),
        ("?page=abc", "页码“abc”无效"),
    ],
)
def test_directory_bad_input_shows_every_provider_with_a_message(client, providers, query, message):
    page = html(client.get(reverse("catalogue:providers") + query))
    assert message in page
    assert len(listed(page)) == 3


def test_directory_escapes_html_in_the_search(client, providers):
    page = html(client.get(reverse("catalogue:providers") + "?q=%3Cscript%3Ex"))
    assert "<script>x" not in page
    assert "&lt;script&gt;x" in page


def test_directory_is_paginated_and_keeps_filters(client):
    for number in range(55):
        factories.provider(f"咸宁市第{number:02d}社会工作服务中心")
    page = html(client.get(reverse("catalogue:providers") + "?kind=PRIVATE_NON_ENTERPRISE"))
    assert len(listed(page)) == 50
    assert 'href="?kind=PRIVATE_NON_ENTERPRISE&amp;page=2"' in page
    second = html(client.get(reverse("catalogue:providers") + "?kind=PRIVATE_NON_ENTERPRISE&page=2"))
    assert len(listed(second)) == 5


@pytest.mark.parametrize("key", ["pending", "revoked", "expired"])
def test_provider_page_is_404_unless_qualified(client, providers, key):
    assert client.get(reverse("catalogue:provider", args=[providers[key].pk])).status_code == 404


def test_provider_page_shows_its_record_categories_and_current_items(client, providers, city):
    provider = providers["sunshine"]
    superseded = factories.edition("xianan", year=2015)
    factories.item(superseded, "C0201", "旧版次中的养老事项")
    Catalogue.objects.filter(pk=superseded.pk).update(status=Catalogue.Status.SUPERSEDED)
    draft = factories.edition("xianan", year=2016, status=Catalogue.Status.DRAFT)
    factories.item(draft, "C0201", "草稿中的养老事项")
    page = html(client.get(reverse("catalogue:provider", args=[provider.pk])))
    for text in ("民办非企业单位（社会服务机构）", provider.credit_code, "咸宁市民政局", "咸宁市", "2099-12-31", "4A"):
        assert text in page, text
    assert "社会保障 › 养老服务" in page
    items = page[page.index('id="items-heading"') :]
    for item in city.items.filter(category__parent__code="C02"):
        assert f'<a href="{item.get_absolute_url()}" lang="zh-Hans">{item.name}</a>' in items
    assert "会议服务" not in items
    assert "旧版次中的养老事项" not in items
    assert "草稿中的养老事项" not in items
    assert "共 2 项。" in items


def test_provider_page_lists_a_short_list_of_many_items(client, big):
    provider = factories.provider(categories=("C",))
    page = html(client.get(reverse("catalogue:provider", args=[provider.pk])))
    total = big.items.filter(category__code__startswith="C").count()
    assert f"共 {total} 项，列出前 20 项。" in page
    assert len(re.findall(r'<a href="/items/\d+/"', page)) == 20


# -- a fixed number of queries, whatever the number of items -----------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


# Each uncached page reads the public version first (catalogue/public_cache.py): the + 1 below.
MAX_QUERIES = {
    "home": 3 + 1,
    # + the edition's published files and their checksums, + its corrections (issue 12), + 2: the filter's
    # choices read the edition's categories and bodies as ids first (catalogue/filters.py)
    "edition": 7 + 1 + 1 + 1 + 2,
    "edition_filtered": 9 + 1 + 1 + 1 + 2,
    "item": 4 + 1,  # + its published evaluation results (issue 5)
    "providers": 5 + 1,
    "providers_filtered": 7 + 1,
    "provider": 6 + 1 + 1,  # + its results and trail (issue 5), + the ids of the categories under its own
}


@pytest.fixture
def public_urls(big, bodies):
    provider = factories.provider(categories=("C",))
    for number in range(30):
        factories.provider(f"咸宁市第{number:02d}养老服务中心", categories=("C02", "C03"))
    item = big.items.filter(category__code__startswith="C02").first()
    filtered = f"?category={cat('C').pk}&body={bodies['mz'].pk}&method=OPEN_TENDER&pilot=on&q=服务&page=1"
    return {
        "home": "/",
        "edition": edition_url(big),
        "edition_filtered": edition_url(big, filtered),
        "item": item.get_absolute_url(),
        "providers": reverse("catalogue:providers"),
        "providers_filtered": reverse("catalogue:providers")
        + f"?category={cat('C02').pk}&region=1&kind=PRIVATE_NON_ENTERPRISE&q=养老",
        "provider": reverse("catalogue:provider", args=[provider.pk]),
    }


@pytest.mark.parametrize("page", list(MAX_QUERIES))
def test_public_page_runs_a_fixed_number_of_queries_with_500_items(
    client, public_urls, page, django_assert_max_num_queries
):
    with django_assert_max_num_queries(MAX_QUERIES[page]):
        response = client.get(public_urls[page])
    assert response.status_code == 200


def test_edition_page_queries_do_not_grow_with_the_number_of_items(client, bodies):
    small = factories.edition(year=2018)
    bulk_items(small, 5, bodies=list(bodies.values()))
    large = factories.edition(year=2019)
    bulk_items(large, 500, bodies=list(bodies.values()))
    for query in ("", f"?category={cat('C').pk}&method=OPEN_TENDER&q=服务", "?all=1"):
        assert count_queries(client, edition_url(small, query)) == count_queries(client, edition_url(large, query))
