from django.contrib import admin

from catalogue.models import PurchasingBody
from catalogue.scopes import ScopeRule
from catalogue.services.bodies import save_purchasing_body

from .base import CountyRegionFixedMixin, ScopedAdminMixin


@admin.register(PurchasingBody)
class PurchasingBodyAdmin(CountyRegionFixedMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Bodies are scoped (PurchasingBody.objects.visible_to): a county office keeps its own region's,
    department staff see their own body; the autocomplete of an item's bodies offers the same."""

    scope_rule = ScopeRule.VISIBLE_TO

    list_display = ["name", "short_name", "region", "kind", "credit_code", "parent"]
    list_filter = [("region", admin.RelatedOnlyFieldListFilter), "kind"]
    search_fields = ["name", "short_name", "credit_code"]
    ordering = ["region__order", "name"]
    autocomplete_fields = ["region", "parent"]
    list_select_related = ["region", "parent"]
    fields = ["name", "short_name", "region", "kind", "credit_code", "parent"]

    def save_model(self, request, obj, form, change):
        save_purchasing_body(obj, by=request.user)
