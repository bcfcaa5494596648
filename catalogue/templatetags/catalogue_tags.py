"""Small template helpers for the public pages."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext

register = template.Library()

# Parameters that choose a page of a view, not which rows it holds.
PAGING_PARAMETERS = ("page", "all")


def grouped(value):
    """150000 → "150,000.00": how an amount reads on a page (the machine-readable exports keep 150000.00)."""
    if value in (None, ""):
        return ""
    try:
        return f"{Decimal(value):,.2f}"
    except (InvalidOperation, TypeError, ValueError):
        return ""


@register.filter
def amount(value):
    """150000 → "150,000.00"; empty when there is none."""
    return grouped(value)


@register.filter
def yuan(value):
    """120000 → "120,000.00 元"; empty when there is no budget."""
    text = grouped(value)
    return gettext("%(amount)s 元") % {"amount": text} if text else ""


@register.simple_tag(takes_context=True)
def filter_query(context):
    """The current filters as "?…" without the paging parameters ("" when unfiltered): for exports and links."""
    params = context.request.GET.copy()
    for name in PAGING_PARAMETERS:
        params.pop(name, None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


@register.filter
def category_path(category, separator=" › "):
    """"社会保障 › 养老服务 › 社区居家养老服务" (parents must be selected to stay query-free)."""
    return separator.join(node.name for node in category.ancestors())
