"""Links to the staff pages (the admin's URL names), for whatever builds one: the admin itself, the work queues
(catalogue/selectors/queues.py) and the staff views (catalogue/views/staff/), none of which may import the admin."""

from django.urls import reverse
from django.utils.http import urlencode


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
