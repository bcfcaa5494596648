"""{% work_queues %}: the signed-in staff member's queues, for the admin's front page."""

from django import template

from catalogue.selectors.queues import work_queues as build_queues

register = template.Library()


@register.inclusion_tag("admin/catalogue/includes/work_queues.html", takes_context=True)
def work_queues(context):
    request = context.get("request")
    return {"queues": build_queues(request.user) if request is not None else []}
