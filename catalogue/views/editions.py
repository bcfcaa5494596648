"""The home page, an edition as the official table, its exports, and an item's page.

Every read goes through Catalogue.objects.public() or CatalogueItem.objects.public()/current(),
so a draft or withdrawn edition and its items answer 404 and count nowhere.
"""

from collections import defaultdict

from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from catalogue import exports
from catalogue.evaluation_rules import grade_bands
from catalogue.filters import TABLE_ORDER, EditionItemFilter
from catalogue.models import Catalogue, CatalogueItem, EditionFigures, Provider, ServiceCategory
from catalogue.public_cache import public_page
from catalogue.selectors.editions import edition_table
from catalogue.selectors.evaluations import published_results

from .published_files import serve_published_file

from .paging import paginate

ROWS_PER_PAGE = 100
# ?all=1 shows every row of the (filtered) table on one page, for printing.
ROWS_ALL = 5000


def _group_editions(editions):
    """[(region, [(in_force, [earlier revisions…]) per year, newest year first])] in region order.

    For each region and year the revision in force leads; the revisions it replaced follow it.
    """
    by_region = {}
    for edition in editions:
        by_region.setdefault(edition.region, defaultdict(list))[edition.year].append(edition)
    grouped = []
    for region, years in by_region.items():
        entries = []
        for year in sorted(years, reverse=True):
            revisions = sorted(years[year], key=lambda e: (e.status == Catalogue.Status.PUBLISHED, e.revision))
            lead = revisions.pop()
            entries.append((lead, list(reversed(revisions))))
        grouped.append((region, entries))
    return grouped


def _with_item_count(editions):
    """Each edition's number of items, from the figures kept when it was published (never a scan of the items)."""
    return editions.annotate(item_count=Coalesce(Sum("figures__items"), 0))


@public_page
def home(request):
    editions = _with_item_count(Catalogue.objects.public().for_display())
    current_counts = dict(
        EditionFigures.objects.in_force().values_list("area").annotate(count=Sum("items")).order_by()
    )
    areas = list(ServiceCategory.objects.areas().order_by("order", "code"))
    for area in areas:
        area.current_count = current_counts.get(area.pk, 0)
    return render(
        request,
        "catalogue/home.html",
        {"regions": _group_editions(editions), "areas": areas, "current_total": sum(current_counts.values())},
    )


def _public_edition(pk):
    return get_object_or_404(_with_item_count(Catalogue.objects.public().select_related("region")), pk=pk)


@public_page
def edition_detail(request, pk):
    edition = _public_edition(pk)
    return render_edition(request, edition, edition_table(CatalogueItem.objects.public(), edition))


def render_edition(request, edition, items, extra=None, template="catalogue/edition_detail.html"):
    """The edition's page for these items: the public page, and (with `extra`) staff's preview of a draft
    as the public will see it once published (catalogue/views/staff/preview.py)."""
    item_filter = EditionItemFilter(request.GET or None, queryset=items, edition=edition)
    show_all = request.GET.get("all") == "1"
    page, page_message = paginate(request, item_filter.qs, ROWS_ALL if show_all else ROWS_PER_PAGE)
    rows = exports.table_rows(page.object_list, start=page.start_index() or 1)

    region_editions = list(
        Catalogue.objects.public().filter(region=edition.region_id).order_by("-year", "-revision")
    )
    same_year = [other for other in region_editions if other.year == edition.year and other.pk != edition.pk]
    in_force = next((other for other in same_year if other.status == Catalogue.Status.PUBLISHED), None)
    messages = item_filter.invalid_messages()
    if page_message:
        messages.append(page_message)
    return render(
        request,
        template,
        {
            "edition": edition,
            "filter": item_filter,
            "filtered": bool(item_filter.applied()),
            "page": page,
            "groups": exports.group_by_area(rows),
            "columns": exports.COLUMNS,
            "show_all": show_all,
            "notices": messages,
            "in_force": in_force,
            "other_revisions": same_year,
            "can_compare": len(region_editions) > 1,
            "published_files": list(edition.published_files.all()),
            "corrections": list(edition.corrections.all()),
            **(extra or {}),
        },
    )


@public_page
def edition_export(request, pk, fmt):
    """The edition, or the filtered view with the same query string: exactly the rows the page shows, all pages.

    The whole edition is served from the files written when it was published (byte for byte the
    official record); a filtered view is written on request.
    """
    if fmt not in exports.FORMATS:
        raise Http404
    edition = get_object_or_404(Catalogue.objects.public().select_related("region"), pk=pk)
    if not request.GET:
        published = serve_published_file(request, edition, fmt, names=exports.filename(edition, fmt))
        if published is not None:
            return published
    items = CatalogueItem.objects.public().filter(edition=edition).for_export().order_by(*TABLE_ORDER)
    item_filter = EditionItemFilter(request.GET or None, queryset=items, edition=edition)
    items = list(item_filter.qs)
    filters = item_filter.applied_for_export()
    filtered = bool(filters)
    if fmt == "csv":
        return exports.write_csv(edition, items, filtered)
    if fmt == "xlsx":
        return exports.write_xlsx(edition, items, filtered)
    return exports.write_json(edition, items, request, filters, filtered)


@public_page
def item_detail(request, pk):
    item = get_object_or_404(CatalogueItem.objects.public().with_table_columns(), pk=pk)
    providers = Provider.objects.qualified().for_category(item.category).select_related("region").order_by("name")
    in_force = None
    if item.edition.status == Catalogue.Status.SUPERSEDED:
        in_force = Catalogue.objects.published().filter(region=item.edition.region_id, year=item.edition.year).first()
    return render(
        request,
        "catalogue/item_detail.html",
        {
            "item": item,
            "edition": item.edition,
            "path": item.category.ancestors(),
            "providers": providers,
            "in_force": in_force,
            "evaluations": list(published_results().for_item(item)),
            "bands": grade_bands(),
        },
    )
