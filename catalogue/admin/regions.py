from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from catalogue.models import Region
from catalogue.scopes import ScopeRule

from .base import MunicipalEditsMixin


@admin.register(Region)
class RegionAdmin(MunicipalEditsMixin, admin.ModelAdmin):
    scope_rule = ScopeRule.SHARED
    list_display = ["name", "code_or_none", "level", "parent", "slug", "order"]
    list_filter = ["level"]
    search_fields = ["name", "code", "slug"]
    ordering = ["order", "code"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    fields = ["name", "code", "slug", "level", "parent", "order"]

    @admin.display(description=_("行政区划代码"), ordering="code")
    def code_or_none(self, obj):
        # 咸宁高新区 has no GB/T 2260 code; say so rather than leave a blank cell.
        return obj.code or _("（无官方代码）")
