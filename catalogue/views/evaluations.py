"""Published performance evaluation results (绩效评价结果): the results page and its exports.

Only Evaluation.objects.published() is public (DOMAIN.md §10: results are published and used for
next year's budget and choice of provider); an unpublished or withdrawn result appears on no
page, in no export and in no chart. A row links to the item's page only while the item's edition
is public, and to the provider's page only while the provider is in the directory.
"""

from django.http import Http404
from django.shortcuts import render

from catalogue import exports
from catalogue.evaluation_rules import grade_bands
from catalogue.filters import EvaluationFilter
from catalogue.public_cache import public_page
from catalogue.selectors.evaluations import published_results

from .paging import paginate

RESULTS_PER_PAGE = 50


def _results_filter(request):
    return EvaluationFilter(request.GET or None, queryset=published_results())


@public_page
def evaluation_list(request):
    results_filter = _results_filter(request)
    page, page_message = paginate(request, results_filter.qs, RESULTS_PER_PAGE)
    notices = results_filter.invalid_messages()
    if page_message:
        notices.append(page_message)
    return render(
        request,
        "catalogue/evaluation_list.html",
        {
            "filter": results_filter,
            "filtered": bool(results_filter.applied()),
            "page": page,
            "evaluations": page.object_list,
            "notices": notices,
            "bands": grade_bands(),
        },
    )


@public_page
def evaluation_export(request, fmt):
    """All published results, or the filtered view with the same query string: the rows the page shows, all pages."""
    if fmt not in exports.FORMATS:
        raise Http404
    results_filter = _results_filter(request)
    return exports.write_evaluations(fmt, list(results_filter.qs), request, results_filter.applied_for_export())
