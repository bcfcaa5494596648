"""Filters for the history pages (templates/simple_history/object_history_list.html)."""

from django import template

from catalogue.models.staff import office_of

register = template.Library()


@register.filter
def office(user):
    """The office that acted (咸安区财政局（张三）), never the login name."""
    return office_of(user)


@register.filter
def history_attribute(record, name):
    """A history_list_display column of a record (what simple_history's getattribute filter does)."""
    return getattr(record, name, "")
