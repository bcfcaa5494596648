from django.shortcuts import get_object_or_404, render

from catalogue.models import Catalogue, CatalogueItem


def home(request):
    editions = Catalogue.objects.public().for_display()
    return render(request, "catalogue/home.html", {"editions": editions})


def edition_detail(request, pk):
    edition = get_object_or_404(Catalogue.objects.public().select_related("region"), pk=pk)
    items = edition.items.with_table_columns().order_by("code")
    return render(request, "catalogue/edition_detail.html", {"edition": edition, "items": items})


def edition_export(request, pk, fmt):
    raise NotImplementedError  # owned by the public-site helper


def item_detail(request, pk):
    item = get_object_or_404(CatalogueItem.objects.public().with_table_columns(), pk=pk)
    return render(request, "catalogue/item_detail.html", {"item": item})
