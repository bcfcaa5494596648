"""The site's URLs plus the benchmark's own, mounted only by procurement.settings.bench.

/__bench__/floor/       the cheapest answer the stack can give (no database, no template): the
                        floor every page's requests per second is compared with.
/__bench__/invalidate/  POST: empties the public page cache for every worker, so the benchmark
                        can time an uncached request.
"""

from django.http import Http404, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from procurement.urls import urlpatterns as site_urlpatterns


def floor(request):
    return HttpResponse(b"floor\n", content_type="text/plain")


@csrf_exempt
@require_POST
def invalidate(request):
    try:
        from catalogue.public_cache import invalidate_public_pages
    except ImportError:  # no public cache yet: every request is uncached
        raise Http404 from None
    invalidate_public_pages()
    return HttpResponse(b"invalidated\n", content_type="text/plain")


urlpatterns = [
    path("__bench__/floor/", floor),
    path("__bench__/invalidate/", invalidate),
    *site_urlpatterns,
]
