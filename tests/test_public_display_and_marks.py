"""长者模式 and the footer's marks: a visitor's display mode chosen by a plain link and kept apart in the
page cache; the marks a government site shows, each only when the deployment sets it."""

import re

import pytest
from django.core.cache import caches
from django.urls import reverse

from catalogue.preferences import MODE_COOKIE
from tests import factories as f


@pytest.fixture
def city():
    edition = f.edition(year=2016)
    f.item(edition, "C0201", "社区居家养老服务")
    return edition


def html_class(response):
    return re.search(r'<html lang="[^"]+" class="([^"]*)"', response.getvalue().decode()).group(1)


def footer(response):
    return re.search(r'<footer class="site-footer.*?</footer>', response.getvalue().decode(), re.S).group(0)


# --- 长者模式 -------------------------------------------------------------------------------------


def test_the_elder_mode_link_sets_a_cookie_and_goes_back(client, city):
    page = city.get_absolute_url()
    html = client.get(page).getvalue().decode()
    assert f'href="/display/?mode=elder&amp;next={page}"' in html
    response = client.get(reverse("catalogue:display_mode"), {"mode": "elder", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    assert response.cookies[MODE_COOKIE].value == "elder"
    assert "no-store" in response["Cache-Control"]


def test_elder_mode_is_rendered_by_the_server_and_can_be_left(client, city):
    page = city.get_absolute_url()
    assert html_class(client.get(page)) == "mode-standard"
    client.get(reverse("catalogue:display_mode"), {"mode": "elder", "next": page})
    response = client.get(page)
    assert html_class(response) == "mode-elder"
    assert "退出长者模式" in response.getvalue().decode()
    back = client.get(reverse("catalogue:display_mode"), {"mode": "standard", "next": page})
    assert back.cookies[MODE_COOKIE].value == ""  # deleted
    assert html_class(client.get(page)) == "mode-standard"


def test_both_modes_are_cached_apart(client, city):
    """The same URL is two pages: a visitor in 长者模式 never gets the standard one from the cache, nor back."""
    page = city.get_absolute_url()
    assert html_class(client.get(page)) == "mode-standard"
    client.cookies[MODE_COOKIE] = "elder"
    assert html_class(client.get(page)) == "mode-elder"
    assert html_class(client.get(page)) == "mode-elder"  # from the cache
    del client.cookies[MODE_COOKIE]
    assert html_class(client.get(page)) == "mode-standard"
    assert len(caches["public"]._cache) == 2


def test_an_unknown_mode_cookie_is_the_standard_page(client, city):
    page = city.get_absolute_url()
    client.get(page)
    client.cookies[MODE_COOKIE] = '"><script>x</script>'
    response = client.get(page)
    assert html_class(response) == "mode-standard"
    assert len(caches["public"]._cache) == 1  # no new entry per forged value


def test_the_mode_link_never_leaves_the_site(client):
    response = client.get(reverse("catalogue:display_mode"), {"mode": "elder", "next": "https://evil.example/"})
    assert response["Location"] == "/"


# --- footer marks ---------------------------------------------------------------------------------

MARKS = {
    "organiser": "咸宁市财政局",
    "site_code": "4212000001",
    "icp_number": "鄂ICP备00000000号",
    "icp_url": "https://beian.miit.gov.cn/",
    "psb_number": "鄂公网安备 42120002000000号",
    "psb_url": "",
    "contact": "0715-0000000",
    "party_gov_mark": "/static/img/party-gov-mark.png",
    "party_gov_mark_url": "",
}


def test_by_default_the_footer_names_the_organiser_and_invents_nothing(client, city):
    text = footer(client.get(reverse("catalogue:home")))
    assert "主办单位：咸宁市财政局" in text
    for absent in ("网站标识码", "ICP", "公网安备", "联系方式", "0715", "党政机关"):
        assert absent not in text


def test_configured_marks_are_shown_and_the_icp_number_links_to_the_registry(client, city, settings):
    settings.SITE_MARKS = MARKS
    text = footer(client.get(reverse("catalogue:home")))
    assert "网站标识码：4212000001" in text
    assert '<a href="https://beian.miit.gov.cn/" rel="noopener" lang="zh-Hans">鄂ICP备00000000号</a>' in text
    assert '<span lang="zh-Hans">鄂公网安备 42120002000000号</span>' in text  # no address configured: no link
    assert "联系方式：<span>0715-0000000</span>" in text
    assert '<img src="/static/img/party-gov-mark.png" alt="党政机关"' in text


def test_an_icp_number_without_an_address_is_not_a_link(client, city, settings):
    settings.SITE_MARKS = {**MARKS, "icp_url": ""}
    text = footer(client.get(reverse("catalogue:home")))
    assert "鄂ICP备00000000号" in text and "beian" not in text


def test_in_english_chinese_marks_are_marked_chinese(client, city, settings):
    settings.SITE_MARKS = {**MARKS, "organiser": "咸宁市财政局数据中心"}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = footer(client.get(reverse("catalogue:home")))
    assert '<span lang="zh-Hans">咸宁市财政局数据中心</span>' in text
    assert 'lang="zh-Hans">鄂ICP备00000000号</a>' in text
