"""Recording a purchasing body (购买主体), whoever does it (the admin, a script).

Rule source: each level keeps its own catalogue and the bodies that buy from it (DOMAIN.md §4, §11): a
county office records its own region's bodies, municipal finance any region's
(catalogue.permissions.may_record_body). The admin shows a county office the region read-only
(CountyRegionFixedMixin); this is where it is enforced, for the body as stored and as it will be saved.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from catalogue.permissions import may_record_body

from .records import lock_unfrozen


def save_purchasing_body(body, *, by):
    """Add or change `body` within `by`'s regions; full_clean (the credit code, one name per region)."""
    with transaction.atomic():
        stored = lock_unfrozen(body)
        if not may_record_body(by, body) or (stored is not None and not may_record_body(by, stored)):
            raise PermissionDenied(_("您无权录入或修改该行政区划的购买主体。"))
        body.full_clean()
        body.save()
        return body
