"""Figures for the statistics page, from each region's newest published edition.

Counting every published year would count a service twice when a region kept it from 2016 to
2017; the page describes the catalogues in force today.

The counts come from EditionFigures, kept per edition and service area when the edition was
published (catalogue/services/publication.py), so every function here reads at most eight rows
an edition, in a fixed number of queries: the page costs the same for 50 items and 500,000.
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, Sum

from catalogue.evaluation_rules import Grade
from catalogue.models import Catalogue, EditionFigures, Evaluation, Region, ServiceCategory


def _newest_figures():
    return EditionFigures.objects.in_force().order_by()


def areas():
    """The eight 一级 areas, in the notice's order."""
    return list(ServiceCategory.objects.areas().order_by("order", "code"))


def regions():
    return list(Region.objects.order_by("order", "code"))


def totals_by_area():
    """{area id: {"items", "pilots", "budget_total" (元, None when no budget is known), "budgeted"}}."""
    rows = _newest_figures().values("area").annotate(
        items=Sum("items"), pilots=Sum("pilots"), budget_total=Sum("budget_total"), budgeted=Sum("budgeted")
    )
    return {row["area"]: row for row in rows}


def totals_by_region():
    """{region id: {"items", "pilots"}} in the region's newest published edition."""
    rows = _newest_figures().values(region=F("edition__region")).annotate(items=Sum("items"), pilots=Sum("pilots"))
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
    newest = {edition.region_id: edition for edition in Catalogue.objects.in_force()}
    counts = {}
    rows = EditionFigures.objects.filter(edition__in=[edition.pk for edition in newest.values()]).values(
        "edition_id", "area", "items", "transactional"
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
