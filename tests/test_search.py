"""Search across the editions in force: substring matching in Chinese, ranking, highlighting, bad input."""

import re

import pytest
from django.db.models import Q
from django.urls import reverse

from catalogue import search
from catalogue.models import Catalogue, CatalogueItem
from catalogue.templatetags.search_tags import highlight, snippet
from tests import factories
from tests.public_builders import bulk_items

URL = reverse("catalogue:search")


def page(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.status_code
    return response.getvalue().decode()


def result_names(html):
    """The item names of the results, in order, with the <mark> tags removed."""
    return [re.sub(r"</?mark>", "", name) for name in re.findall(r'<h2 class="result-title"><a href="[^"]*"(?: lang="zh-Hans")?>(.*?)</a></h2>', html)]


def found(query, queryset=None):
    items, _ = search.search_items(queryset if queryset is not None else CatalogueItem.objects.current(), query)
    return set(items.values_list("name", flat=True))


@pytest.fixture
def city():
    edition = factories.edition(year=2016)
    factories.item(edition, name="社区居家养老服务", content="为居家老年人提供生活照料、助餐助浴等上门服务。")
    factories.item(edition, category_code="H0203", name="政务信息系统运维服务", content="保障市级政务信息系统稳定运行。")
    factories.item(edition, category_code="A0102", name="教师培训", content="组织中小学教师暑期培训。")
    return edition


# -- matching ---------------------------------------------------------------


def test_chinese_keywords_match_inside_words(city):
    for query in ["居家养老", "养老", "家养", "社区居家养老服务", "养"]:
        assert "社区居家养老服务" in found(query), query


def test_search_covers_name_content_and_category_names(city):
    assert found("助餐助浴") == {"社区居家养老服务"}  # content only
    assert found("技术类") == {"政务信息系统运维服务"}  # 二级 category H02 only
    assert found("公共管理辅助性事项") == {"政务信息系统运维服务"}  # 一级 area only
    assert found("学前") == set()


def test_every_term_of_a_query_must_match(city):
    assert found("养老 上门") == {"社区居家养老服务"}
    assert found("养老 运维") == set()


def test_query_does_not_match_across_punctuation():
    edition = factories.edition()
    factories.item(edition, name="康复训练", content="康复、训练分开进行。")
    assert found("复训") == {"康复训练"}
    assert found("康复训练") == {"康复训练"}
    assert found("复、训") == {"康复训练"}  # two terms 复 and 训, each present


def test_latin_letters_match_regardless_of_case():
    edition = factories.edition()
    factories.item(edition, category_code="H0203", name="OA系统运维", content="含12349热线。")
    assert found("oa系统") == {"OA系统运维"}
    assert found("2349") == {"OA系统运维"}


def test_search_finds_the_same_items_as_icontains(city):
    """On both databases the result is exactly a substring filter over name, content and category names."""
    extra = factories.edition(region_slug="chibi", year=2017)
    factories.item(extra, name="农村特困供养机构托管", category_code="C0202", content="养老院托管。")
    factories.item(extra, name="残疾人居家托养", category_code="G0202", content="2131号文件规定的托养服务。")
    current = CatalogueItem.objects.current()
    for query in ["养", "养老", "家养", "居家养老", "运维", "信息系统运维", "2131", "托", "服务"]:
        expected = set(
            current.filter(
                Q(name__icontains=query)
                | Q(content__icontains=query)
                | Q(category__name__icontains=query)
                | Q(category__parent__name__icontains=query)
                | Q(category__parent__parent__name__icontains=query)
            ).values_list("name", flat=True)
        )
        assert expected, query
        assert found(query) == expected, query


def test_name_matches_rank_before_content_matches():
    edition = factories.edition()
    factories.item(edition, category_code="H0201", name="老龄事业课题研究", content="研究居家养老服务需求。")
    factories.item(edition, category_code="C0201", name="农村养老互助", content="互助服务。")
    items, _ = search.search_items(CatalogueItem.objects.current(), "养老")
    assert [item.name for item in items][0] == "农村养老互助"


# -- visibility ---------------------------------------------------------------


@pytest.mark.parametrize("status", [Catalogue.Status.DRAFT, Catalogue.Status.WITHDRAWN, Catalogue.Status.SUPERSEDED])
def test_items_of_editions_not_in_force_are_not_searchable(client, status):
    hidden = factories.edition(year=2018, status=status)
    factories.item(hidden, name="隐藏的养老草稿事项")
    shown = factories.edition(year=2016)
    factories.item(shown, name="公开的养老事项")
    assert found("养老") == {"公开的养老事项"}
    html = page(client, q="养老")
    assert "公开的养老事项" in result_names(html)
    assert "隐藏" not in html


def test_draft_edition_is_not_searchable_by_region_filter_either(client):
    draft = factories.edition(region_slug="chibi", year=2018, status=Catalogue.Status.DRAFT)
    factories.item(draft, name="赤壁草稿养老事项")
    html = page(client, q="养老", region="chibi")
    assert "赤壁草稿养老事项" not in html
    assert "找到 0 个" in html


# -- the page ---------------------------------------------------------------


def test_results_show_name_region_year_edition_path_and_snippet(client, city):
    html = page(client, q="养老")
    assert result_names(html) == ["社区居家养老服务"]
    item = city.items.get(name="社区居家养老服务")
    assert f'href="{item.get_absolute_url()}"' in html
    assert "咸宁市" in html
    assert "2016年目录 第1版" in html
    assert f'href="{city.get_absolute_url()}"' in html
    assert "社会保障 › <mark>养老</mark>服务 › 社区居家<mark>养老</mark>服务" in html
    assert "生活照料" in html
    assert "社区居家<mark>养老</mark>服务</a>" in html


def test_region_and_area_filters_narrow_the_results_and_stay_in_pager_links(client):
    city = factories.edition(year=2016)
    chibi = factories.edition(region_slug="chibi", year=2016)
    factories.item(city, name="市本级养老服务")
    for n in range(25):
        factories.item(chibi, name=f"赤壁养老服务{n:02d}")
    factories.item(chibi, category_code="H0201", name="赤壁养老课题研究")
    html = page(client, q="养老", region="chibi", area="C")
    names = result_names(html)
    assert len(names) == 20
    assert all(name.startswith("赤壁养老服务") for name in names)
    assert "找到 25 个" in html
    assert 'value="chibi" selected' in html
    assert 'value="C" selected' in html
    assert "page=2" in html
    next_link = re.search(r'href="([^"]*page=2[^"]*)"', html).group(1).replace("&amp;", "&")
    assert "region=chibi" in next_link and "area=C" in next_link
    second = page(client, q="养老", region="chibi", area="C", page=2)
    assert len(result_names(second)) == 5


def test_empty_query_asks_for_a_search_term(client, city):
    html = page(client)
    assert "请输入检索词" in html
    assert "search-result" not in html
    assert "请输入检索词" in page(client, q="   ")


def test_overlong_query_is_truncated_with_a_message(client, city):
    html = page(client, q="养老" * 250)
    assert "检索词过长，只按前100个字符检索" in html
    value = re.search(r'<input id="id_q" type="search" name="q" value="([^"]*)"', html).group(1)
    assert len(value) == search.MAX_QUERY_LENGTH


@pytest.mark.parametrize(
    "query",
    [
        "养老' OR 1=1 --",
        "'; DROP TABLE catalogue_catalogueitem; --",
        "养老\") UNION SELECT password FROM auth_user --",
        "养老 & | ! <-> :* \\",
    ],
)
def test_sql_in_the_query_is_only_text(client, city, query):
    html = page(client, q=query)
    assert "找到" in html or "没有可检索" in html
    assert CatalogueItem.objects.count() == 3


def test_html_in_the_query_is_escaped(client, city):
    html = page(client, q='<script>alert("x")</script>养老')
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;养老" in html


def test_punctuation_only_query_gives_a_message(client, city):
    html = page(client, q="？！…")
    assert "检索词中没有可检索的文字或数字" in html


def test_html_in_item_text_is_escaped_in_highlighted_results(client):
    edition = factories.edition()
    factories.item(edition, name="<b>养老</b>服务", content='<img src=x onerror="alert(1)">养老')
    html = page(client, q="养老")
    assert "<b>" not in html and "<img" not in html
    assert "&lt;b&gt;<mark>养老</mark>&lt;/b&gt;服务" in html


@pytest.mark.parametrize("page_number", ["abc", "-1", "0", "1.5", "99999", "", "%00"])
def test_malformed_page_numbers_give_a_normal_page(client, city, page_number):
    html = page(client, q="养老", page=page_number)
    assert result_names(html) == ["社区居家养老服务"]


@pytest.mark.parametrize("params", [{"region": "atlantis"}, {"area": "Z"}, {"region": "' OR 1=1"}, {"area": "<b>"}])
def test_unknown_filter_values_are_ignored_with_a_message(client, city, params):
    html = page(client, q="养老", **params)
    assert "社区居家养老服务" in result_names(html)
    assert "已在全部" in html
    assert "<b>" not in html


def test_search_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    edition = factories.edition()
    bulk_items(edition, 500)
    # + the public version (catalogue/public_cache.py); + the years of the year filter and the results' bodies
    with django_assert_max_num_queries(6 + 1 + 2):
        html = page(client, q="服务", region="xianning", area="C", page=2)
    assert len(result_names(html)) == 20


# -- the template filters ------------------------------------------------------


def test_highlight_escapes_before_marking():
    assert highlight('<a href="x">养老</a>', ["养老"]) == "&lt;a href=&quot;x&quot;&gt;<mark>养老</mark>&lt;/a&gt;"


def test_highlight_never_marks_inside_an_escaped_entity():
    assert highlight("A&B amp", ["amp"]) == "A&amp;B <mark>amp</mark>"


def test_highlight_is_case_insensitive_and_prefers_longer_terms():
    assert highlight("OA系统与oa", ["oa", "oa系统"]) == "<mark>OA系统</mark>与<mark>oa</mark>"


def test_highlight_without_terms_only_escapes():
    assert highlight("<养老>", []) == "&lt;养老&gt;"


def test_snippet_shows_the_text_around_the_first_match():
    text = "甲" * 200 + "养老" + "乙" * 200
    cut = snippet(text, ["养老"])
    assert "养老" in cut
    assert cut.startswith("…") and cut.endswith("…")
    assert len(cut) <= 92
    assert snippet("短文本", ["养老"]) == "短文本"
