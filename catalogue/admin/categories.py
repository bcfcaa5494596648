from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from catalogue.models import ServiceCategory
from catalogue.scopes import ScopeRule

from .base import MunicipalEditsMixin, autocomplete_origin

# Full-width spaces keep the indent even in a proportional CJK font.
INDENT = "　　"
BRANCH = "└ "


def tree_prefix(level):
    """一级: nothing; 二级: └; 三级: one indent, then └."""
    if level <= 1:
        return ""
    return INDENT * (level - 2) + BRANCH


class LevelFilter(admin.SimpleListFilter):
    title = _("层级")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return [("1", _("一级")), ("2", _("二级")), ("3", _("三级"))]

    def queryset(self, request, queryset):
        if self.value() in {"1", "2", "3"}:
            return queryset.filter(level=int(self.value()))
        return queryset


class LeafFilter(admin.SimpleListFilter):
    title = _("是否末级")
    parameter_name = "leaf"

    def lookups(self, request, model_admin):
        return [("yes", _("末级（可归入事项）")), ("no", _("有下级"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.leaves()
        if self.value() == "no":
            return queryset.branches()
        return queryset


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(MunicipalEditsMixin, admin.ModelAdmin):
    scope_rule = ScopeRule.SHARED
    list_display = ["tree_name", "code", "level_display", "introduced_in", "child_count", "order"]
    list_display_links = ["tree_name"]
    list_filter = [LevelFilter, "introduced_in", LeafFilter]
    search_fields = ["code", "name"]
    ordering = ["code"]
    # Sorting by any other column would break the indented tree apart.
    sortable_by = ["tree_name", "code"]
    # The whole tree (about 80 nodes) on one page.
    list_per_page = 300
    autocomplete_fields = ["parent"]
    fields = ["parent", "code", "name", "description", "order", "introduced_in", "level_display"]
    readonly_fields = ["level_display"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(child_count=Count("children"))

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        origin = autocomplete_origin(request)
        if origin in {("catalogueitem", "category"), ("pilotitem", "category")}:
            # An item or a pilot item may only sit under a leaf (their clean() refuses the rest).
            queryset = queryset.leaves()
        elif origin == ("servicecategory", "parent"):
            queryset = queryset.may_be_parents()
        return queryset, may_have_duplicates

    @admin.display(description=_("类别"), ordering="code")
    def tree_name(self, obj):
        return format_html(
            '<span class="category-tree category-tree--level-{}">{}{}</span>', obj.level, tree_prefix(obj.level), obj.name
        )

    @admin.display(description=_("层级"), ordering="level")
    def level_display(self, obj):
        return obj.level_label

    @admin.display(description=_("下级类别数"), ordering="child_count")
    def child_count(self, obj):
        return obj.child_count
