"""Pagination that never fails on what a visitor types into the URL."""

from django.core.paginator import Paginator
from django.utils.translation import gettext as _


def paginate(request, queryset, per_page):
    """(page, message): the requested page, or the first/last page and a Chinese message saying why.

    ?page=abc and ?page=0 give the first page, ?page=99999 the last one; never a 500.
    """
    paginator = Paginator(queryset, per_page)
    raw = request.GET.get("page", "")
    if raw in ("", "1"):
        return paginator.page(1), ""
    try:
        number = int(raw)
    except ValueError:
        return paginator.page(1), _("页码“%(page)s”无效，已显示第1页。") % {"page": raw[:20]}
    if number < 1:
        return paginator.page(1), _("页码“%(page)s”无效，已显示第1页。") % {"page": number}
    if number > paginator.num_pages:
        return paginator.page(paginator.num_pages), _("共%(pages)s页，已显示最后一页。") % {
            "pages": paginator.num_pages
        }
    return paginator.page(number), ""
