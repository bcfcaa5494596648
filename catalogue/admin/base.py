"""Small pieces the admin modules share: autocomplete origin, filtered changelist links, titled filters."""

from django.urls import reverse
from django.utils.http import urlencode


def autocomplete_origin(request):
    """The (model_name, field_name) an admin autocomplete request is filling in, or (None, None).

    Django's autocomplete view calls the target admin's get_search_results;
    the field that asked is only in the query string, so an admin that offers
    a narrower choice to one field (leaf categories for an item) reads it here.
    """
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name != "autocomplete" or request.GET.get("app_label") != "catalogue":
        return None, None
    return request.GET.get("model_name"), request.GET.get("field_name")


def changelist_url(model, **filters):
    """The admin changelist of `model`, filtered by the given lookups."""
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def add_url(model, **initial):
    """The admin add page of `model`, with initial values taken from the query string."""
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    return f"{url}?{urlencode(initial)}" if initial else url


def titled(filter_class, title):
    """A list filter class that shows `title` instead of the field's own verbose name.

    Filters across a relation (edition__status) would otherwise all read 状态,
    年度 …, without saying they are the edition's.
    """

    class TitledFilter(filter_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    TitledFilter.__name__ = f"Titled{filter_class.__name__}"
    return TitledFilter


def without_related_links(formfield):
    """Drop the add/change/delete/view icons beside a related field's widget.

    Categories are kept in their own admin: adding or deleting one from an
    item's row would only invite a category the item cannot use.
    """
    widget = getattr(formfield, "widget", None)
    for flag in ("can_add_related", "can_change_related", "can_delete_related", "can_view_related"):
        if hasattr(widget, flag):
            setattr(widget, flag, False)
    return formfield
