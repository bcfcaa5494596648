"""Open data: a public edition as an OCDS release package (the mapping is catalogue/ocds.py)."""

from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404

from catalogue import ocds
from catalogue.models import Catalogue


def edition_ocds(request, pk):
    """/editions/<pk>/ocds.json: 404 for a draft or withdrawn edition, and for one without items."""
    edition = get_object_or_404(
        Catalogue.objects.public().select_related("region").annotate(item_count=Count("items")), pk=pk
    )
    if not edition.item_count:
        raise Http404  # an OCDS release package holds at least one release
    package = ocds.release_package(edition, ocds.package_items(edition), request)
    return JsonResponse(package, json_dumps_params={"ensure_ascii": False, "indent": 2})
