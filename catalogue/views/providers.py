"""The directory of qualified providers (承接主体), its exports, and a provider's page.

Only Provider.objects.qualified() is public: a pending, suspended, revoked or expired
provider answers 404 and is not listed (its published evaluation results stay on the results
page and the item pages, without a link to it). The directory and a provider's page show the
qualification's state and dates and the provider's PUBLISHED evaluation results only; the
condition checks and their evidence (QualificationCheck) are for staff and never shown here.
"""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from catalogue import exports
from catalogue.filters import ProviderFilter
from catalogue.models import CatalogueItem, Provider, ServiceCategory
from catalogue.evaluation_rules import grade_bands
from catalogue.public_cache import public_page
from catalogue.selectors.evaluations import published_results

from .paging import paginate

PROVIDERS_PER_PAGE = 50
ITEMS_SHOWN = 20


def _categories_with_path():
    return Prefetch("categories", queryset=ServiceCategory.objects.select_related("parent__parent").order_by("code"))


def _directory(request):
    """The directory's FilterSet: qualified providers with their newest published grade, in name order."""
    providers = (
        Provider.objects.qualified()
        .with_latest_grade(published_only=True)
        .select_related("region")
        .prefetch_related(_categories_with_path())
        .order_by("name", "pk")
    )
    return ProviderFilter(request.GET or None, queryset=providers)


@public_page
def provider_list(request):
    provider_filter = _directory(request)
    page, page_message = paginate(request, provider_filter.qs, PROVIDERS_PER_PAGE)
    notices = provider_filter.invalid_messages()
    if page_message:
        notices.append(page_message)
    return render(
        request,
        "catalogue/provider_list.html",
        {
            "filter": provider_filter,
            "filtered": bool(provider_filter.applied()),
            "page": page,
            "providers": page.object_list,
            "notices": notices,
        },
    )


@public_page
def provider_export(request, fmt):
    """The directory, or its filtered view with the same query string: exactly the providers it lists, all pages."""
    if fmt not in exports.FORMATS:
        raise Http404
    provider_filter = _directory(request)
    return exports.write_providers(fmt, list(provider_filter.qs), request, provider_filter.applied_for_export())


@public_page
def provider_detail(request, pk):
    provider = get_object_or_404(
        Provider.objects.qualified().select_related("region").prefetch_related(_categories_with_path()), pk=pk
    )
    category_ids = [category.pk for category in provider.categories.all()]
    # The ids themselves, not a join on the tree: the items' category index then finds them directly.
    below = list(ServiceCategory.objects.and_below(category_ids).values_list("pk", flat=True)) if category_ids else []
    items = (
        CatalogueItem.objects.in_force()  # 现行, as on search, the home page and the statistics
        .filter(category__in=below)
        .select_related("edition__region", "category__parent__parent")
        .order_by("edition__region__order", "-edition__year", "category__code", "code")
    )
    item_count = items.count() if category_ids else 0
    return render(
        request,
        "catalogue/provider_detail.html",
        {
            "provider": provider,
            "categories": provider.categories.all(),
            "items": items[:ITEMS_SHOWN] if category_ids else [],
            "item_count": item_count,
            "items_shown": ITEMS_SHOWN,
            "evaluations": list(published_results().for_provider(provider)),
            "status_changes": list(provider.status_changes.order_by("at", "pk")),
            "bands": grade_bands(),
        },
    )
