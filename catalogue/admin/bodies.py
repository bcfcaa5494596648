from django.contrib import admin

from catalogue.models import PurchasingBody


@admin.register(PurchasingBody)
class PurchasingBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "region", "kind", "credit_code", "parent"]
    list_filter = ["region", "kind"]
    search_fields = ["name", "short_name", "credit_code"]
    ordering = ["region__order", "name"]
    autocomplete_fields = ["region", "parent"]
    list_select_related = ["region", "parent"]
    fields = ["name", "short_name", "region", "kind", "credit_code", "parent"]
