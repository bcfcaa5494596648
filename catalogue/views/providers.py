"""The directory of qualified providers (承接主体) and a provider's page.

Only Provider.objects.qualified() is public: a pending, suspended, revoked or expired
provider answers 404 and is not listed.
"""

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render

from catalogue.filters import ProviderFilter
from catalogue.models import CatalogueItem, Provider, ServiceCategory

from .paging import paginate

PROVIDERS_PER_PAGE = 50
ITEMS_SHOWN = 20


def _categories_with_path():
    return Prefetch("categories", queryset=ServiceCategory.objects.select_related("parent__parent").order_by("code"))


def provider_list(request):
    providers = (
        Provider.objects.qualified()
        .select_related("region")
        .prefetch_related(_categories_with_path())
        .order_by("name", "pk")
    )
    provider_filter = ProviderFilter(request.GET or None, queryset=providers)
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


def provider_detail(request, pk):
    provider = get_object_or_404(
        Provider.objects.qualified().select_related("region").prefetch_related(_categories_with_path()), pk=pk
    )
    category_ids = [category.pk for category in provider.categories.all()]
    below = (
        Q(category__in=category_ids)
        | Q(category__parent__in=category_ids)
        | Q(category__parent__parent__in=category_ids)
    )
    items = (
        CatalogueItem.objects.current()
        .filter(below)
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
        },
    )
