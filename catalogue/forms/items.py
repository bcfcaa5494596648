"""The form of one catalogue item, on its own admin page and as a row of its edition's page.

What the form refuses is decided in catalogue/permissions.py, which the item service
(catalogue/services/items.py) and the import ask too: the form only says it on the right field first.
"""

from django import forms
from django.db.models import Q

from catalogue.models import CatalogueItem, PurchasingBody
from catalogue.permissions import department_bodies_message, department_bodies_refusal, may_mark_pilot


def stored_body_ids(item):
    """The ids of the item's purchasing bodies as stored (none for a new item), as a lazy queryset."""
    through = CatalogueItem.purchasing_bodies.through.objects.filter(catalogueitem_id=item.pk)
    return through.values_list("purchasingbody_id", flat=True) if item.pk is not None else through.none()


def read_only_fields(user):
    """试点 is set by municipal finance's approval of a pilot item, not by the county or department."""
    return [] if may_mark_pilot(user) else ["is_pilot"]


class CatalogueItemForm(forms.ModelForm):
    """An item's form, knowing who fills it in (`staff_user`, set by the admin).

    The purchasing bodies offered are the user's scope plus those the item already has (so a
    county clerk can save an item a municipal clerk gave a city body). Department staff maintain
    the items their own body buys: their body must stay among the item's bodies.
    """

    staff_user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bodies = self.fields.get("purchasing_bodies")
        if bodies is not None and self.instance.pk is not None:
            bodies.queryset = PurchasingBody.objects.filter(
                Q(pk__in=bodies.queryset.values("pk")) | Q(pk__in=stored_body_ids(self.instance))
            ).order_by("region__order", "name")

    def clean_purchasing_bodies(self):
        chosen = self.cleaned_data["purchasing_bodies"]
        before = stored_body_ids(self.instance)
        refusal = department_bodies_refusal(self.staff_user, before, [body.pk for body in chosen])
        if refusal:
            raise forms.ValidationError(department_bodies_message(self.staff_user, refusal))
        return chosen
