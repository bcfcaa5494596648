"""Figures for the statistics page, from each region's newest published edition (CatalogueItem.objects.latest()).

Counting every published year would count a service twice when a region
kept it from 2016 to 2017; the page describes the catalogues in force today.

Every function runs a fixed number of queries (GROUP BY in the database,
never a query per region or per area), so the page costs the same for 50
items and for 50,000.
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum

from .evaluation_rules import Grade
from .models import Catalogue, CatalogueItem, Evaluation, Region, ServiceCategory

# The notice's 2017 target adds the transactional services (事务性管理服务);
# their categories carry introduced_in=2017 in the tree.
TRANSACTIONAL_YEAR = 2017


def areas():
    """The eight 一级 areas, in the notice's order."""
    return list(ServiceCategory.objects.areas().order_by("order", "code"))


def regions():
    return list(Region.objects.order_by("order", "code"))


def totals_by_area():
    """{area id: {"items", "pilots", "budget_total" (元, None when no budget is known), "budgeted"}}."""
    rows = (
        CatalogueItem.objects.latest()
        .order_by()
        .values(area=F("category__parent__parent"))
        .annotate(
            items=Count("id"),
            pilots=Count("id", filter=Q(is_pilot=True)),
            budget_total=Sum("budget"),
            budgeted=Count("budget"),
        )
    )
    return {row["area"]: row for row in rows}


def totals_by_region():
    """{region id: {"items", "pilots"}} in the region's newest published edition."""
    rows = (
        CatalogueItem.objects.latest()
        .order_by()
        .values(region=F("edition__region"))
        .annotate(items=Count("id"), pilots=Count("id", filter=Q(is_pilot=True)))
    )
    return {row["region"]: row for row in rows}


@dataclass
class CoverageRow:
    region: Region
    edition: Catalogue | None
    cells: list = field(default_factory=list)  # one item count per column; 0 means not covered

    @property
    def covered(self):
        return sum(1 for count in self.cells if count)


def coverage(region_list, area_list):
    """Which areas each region's newest published edition covers, plus the 2017 transactional services.

    Returns (rows, column_totals): a CoverageRow per region (edition None when
    the region has published nothing) and, per column, how many regions cover it.
    """
    newest = {edition.region_id: edition for edition in Catalogue.objects.newest_published()}
    counts = {}
    rows = (
        CatalogueItem.objects.current()
        .filter(edition__in=[edition.pk for edition in newest.values()])
        .order_by()
        .values("edition_id", area=F("category__parent__parent"))
        .annotate(
            items=Count("id"),
            transactional=Count("id", filter=Q(category__introduced_in__gte=TRANSACTIONAL_YEAR)),
        )
    )
    for row in rows:
        counts[(row["edition_id"], row["area"])] = row["items"]
        counts[(row["edition_id"], "transactional")] = counts.get((row["edition_id"], "transactional"), 0) + row[
            "transactional"
        ]
    columns = [area.pk for area in area_list] + ["transactional"]
    result = []
    for region in region_list:
        edition = newest.get(region.pk)
        cells = [counts.get((edition.pk, column), 0) if edition else 0 for column in columns]
        result.append(CoverageRow(region, edition, cells))
    column_totals = [sum(1 for row in result if row.cells[index]) for index in range(len(columns))]
    return result, column_totals


def grades_by_area():
    """{area code (A … H): {Grade: count}} of every PUBLISHED evaluation, by its item's 一级 area.

    One GROUP BY query. Unlike the catalogue figures above, this counts every year: a result
    stays public once published, and next year's budget and choice of provider read all of them.
    """
    rows = (
        Evaluation.objects.published()
        .with_area()
        .order_by()
        .values("area_code", "grade")
        .annotate(count=Count("id"))
    )
    counts = {}
    for row in rows:
        counts.setdefault(row["area_code"], dict.fromkeys(Grade, 0))[Grade(row["grade"])] = row["count"]
    return counts
