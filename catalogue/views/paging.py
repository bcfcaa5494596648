"""Pagination that never fails on what a visitor types into the URL."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property
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


class CappedPaginator(Paginator):
    """A paginator that counts at most `cap` hits.

    Counting every item that mentions a common word (服务 is in most of them) costs a scan of the
    whole index on every search; "more than 1,000" tells a reader as much. Beyond the cap the
    pages stop, and the page asks for a narrower search.
    """

    def __init__(self, object_list, per_page, cap):
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def _limited_count(self):
        # Which rows are counted does not matter, so no ordering (a rank would be computed for every hit).
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self):
        return min(self._limited_count, self.cap)

    @property
    def capped(self):
        return self._limited_count > self.cap
