"""试点事项申报表: the application as the county office submits it, with its trail, to print, sign and seal.

Registered by PilotItemAdmin.get_urls as admin:catalogue_pilotitem_application; staff only, never cached. Whoever
may view the item in the admin may print it; anyone else gets the admin's 404.
"""

from django.contrib.admin.utils import unquote
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone


def application_view(request, object_id, *, model_admin):
    pilot = model_admin.get_object(request, unquote(object_id))
    if pilot is None or not model_admin.has_view_permission(request, pilot):
        raise model_admin.not_found()
    context = {
        "pilot": pilot,
        "path": pilot.category.ancestors(),
        "bodies": list(pilot.purchasing_bodies.order_by("name")),
        "steps": list(pilot.transitions.all()),
        "printed_at": timezone.localtime(),
        "back_url": reverse("admin:catalogue_pilotitem_change", args=[pilot.pk]),
    }
    return TemplateResponse(request, "admin/catalogue/pilotitem/application.html", context)
