"""Search across the catalogues in force (现行: CatalogueItem.objects.in_force()), and its exports.

现行 is each region's newest published edition, as on the home page and the statistics; the
year filter looks at the revisions in force for an earlier year instead. A keyword, a region, a
service area or a year alone is a search: without a keyword the items are listed in table order.
"""

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue import exports
from catalogue import search as engine
from catalogue.filters import ChineseOptionsSelect
from catalogue.exports.writers import Column, csv_response, xlsx_bytes, xlsx_file_response
from catalogue.models import Catalogue, CatalogueItem, Region, ServiceCategory
from catalogue.public_cache import public_page

from .paging import CappedPaginator

PAGE_SIZE = 20
# Hits counted at most; a commoner word is reported as "more than" this.
COUNT_CAP = 1000
# Without a keyword the results are the table's rows, in the official order, region by region.
LIST_ORDER = ("edition__region__order", "edition__year", "category__code", "code")
EXPORT_FORMATS = ("csv", "xlsx")


class SearchForm(forms.Form):
    """The query and its optional filters, all kept in the URL."""

    q = forms.CharField(label=_("检索词"), required=False)
    region = forms.ModelChoiceField(
        label=_("地区"),
        queryset=Region.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("全部地区"),
        widget=ChineseOptionsSelect,
    )
    area = forms.ModelChoiceField(
        label=_("服务领域"),
        queryset=ServiceCategory.objects.areas(),
        to_field_name="code",
        required=False,
        empty_label=_("全部领域"),
        widget=ChineseOptionsSelect,
    )
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {"type": "search", "maxlength": engine.MAX_QUERY_LENGTH, "placeholder": _("例如：养老、居家养老、信息系统运维")}
        )
        self.fields["area"].label_from_instance = lambda category: category.name
        years = Catalogue.objects.published().order_by("-year").values_list("year", flat=True).distinct()
        self.fields["year"].choices = [("", _("现行目录（各地最新版）"))] + [
            (year, gettext("%(year)s年") % {"year": year}) for year in years
        ]

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())


def _searched(request):
    """(form, query, terms, region, area, year, items or None, notices) for the request's parameters."""
    form = SearchForm(request.GET)
    form.is_valid()  # an unknown region, area or year is dropped below, with a message, never a 500
    cleaned = form.cleaned_data
    notices = []
    query = cleaned.get("q", "")
    if len(query) > engine.MAX_QUERY_LENGTH:
        query = query[: engine.MAX_QUERY_LENGTH]
        notices.append(gettext("检索词过长，只按前%(n)s个字符检索。") % {"n": engine.MAX_QUERY_LENGTH})
    if "region" in form.errors:
        notices.append(gettext("没有这个地区，已在全部地区中检索。"))
    if "area" in form.errors:
        notices.append(gettext("没有这个服务领域，已在全部领域中检索。"))
    if "year" in form.errors:
        notices.append(gettext("没有这个年度的已发布目录，已在现行目录中检索。"))
    region, area, year = cleaned.get("region"), cleaned.get("area"), cleaned.get("year")

    items = CatalogueItem.objects.in_force(year)
    if region:
        items = items.filter(edition__region=region)
    if area:
        items = items.filter(category__in=ServiceCategory.objects.and_below([area]))
    found, terms = engine.search_items(items, query)
    if terms:
        items = found
    elif query:
        notices.append(gettext("检索词中没有可检索的文字或数字，请换一个检索词。"))
        items = None
    elif region or area or year:
        items = items.order_by(*LIST_ORDER)
    else:
        items = None
    return form, query, terms, region, area, year, items, notices


@public_page
def search(request):
    form, query, terms, region, area, year, items, notices = _searched(request)
    page, export_query = None, ""
    if items is not None:
        params = request.GET.copy()
        params.pop("page", None)
        export_query = params.urlencode()
        # search_document is the (long) source of the tsvector; the page never shows it.
        items = (
            items.select_related("edition__region", "category__parent__parent")
            .prefetch_related("purchasing_bodies")
            .defer("search_document")
        )
        paginator = CappedPaginator(items, PAGE_SIZE, COUNT_CAP)
        if terms and paginator.capped:
            # A common word (养, 服务) matches tens of thousands of items, and ranking every one of them
            # costs more than the page: rank the first COUNT_CAP found, as many as the pages can show.
            # (The ids as a list: as a subquery with LIMIT, PostgreSQL runs it once for every row.)
            found = list(items.order_by().values_list("pk", flat=True)[:COUNT_CAP])
            paginator.object_list = items.filter(pk__in=found)
        page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "catalogue/search.html",
        {
            "form": form,
            "query": query,
            "terms": terms,
            "region": region,
            "area": area,
            "year": year,
            "listing": page is not None and not terms,
            "page": page,
            "notices": notices,
            "export_query": export_query,
        },
    )


SEARCH_COLUMNS = (
    Column("region", _("地区"), 10, lambda item, seq: item.edition.region.name),
    Column("edition", _("所属目录"), 16, lambda item, seq: str(item.edition.label)),
    Column("document_number", _("文号"), 18, lambda item, seq: item.edition.document_number),
) + exports.EXPORT_COLUMNS


def _description(query, region, area, year):
    parts = [gettext("检索词：%(q)s") % {"q": query}] if query else []
    if region:
        parts.append(gettext("地区：%(name)s") % {"name": region.name})
    if area:
        parts.append(gettext("服务领域：%(name)s") % {"name": area.name})
    scope = gettext("%(year)s年度目录") % {"year": year} if year else gettext("各地现行目录（各地最新发布的版次）")
    return [gettext("目录事项检索结果"), "　".join([gettext("范围：%(scope)s") % {"scope": scope}, *parts])]


@public_page
def search_export(request, fmt):
    """The search's results as CSV or XLSX: every hit (the catalogues in force bound them), the page's order.

    Columns: the region, the edition and its 文号, then the export's own (catalogue/exports:
    the official table, 预算（元）, 绩效评价标准).
    """
    if fmt not in EXPORT_FORMATS:
        raise Http404
    _form, query, _terms, region, area, year, items, _notices = _searched(request)
    rows = list(items.for_export()) if items is not None else []
    names = ("search-results." + fmt, gettext("目录事项检索结果") + "." + fmt)
    if fmt == "csv":
        return csv_response(SEARCH_COLUMNS, rows, names)
    content = xlsx_bytes(SEARCH_COLUMNS, rows, gettext("检索结果"), title_lines=_description(query, region, area, year))
    return xlsx_file_response(content, names)
