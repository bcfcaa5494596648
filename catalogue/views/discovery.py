"""How people and crawlers find the catalogue: the 网站地图 page, sitemap.xml, robots.txt and the Atom feeds.

Every one of them is a public page and goes through the page cache like the rest; what they list
comes from the public querysets only (catalogue/sitemaps.py, catalogue/feeds.py).
"""

from django.contrib.sitemaps.views import SitemapIndexItem, sitemap
from django.http import HttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse

from catalogue.feeds import EditionEventsFeed
from catalogue.models import Catalogue, Region
from catalogue.public_cache import public_page
from catalogue.site import site_address
from catalogue.sitemaps import SITEMAPS


@public_page
def site_map(request):
    """网站地图: every public section, each region (its block on the home page and its feed) and each edition in force."""
    in_force = Catalogue.objects.published().for_display()
    regions = []
    by_region = {}
    for edition in in_force:
        by_region.setdefault(edition.region_id, []).append(edition)
    for region in Region.objects.order_by("order", "code"):
        regions.append((region, by_region.get(region.pk, [])))
    return render(request, "catalogue/site_map.html", {"regions": regions})


@public_page
def sitemap_index(request):
    """/sitemap.xml: the index of the sections, each section's pages listed (?p=2 …)."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        section_sitemap = sitemap_class()
        location = site_address().build_absolute_uri(reverse("catalogue:sitemap_section", args=[section]))
        entries.append(SitemapIndexItem(location))
        for page in range(2, section_sitemap.paginator.num_pages + 1):
            entries.append(SitemapIndexItem(f"{location}?p={page}"))
    response = TemplateResponse(request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml")
    return response.render()


@public_page
def sitemap_section(request, section):
    """/sitemap-<section>.xml: one section (one page of it with ?p=N)."""
    response = sitemap(request, SITEMAPS, section=section)
    return response.render()


ROBOTS = """User-agent: *
Disallow: /admin/
Disallow: /editions/*/export.
Disallow: /editions/*/ocds
Disallow: /search/export.
Disallow: /providers/export.
Disallow: /evaluations/export.
Disallow: /language/
Disallow: /display/
Disallow: /i18n/

Sitemap: {sitemap}
"""


@public_page
def robots_txt(request):
    """/robots.txt: crawlers stay out of the admin, the exports and the visitor's own switches; the sitemap is named."""
    sitemap_url = site_address().build_absolute_uri(reverse("catalogue:sitemap"))
    return HttpResponse(ROBOTS.format(sitemap=sitemap_url), content_type="text/plain; charset=utf-8")


edition_feed = public_page(EditionEventsFeed())
