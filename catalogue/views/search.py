"""Search across the items of every edition in force (CatalogueItem.objects.current())."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue import search as engine
from catalogue.models import CatalogueItem, Region, ServiceCategory
from catalogue.public_cache import public_page

from .paging import CappedPaginator

PAGE_SIZE = 20
# Hits counted at most; a commoner word is reported as "more than" this.
COUNT_CAP = 1000


class SearchForm(forms.Form):
    """The query and its two optional filters, all kept in the URL."""

    q = forms.CharField(label=_("检索词"), required=False)
    region = forms.ModelChoiceField(
        label=_("地区"), queryset=Region.objects.all(), to_field_name="slug", required=False, empty_label=_("全部地区")
    )
    area = forms.ModelChoiceField(
        label=_("服务领域"),
        queryset=ServiceCategory.objects.areas(),
        to_field_name="code",
        required=False,
        empty_label=_("全部领域"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {"type": "search", "maxlength": engine.MAX_QUERY_LENGTH, "placeholder": _("例如：养老、居家养老、信息系统运维")}
        )
        self.fields["area"].label_from_instance = lambda category: category.name

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())


@public_page
def search(request):
    form = SearchForm(request.GET)
    form.is_valid()  # an unknown region or area is dropped below, with a message, never a 500
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
    region, area = cleaned.get("region"), cleaned.get("area")

    items = CatalogueItem.objects.current()
    if region:
        items = items.filter(edition__region=region)
    if area:
        items = items.filter(category__parent__parent=area)
    items, terms = engine.search_items(items, query)
    page = None
    if terms:
        # search_document is the (long) source of the tsvector; the page never shows it.
        items = items.select_related("edition__region", "category__parent__parent").defer("search_document")
        page = CappedPaginator(items, PAGE_SIZE, COUNT_CAP).get_page(request.GET.get("page"))
    elif query:
        notices.append(gettext("检索词中没有可检索的文字或数字，请换一个检索词。"))

    return render(
        request,
        "catalogue/search.html",
        {
            "form": form,
            "query": query,
            "terms": terms,
            "region": region,
            "area": area,
            "page": page,
            "notices": notices,
        },
    )
