"""How the catalogue is found: the 网站地图 page, sitemap.xml, robots.txt and the Atom feeds of publications,
corrections and withdrawals. Each lists only what the public may open, and each is a cached public page."""

import re
from datetime import date
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.models import Catalogue
from catalogue.services import open_revision, publish_evaluation, publish_edition, suspend_provider, withdraw_edition
from catalogue.sitemaps import PAGE_SIZE, ItemSitemap
from tests import contract_builders as cb
from tests import factories as f

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ATOM = {"a": "http://www.w3.org/2005/Atom"}


@pytest.fixture
def record():
    """A city edition corrected once (2016 rev. 2 supersedes rev. 1), a county edition withdrawn, a draft,
    a qualified and a suspended provider."""
    municipal = f.municipal()
    city = f.edition(year=2016, document_number="咸财综发〔2016〕12号", published_on=date(2016, 4, 8))
    f.item(city, "C0201", "社区居家养老服务")
    revision = open_revision(city, by=municipal)
    corrected = publish_edition(revision, by=municipal, document_number="咸财综发〔2016〕30号", published_on=date(2016, 9, 1))
    county = f.edition("chibi", year=2016, document_number="赤财综发〔2016〕3号", published_on=date(2016, 5, 2))
    withdrawn_item = f.item(county, "C0201", "赤壁市撤回的事项")
    withdraw_edition(county, by=municipal, reason="文号有误")
    draft = f.edition("xianan", year=2017, status=Catalogue.Status.DRAFT)
    draft_item = f.item(draft, "C0201", "草稿中的事项")
    qualified = f.provider("咸宁市阳光社会工作服务中心")
    suspended = f.provider("咸宁市暂停社工服务社")
    suspend_provider(suspended, by=municipal, reason="年检未通过")
    return {
        "municipal": municipal,
        "city": Catalogue.objects.get(pk=city.pk),
        "corrected": corrected,
        "county": county,
        "withdrawn_item": withdrawn_item,
        "draft": draft,
        "draft_item": draft_item,
        "qualified": qualified,
        "suspended": suspended,
    }


def xml(response):
    assert response.status_code == 200, response.status_code
    return ElementTree.fromstring(response.getvalue())


def sitemap_locations(client):
    index = xml(client.get("/sitemap.xml"))
    locations = []
    for sitemap in index.findall("sm:sitemap/sm:loc", SITEMAP_NS):
        path = sitemap.text.removeprefix(settings.PUBLIC_URL)
        locations += [loc.text for loc in xml(client.get(path)).findall("sm:url/sm:loc", SITEMAP_NS)]
    return locations


# --- sitemap.xml -----------------------------------------------------------------------------------


def test_the_sitemap_lists_public_editions_items_providers_and_results_only(client, record):
    locations = sitemap_locations(client)
    base = settings.PUBLIC_URL
    assert f"{base}{record['city'].get_absolute_url()}" in locations  # superseded: still public
    assert f"{base}{record['corrected'].get_absolute_url()}" in locations
    for item in record["corrected"].items.all():
        assert f"{base}{item.get_absolute_url()}" in locations
    assert f"{base}{reverse('catalogue:provider', args=[record['qualified'].pk])}" in locations
    assert f"{base}{reverse('catalogue:site_map')}" in locations
    for hidden in (record["county"], record["draft"], record["withdrawn_item"], record["draft_item"]):
        assert f"{base}{hidden.get_absolute_url()}" not in locations
    assert f"{base}{reverse('catalogue:provider', args=[record['suspended'].pk])}" not in locations


def test_the_sitemap_lists_the_results_of_regions_with_published_evaluations(client, record):
    municipal = record["municipal"]
    item = cb.published_item("xianning", 2017)
    contract = cb.saved_contract(item, record["qualified"], municipal)
    evaluation = cb.recorded_evaluation(contract, municipal, 90, 92, 88)
    assert not any("evaluations/?region=" in loc for loc in sitemap_locations(client))
    publish_evaluation(evaluation, by=municipal)
    region = item.edition.region_id
    assert f"{settings.PUBLIC_URL}{reverse('catalogue:evaluations')}?region={region}" in sitemap_locations(client)


def test_a_long_section_is_split_into_pages_each_read_in_a_fixed_number_of_queries(client, record, monkeypatch):
    """100,000 items are ten pages of 10,000; here, eight (the superseded revision's included) in pages of three."""
    edition = record["corrected"]
    for n in range(6):
        f.item(edition, "C0201", f"居家养老服务{n}", code=f"C0201-9{n}")
    monkeypatch.setattr(ItemSitemap, "limit", 3)
    index = [loc.text for loc in xml(client.get("/sitemap.xml")).findall("sm:sitemap/sm:loc", SITEMAP_NS)]
    items_pages = [loc for loc in index if "sitemap-items.xml" in loc]
    assert items_pages == [f"{settings.PUBLIC_URL}/sitemap-items.xml"] + [
        f"{settings.PUBLIC_URL}/sitemap-items.xml?p={page}" for page in (2, 3)
    ]
    seen = []
    for page in (1, 2, 3):
        with CaptureQueriesContext(connection) as queries:
            body = xml(client.get("/sitemap-items.xml", {"p": page}))
        assert len(queries.captured_queries) <= 4  # version, count, the page's keys (and the session-less rest)
        seen += [loc.text for loc in body.findall("sm:url/sm:loc", SITEMAP_NS)]
    assert len(seen) == len(set(seen)) == 8
    assert client.get("/sitemap-items.xml", {"p": 4}).status_code == 404


def test_a_full_sitemap_page_fits_in_the_page_cache():
    longest = f"{settings.PUBLIC_URL}/items/99999999/"
    entry = f"<url><loc>{longest}</loc></url>\n"
    assert PAGE_SIZE * len(entry.encode()) < settings.PUBLIC_CACHE_MAX_BYTES


def test_the_sitemap_names_the_configured_site_whoever_asks(client, record, settings):
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]
    body = client.get("/sitemap.xml", HTTP_HOST="evil.example").getvalue().decode()
    assert "evil.example" not in body and settings.PUBLIC_URL in body


# --- robots.txt ------------------------------------------------------------------------------------


def test_robots_keeps_crawlers_out_of_the_admin_and_the_exports_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.getvalue().decode().splitlines()
    for rule in ("Disallow: /admin/", "Disallow: /editions/*/export.", "Disallow: /providers/export.",
                 "Disallow: /evaluations/export.", "Disallow: /editions/*/ocds"):
        assert rule in lines
    assert f"Sitemap: {settings.PUBLIC_URL}/sitemap.xml" in lines


# --- Atom feeds ------------------------------------------------------------------------------------


def entries(response):
    feed = xml(response)
    return [(entry.find("a:title", ATOM).text, entry.find("a:link", ATOM).get("href")) for entry in feed.findall("a:entry", ATOM)]


def test_the_feed_tells_publications_corrections_and_withdrawals_newest_first(client, record):
    response = client.get(reverse("catalogue:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    titles = [title for title, _link in entries(response)]
    city, corrected, county = record["city"], record["corrected"], record["county"]
    assert titles == [
        f"撤回：{county.title}（第1版）",  # withdrawn today
        f"更正：{corrected.title}（第2版替代第1版）",  # 2016-09-01
        f"发布：{city.title}",  # 2016-04-08 (the county's publication went with its withdrawal: its page is gone)
    ]
    links = dict(entries(response))
    assert links[f"更正：{corrected.title}（第2版替代第1版）"] == f"{settings.PUBLIC_URL}{corrected.get_absolute_url()}"
    assert links[f"撤回：{county.title}（第1版）"] == f"{settings.PUBLIC_URL}/#region-chibi"  # the edition itself is gone
    assert "草稿" not in response.getvalue().decode()


def test_each_region_has_its_own_feed(client, record):
    titles = [title for title, _link in entries(client.get(reverse("catalogue:region_feed", args=["chibi"])))]
    assert titles == [f"撤回：{record['county'].title}（第1版）"]
    assert entries(client.get(reverse("catalogue:region_feed", args=["xianan"]))) == []  # a draft only
    assert client.get(reverse("catalogue:region_feed", args=["nowhere"])).status_code == 404


def test_a_withdrawal_reason_stays_with_staff(client, record):
    assert "文号有误" not in client.get(reverse("catalogue:feed")).getvalue().decode()


def test_the_feed_costs_the_same_for_a_long_record(client, record):
    def queries_for_feed():
        from django.core.cache import caches

        caches["public"].clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("catalogue:feed"))
        return len(queries.captured_queries)

    before = queries_for_feed()
    for year in range(2018, 2023):
        f.edition("xianan", year=year, published_on=date(year, 3, 1), document_number=f"咸安财发〔{year}〕1号")
    assert queries_for_feed() == before


def test_the_home_page_and_each_region_link_their_feeds(client, record):
    html = client.get(reverse("catalogue:home")).getvalue().decode()
    assert f'<link rel="alternate" type="application/atom+xml" href="{reverse("catalogue:feed")}"' in html
    assert f'href="{reverse("catalogue:region_feed", args=["xianning"])}"' in html


# --- 网站地图 --------------------------------------------------------------------------------------


def test_the_site_map_page_links_every_section_region_and_edition_in_force(client, record):
    html = client.get(reverse("catalogue:site_map")).getvalue().decode()
    for name in ("home", "search", "providers", "evaluations", "statistics", "feed", "sitemap"):
        assert f'href="{reverse("catalogue:" + name)}"' in html
    assert f'href="{record["corrected"].get_absolute_url()}"' in html
    for hidden in (record["city"], record["county"], record["draft"]):  # superseded, withdrawn, draft
        assert f'href="{hidden.get_absolute_url()}"' not in html
    for slug in ("xianning", "chibi", "xianan", "tongshan"):
        assert f'href="/#region-{slug}"' in html
    assert re.search(r'<a href="/site-map/">网站地图</a>', html)  # from every page's footer


@pytest.mark.parametrize("url", ["/sitemap.xml", "/sitemap-editions.xml", "/robots.txt", "/feeds/editions.atom", "/site-map/"])
def test_discovery_pages_are_cached(client, record, url):
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries.captured_queries) == 1  # the public version
