import itertools

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from catalogue.exports import EXPORT_COLUMNS
from catalogue.forms.items import CatalogueItemForm, read_only_fields
from catalogue.models import CatalogueItem, ServiceCategory
from catalogue.permissions import is_finance, may_move_item
from catalogue.scopes import ScopeRule
from catalogue.services.items import delete_item, save_item

from .base import (
    RecordedThroughServiceMixin,
    ScopedHistoryAdmin,
    ScopedQuerysetMixin,
    form_for_user,
    titled,
    without_related_links,
    year_filter,
)

FROZEN_NOTE = _("本目录已不是草稿，其中的事项只能查看；如需调整，请新建修订版次（动态调整）。")
# Only finance offices open a revision (the 动态调整 operation, permissions.is_finance): the others are told whom to ask.
FROZEN_NOTE_FOR_DEPARTMENTS = _("本目录已不是草稿，其中的事项只能查看；如需调整，请联系本级财政部门新建修订版次。")


def frozen_note(request):
    return FROZEN_NOTE if is_finance(request.user) else FROZEN_NOTE_FOR_DEPARTMENTS


class AreaFilter(admin.SimpleListFilter):
    """Filter by the 一级 area: the items of every category under it (ServiceCategory.objects.and_below)."""

    title = _("一级类别")
    parameter_name = "area"

    def lookups(self, request, model_admin):
        return [(area.code, f"{area.code} {area.name}") for area in ServiceCategory.objects.areas().order_by("code")]

    def queryset(self, request, queryset):
        codes = {code for code, _label in self.lookup_choices}
        if self.value() in codes:
            area = ServiceCategory.objects.filter(code=self.value())
            return queryset.filter(category__in=ServiceCategory.objects.and_below(area))
        return queryset


EditionYearFilter = year_filter("edition__year", _("目录年度"))


class CatalogueItemInline(ScopedQuerysetMixin, admin.TabularInline):
    """An edition's items on the edition's own page.

    The edition admin shows this inline only for editions of up to
    INLINE_MAX_ITEMS items; larger ones link to the item changelist filtered
    by the edition, which paginates. Read-only unless the edition is a draft.
    """

    scope_rule = ScopeRule.VISIBLE_TO

    model = CatalogueItem
    form = CatalogueItemForm
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

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = form_for_user(self.form, request.user)
        return super().get_formset(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *read_only_fields(request.user)]

    def get_extra(self, request, obj=None, **kwargs):
        # One empty row for a new or draft edition, so a clerk can start typing at once.
        return 0 if obj and obj.is_frozen else 1

    # obj is the edition: its items are read-only unless it is a draft (the item service refuses too).
    def has_add_permission(self, request, obj=None):
        return not (obj and obj.is_frozen) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not (obj and obj.is_frozen) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj and obj.is_frozen) and super().has_delete_permission(request, obj)

    @staticmethod
    def save_rows(request, formset):
        """Each deleted, changed or new row through the item service, as on the item's own page.

        save(commit=False) sorts the rows (and lists them for the admin's change message) without writing."""
        formset.save(commit=False)
        for item in formset.deleted_objects:
            delete_item(item, by=request.user)
        for form in formset.saved_forms:
            bodies = form.cleaned_data.get("purchasing_bodies")
            save_item(form.instance, by=request.user, purchasing_bodies=bodies)


@admin.register(CatalogueItem)
class CatalogueItemAdmin(RecordedThroughServiceMixin, ScopedHistoryAdmin):
    scope_rule = ScopeRule.VISIBLE_TO
    list_display = [
        "code",
        "name",
        "edition_label",
        "area",
        "leaf_category",
        "procurement_method",
        "is_pilot",
        "budget",  # read as 150,000.00 through AmountsMixin
    ]
    list_display_links = ["code", "name"]
    # Region and edition filters offer only what the user's scope holds (RelatedOnly…, EditionYearFilter).
    list_filter = [
        ("edition__region", titled(admin.RelatedOnlyFieldListFilter, _("行政区划"))),
        EditionYearFilter,
        ("edition__status", titled(admin.ChoicesFieldListFilter, _("目录状态"))),
        AreaFilter,
        "procurement_method",
        "is_pilot",
        ("edition", admin.RelatedOnlyFieldListFilter),
    ]
    form = CatalogueItemForm
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

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("edition__region", "category__parent__parent")

    def get_field_queryset(self, db, db_field, request):
        queryset = super().get_field_queryset(db, db_field, request)
        if db_field.name == "edition":
            # Items go into drafts only: a published edition is frozen.
            return queryset.drafts()
        return queryset

    def get_form(self, request, obj=None, **kwargs):
        return form_for_user(super().get_form(request, obj, **kwargs), request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), *read_only_fields(request.user)]
        if not may_move_item(request.user) and "edition" not in fields:
            fields.append("edition")
        return fields

    def save_model(self, request, obj, form, change):
        bodies = form.cleaned_data.get("purchasing_bodies") if form is not None else None
        save_item(obj, by=request.user, purchasing_bodies=bodies)

    def save_related(self, request, form, formsets, change):
        """The bodies were set by save_item; an item has no inlines."""

    def delete_model(self, request, obj):
        delete_item(obj, by=request.user)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "category":
            without_related_links(formfield)
        return formfield

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.is_frozen:
            (title, options), *rest = fieldsets
            fieldsets = [(title, {**options, "description": frozen_note(request)}), *rest]
        return fieldsets

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.edition.is_public else None

    def get_export_columns(self, request):
        """序号, the edition, then every other column of the public export (catalogue/exports/columns.py: the official table,
        预算（元） and 绩效评价标准), so a selection exported here imports back with nothing lost.

        The workbook asks each getter once a row, in row order, so 序号 counts the rows."""
        rows = itertools.count(1)
        seq, *others = EXPORT_COLUMNS
        return [
            (seq.label, lambda item: next(rows)),
            (_("所属目录"), lambda item: item.edition.region_label),
            *((column.label, lambda item, column=column: column.value(item, "")) for column in others),
        ]

    def get_export_queryset(self, request, queryset):
        return queryset.with_table_columns()

    @admin.display(description=_("所属目录"), ordering="edition")
    def edition_label(self, obj):
        return obj.edition.region_label

    @admin.display(description=_("一级类别"), ordering="category__code")
    def area(self, obj):
        return obj.category.ancestors()[0].name

    @admin.display(description=_("三级类别"), ordering="category__code")
    def leaf_category(self, obj):
        return obj.category.name

