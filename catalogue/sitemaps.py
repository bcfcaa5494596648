"""sitemap.xml: the public sections, published editions, their items, qualified providers and results.

Only what the public may open is listed: every section reads the same querysets as the pages
(Catalogue.objects.public(), CatalogueItem.objects.public(), Provider.objects.qualified(),
Evaluation.objects.published()). Addresses are built from settings.PUBLIC_URL, like the open data
(catalogue/site.py), so a cached sitemap names the site the same way whoever asked first.

A section longer than `limit` is split into pages (?p=2 …) that the index lists, so a catalogue of
100,000 items is ten files of 10,000 addresses, each one LIMIT/OFFSET query over primary keys and
small enough for the public page cache (PUBLIC_CACHE_MAX_BYTES).
"""

from datetime import datetime, time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Catalogue, CatalogueItem, Evaluation, Provider, Region

PAGE_SIZE = 10_000


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min)) if day else None


class PublicSitemap(Sitemap):
    """A section whose addresses name the site by settings.PUBLIC_URL, not by the request's Host."""

    limit = PAGE_SIZE

    def get_protocol(self, protocol=None):
        return urlsplit(settings.PUBLIC_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.PUBLIC_URL).netloc


class SectionSitemap(PublicSitemap):
    """The public sections themselves: home, search, the directories, results, statistics, the site map."""

    changefreq = "weekly"

    def items(self):
        return ["home", "search", "providers", "evaluations", "statistics", "site_map"]

    def location(self, name):
        return reverse(f"catalogue:{name}")


class EditionSitemap(PublicSitemap):
    """Every public edition: the revision in force and the ones it replaced (never a draft or a withdrawn one)."""

    def items(self):
        return Catalogue.objects.public().only("pk", "published_on").order_by("pk")

    def lastmod(self, edition):
        return _start_of(edition.published_on)


class _ByPrimaryKey(PublicSitemap):
    """Sections of many rows: only their primary keys are read, and the address is built without reverse()."""

    url_name = ""

    def location(self, pk):
        prefix = reverse(self.url_name, args=[0])[: -len("0/")]
        return f"{prefix}{pk}/"


class ItemSitemap(_ByPrimaryKey):
    url_name = "catalogue:item"

    def items(self):
        return CatalogueItem.objects.public().order_by("pk").values_list("pk", flat=True)


class ProviderSitemap(_ByPrimaryKey):
    url_name = "catalogue:provider"

    def items(self):
        return Provider.objects.qualified().order_by("pk").values_list("pk", flat=True)


class ResultSitemap(PublicSitemap):
    """The published evaluation results, one address per region that has any (the results page filtered by it)."""

    def items(self):
        regions = Evaluation.objects.published().values("contract__region")
        return Region.objects.filter(pk__in=regions).order_by("order", "pk").values_list("pk", flat=True)

    def location(self, region_pk):
        return f"{reverse('catalogue:evaluations')}?region={region_pk}"


SITEMAPS = {
    "sections": SectionSitemap,
    "editions": EditionSitemap,
    "items": ItemSitemap,
    "providers": ProviderSitemap,
    "results": ResultSitemap,
}
