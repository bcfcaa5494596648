"""Open data: a public edition as an OCDS release package and record package (the mapping is catalogue/ocds.py)."""

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404

from catalogue import ocds
from catalogue.models import Catalogue, PublishedFile
from catalogue.public_cache import public_page
from catalogue.site import site_address

from .published_files import serve_published_file


@public_page
def edition_ocds(request, pk):
    """/editions/<pk>/ocds.json: 404 for a draft or withdrawn edition, and for one without items.

    A published edition's package is the file written when it was published.
    """
    edition = get_object_or_404(Catalogue.objects.public().select_related("region"), pk=pk)
    published = serve_published_file(request, edition, PublishedFile.Kind.OCDS)
    if published is not None:
        return published
    items = list(ocds.package_items(edition))
    if not items:
        raise Http404  # an OCDS release package holds at least one release
    package = ocds.release_package(edition, items, site_address())
    return JsonResponse(package, json_dumps_params={"ensure_ascii": False, "indent": 2})


@public_page
def edition_ocds_records(request, pk):
    """/editions/<pk>/ocds-records.json: the edition's OCDS record package (catalogue.ocds.record_package)."""
    edition = get_object_or_404(Catalogue.objects.public().select_related("region"), pk=pk)
    published = serve_published_file(request, edition, PublishedFile.Kind.OCDS_RECORDS)
    if published is not None:
        return published
    package = ocds.record_package(edition, site_address())
    if not package["records"]:
        raise Http404  # a record package holds at least one record
    return HttpResponse(ocds.compact_json(package), content_type="application/json; charset=utf-8")
