"""The preview of a draft edition: the public edition page as it will read once published, with what publishing
it changes; staff only, never cached.

Registered by CatalogueAdmin.get_urls as admin:catalogue_catalogue_preview. Whoever may preview the edition
(catalogue.permissions' PREVIEW rule: municipal finance, the county office of its region) sees the whole draft;
anyone else gets the admin's 404. A public edition redirects to its public page.
"""

from django.contrib.admin.utils import unquote
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

from catalogue.selectors.comparison import publication_diff
from catalogue.models import CatalogueItem
from catalogue.permissions import PREVIEW, may_act_on
from catalogue.selectors.editions import edition_table
from catalogue.views.editions import render_edition


def preview_view(request, object_id, *, model_admin):
    edition = model_admin.get_object(request, unquote(object_id))
    if edition is None or not may_act_on(request.user, edition, PREVIEW):
        raise model_admin.not_found()
    if not edition.is_draft:
        if edition.is_public:
            return redirect(edition.get_absolute_url())
        raise model_admin.not_found()
    items = edition_table(CatalogueItem.objects.all(), edition)
    edition.item_count = items.count()
    publish = model_admin.get_operation("publish")
    publish_url = model_admin.operation_url(edition, publish) if model_admin.role_allows(request, publish) else ""
    response = render_edition(
        request,
        edition,
        items,
        extra={
            "preview": True,
            "preview_url": request.path,
            "diff": publication_diff(edition),
            "publish_url": publish_url,
            "back_url": reverse("admin:catalogue_catalogue_change", args=[edition.pk]),
            # Links the public page has once the edition is published (compare, exports) lead nowhere for a draft.
            "can_compare": False,
        },
        template="catalogue/edition_preview.html",
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
