import copy
import itertools

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalogue.exports import EXPORT_COLUMNS
from catalogue.models import Catalogue, CatalogueItem, PurchasingBody, ServiceCategory
from catalogue.permissions import may_review
from catalogue.scopes import Scope, ScopeRule

from .base import (
    ScopedHistoryAdmin,
    ScopedQuerysetMixin,
    form_for_user,
    titled,
    without_related_links,
    year_filter,
)

FROZEN_NOTE = _("本目录已不是草稿，其中的事项只能查看；如需调整，请新建修订版次（动态调整）。")
# Department staff may not open a revision (only finance offices may): they are told whom to ask.
FROZEN_NOTE_FOR_DEPARTMENTS = _("本目录已不是草稿，其中的事项只能查看；如需调整，请联系本级财政部门新建修订版次。")


def frozen_note(request):
    return FROZEN_NOTE_FOR_DEPARTMENTS if Scope.of(request.user).is_department else FROZEN_NOTE


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


EditionYearFilter = year_filter("edition__year", _("目录年度"))


class CatalogueItemAdminForm(forms.ModelForm):
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
            current = CatalogueItem.purchasing_bodies.through.objects.filter(catalogueitem_id=self.instance.pk)
            bodies.queryset = PurchasingBody.objects.filter(
                Q(pk__in=bodies.queryset.values("pk")) | Q(pk__in=current.values("purchasingbody_id"))
            ).order_by("region__order", "name")

    def clean_purchasing_bodies(self):
        chosen = self.cleaned_data["purchasing_bodies"]
        scope = Scope.of(self.staff_user)
        if scope.is_department and scope.body_id not in {body.pk for body in chosen}:
            raise forms.ValidationError(
                _("部门账号只能维护本单位购买的事项：购买主体中须保留“%(body)s”。")
                % {"body": PurchasingBody.objects.get(pk=scope.body_id)}
            )
        if scope.is_department:
            before = set()
            if self.instance.pk is not None:
                through = CatalogueItem.purchasing_bodies.through.objects.filter(catalogueitem_id=self.instance.pk)
                before = set(through.values_list("purchasingbody_id", flat=True))
            if {body.pk for body in chosen} - {scope.body_id} != before - {scope.body_id}:
                raise forms.ValidationError(_("部门账号不能增加或去掉其他单位的购买主体，请联系本级财政部门。"))
        return chosen


def reviewer_only_fields(request):
    """试点 is set by municipal finance's approval of a pilot item, not by the county or department."""
    return [] if may_review(request.user) else ["is_pilot"]


class CatalogueItemInline(ScopedQuerysetMixin, admin.TabularInline):
    """An edition's items on the edition's own page.

    The edition admin shows this inline only for editions of up to
    INLINE_MAX_ITEMS items; larger ones link to the item changelist filtered
    by the edition, which paginates. Read-only unless the edition is a draft.
    """

    scope_rule = ScopeRule.VISIBLE_TO

    model = CatalogueItem
    form = CatalogueItemAdminForm
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
        return [*super().get_readonly_fields(request, obj), *reviewer_only_fields(request)]

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
class CatalogueItemAdmin(ScopedHistoryAdmin):
    scope_rule = ScopeRule.VISIBLE_TO
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
    form = CatalogueItemAdminForm
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

    def get_field_queryset(self, db, db_field, request):
        queryset = super().get_field_queryset(db, db_field, request)
        if db_field.name == "edition":
            # Items go into drafts only: a published edition is frozen.
            return queryset.drafts()
        return queryset

    def get_form(self, request, obj=None, **kwargs):
        return form_for_user(super().get_form(request, obj, **kwargs), request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), *reviewer_only_fields(request)]
        if Scope.of(request.user).is_department and "edition" not in fields:
            fields.append("edition")
        return fields

    def is_frozen(self, request, obj):
        return edition_is_frozen(obj.edition)

    lock_new_objects = True

    def lock_for_write(self, obj):
        """An item changes only while the edition it is in, and the one it moves to, are drafts:
        lock both (publish_edition locks them too) and hand is_frozen a frozen one if there is one."""
        stored = CatalogueItem.objects.filter(pk=obj.pk).values_list("edition_id", flat=True).first()
        editions = list(Catalogue.objects.select_for_update().filter(pk__in={stored, obj.edition_id} - {None}))
        locked = copy.copy(obj)
        locked.edition = next((e for e in editions if not e.is_draft), obj.edition)
        return locked

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "category":
            without_related_links(formfield)
        return formfield

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and edition_is_frozen(obj.edition):
            (title, options), *rest = fieldsets
            fieldsets = [(title, {**options, "description": frozen_note(request)}), *rest]
        return fieldsets

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.edition.is_public else None

    def get_export_columns(self, request):
        """序号, the edition, then every other column of the public export (catalogue/exports.py: the official table,
        预算（元） and 绩效评价标准), so a selection exported here imports back with nothing lost.

        The workbook asks each getter once a row, in row order, so 序号 counts the rows."""
        rows = itertools.count(1)
        seq, *others = EXPORT_COLUMNS
        return [
            (seq.label, lambda item: next(rows)),
            (_("所属目录"), lambda item: f"{item.edition.region.name} {item.edition.label}"),
            *((column.label, lambda item, column=column: column.value(item, "")) for column in others),
        ]

    def get_export_queryset(self, request, queryset):
        return queryset.with_table_columns()

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
