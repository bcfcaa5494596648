from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from catalogue.models import Catalogue, CatalogueItem, ServiceCategory

from .base import titled, without_related_links

FROZEN_NOTE = _("本目录已不是草稿，其中的事项只能查看；如需调整，请新建修订版次（动态调整）。")


def edition_is_frozen(edition):
    """Items of a published, superseded or withdrawn edition are read-only (CatalogueItem.clean refuses too)."""
    return edition is not None and not edition.is_draft


class AreaFilter(admin.SimpleListFilter):
    """Filter by the 一级 area: category codes start with the area's letter."""

    title = _("一级类别")
    parameter_name = "area"

    def lookups(self, request, model_admin):
        return [(area.code, f"{area.code} {area.name}") for area in ServiceCategory.objects.areas().order_by("code")]

    def queryset(self, request, queryset):
        codes = {code for code, _label in self.lookup_choices}
        if self.value() in codes:
            return queryset.filter(category__code__startswith=self.value())
        return queryset


class CatalogueItemInline(admin.TabularInline):
    """An edition's items on the edition's own page.

    The edition admin shows this inline only for editions of up to
    INLINE_MAX_ITEMS items; larger ones link to the item changelist filtered
    by the edition, which paginates. Read-only unless the edition is a draft.
    """

    model = CatalogueItem
    fields = ["code", "category", "name", "purchasing_bodies", "procurement_method", "budget", "is_pilot"]
    autocomplete_fields = ["category", "purchasing_bodies"]
    show_change_link = True
    extra = 0
    ordering = ["code"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in {"category", "purchasing_bodies"}:
            # A table row has no room for four icons per cell; the item's own page has them.
            without_related_links(formfield)
        return formfield

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.edition.is_public else None

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("edition", "category")
            .prefetch_related("purchasing_bodies")
        )

    def get_extra(self, request, obj=None, **kwargs):
        # One empty row for a new or draft edition, so a clerk can start typing at once.
        return 0 if edition_is_frozen(obj) else 1

    def has_add_permission(self, request, obj=None):
        return not edition_is_frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not edition_is_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not edition_is_frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(CatalogueItem)
class CatalogueItemAdmin(SimpleHistoryAdmin):
    list_display = [
        "code",
        "name",
        "edition_label",
        "area",
        "leaf_category",
        "procurement_method",
        "is_pilot",
        "budget_display",
    ]
    list_display_links = ["code", "name"]
    list_filter = [
        ("edition__region", titled(admin.RelatedFieldListFilter, _("行政区划"))),
        ("edition__year", titled(admin.AllValuesFieldListFilter, _("目录年度"))),
        ("edition__status", titled(admin.ChoicesFieldListFilter, _("目录状态"))),
        AreaFilter,
        "procurement_method",
        "is_pilot",
        "edition",
    ]
    search_fields = ["code", "name", "content"]
    ordering = ["edition__region__order", "-edition__year", "-edition__revision", "code"]
    autocomplete_fields = ["edition", "category", "purchasing_bodies"]
    list_select_related = ["edition__region", "category__parent__parent"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (_("事项"), {"fields": ["edition", "category", "code", "name", "content"]}),
        (
            _("购买与承接"),
            {"fields": ["purchasing_bodies", "procurement_method", "budget", "is_pilot", "provider_requirements"]},
        ),
        (_("绩效与备注"), {"fields": ["performance_standard", "notes"]}),
        (_("记录"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    class Media:
        css = {"all": ["css/admin-extra.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("edition__region", "category__parent__parent")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "category":
            without_related_links(formfield)
        return formfield

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and edition_is_frozen(obj.edition):
            (title, options), *rest = fieldsets
            fieldsets = [(title, {**options, "description": FROZEN_NOTE}), *rest]
        return fieldsets

    def has_change_permission(self, request, obj=None):
        if obj is not None and edition_is_frozen(obj.edition):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and edition_is_frozen(obj.edition):
            return False
        return super().has_delete_permission(request, obj)

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.edition.is_public else None

    @admin.display(description=_("所属目录"), ordering="edition")
    def edition_label(self, obj):
        return f"{obj.edition.region.name} {obj.edition.label}"

    @admin.display(description=_("一级类别"), ordering="category__code")
    def area(self, obj):
        return obj.category.ancestors()[0].name

    @admin.display(description=_("三级类别"), ordering="category__code")
    def leaf_category(self, obj):
        return obj.category.name

    @admin.display(description=_("预算（元）"), ordering="budget")
    def budget_display(self, obj):
        if obj.budget is None:
            return self.get_empty_value_display()
        return f"{obj.budget:,.2f}"
