"""Small pieces the admin modules share: autocomplete origin, filtered changelist links, titled filters,
and the scope mixins every admin uses."""

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext
from simple_history.admin import SimpleHistoryAdmin

from catalogue.permissions import may_review
from catalogue.scopes import Scope, ScopeRule
from catalogue.services.records import (
    delete_record,
    delete_shared_record,
    save_record,
    save_shared_record,
    service_message,
)

from .amounts import AmountsMixin


def autocomplete_origin(request):
    """The (model_name, field_name) an admin autocomplete request is filling in, or (None, None).

    Django's autocomplete view calls the target admin's get_search_results;
    the field that asked is only in the query string, so an admin that offers
    a narrower choice to one field (leaf categories for an item) reads it here.
    """
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name != "autocomplete" or request.GET.get("app_label") != "catalogue":
        return None, None
    return request.GET.get("model_name"), request.GET.get("field_name")


def titled(filter_class, title):
    """A list filter class that shows `title` instead of the field's own verbose name.

    Filters across a relation (edition__status) would otherwise all read 状态,
    年度 …, without saying they are the edition's.
    """

    class TitledFilter(filter_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    TitledFilter.__name__ = f"Titled{filter_class.__name__}"
    return TitledFilter


class RecordedThroughServiceMixin:
    """save_model calls a service; a ValidationError it raises (a race the form could not see, such as
    another clerk's contract taking the budget meanwhile) becomes a message, with nothing saved (the change
    view's transaction rolled back)."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            self.message_user(request, service_message(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


def form_for_user(form_class, user):
    """form_class bound to the staff member filling it in (its `staff_user`), which narrows its choices."""
    return type(form_class.__name__, (form_class,), {"staff_user": user})


def year_filter(lookup, title, parameter_name=None):
    """A list filter of the years `lookup` takes among the rows the user may see, newest first.

    The years come from the admin's own (scoped) queryset, so a county office is never offered another
    county's years; a year that is not offered is ignored, not an error."""

    class YearFilter(admin.SimpleListFilter):
        def lookups(self, request, model_admin):
            years = model_admin.get_queryset(request).order_by(f"-{lookup}").values_list(lookup, flat=True)
            return [(str(year), str(year)) for year in dict.fromkeys(years)]

        def queryset(self, request, queryset):
            if self.value() in {code for code, _label in self.lookup_choices}:
                return queryset.filter(**{lookup: int(self.value())})
            return queryset

    YearFilter.title = title
    YearFilter.parameter_name = parameter_name or lookup
    YearFilter.__name__ = f"YearFilter_{lookup}"
    return YearFilter


def without_related_links(formfield):
    """Drop the add/change/delete/view icons beside a related field's widget.

    Categories are kept in their own admin: adding or deleting one from an
    item's row would only invite a category the item cannot use.
    """
    widget = getattr(formfield, "widget", None)
    for flag in ("can_add_related", "can_change_related", "can_delete_related", "can_view_related"):
        if hasattr(widget, flag):
            setattr(widget, flag, False)
    return formfield


# Scope ---------------------------------------------------------------------------------------------
#
# catalogue/scopes.py says who sees what; each model's queryset has visible_to(user). The mixins
# below route every admin path through it: the changelist, change/delete/history views opened by
# URL, bulk actions (Django filters the selected ids through get_queryset), autocomplete (Django
# asks the target admin's get_queryset), list filters, and the choices a form accepts for a
# ForeignKey or ManyToMany (so a forged id of another region's edition or body is refused with
# Django's "选择一个有效的选项").


def _scoped(admin, queryset, user):
    """queryset narrowed by the rule `admin` declares (ScopeRule); no rule, no rows."""
    rule = getattr(admin, "scope_rule", None)
    if rule == ScopeRule.VISIBLE_TO:
        return queryset.visible_to(user)
    if rule in (ScopeRule.SHARED, ScopeRule.OWN, ScopeRule.PARENT):
        return queryset
    return queryset.none()


class ScopedQuerysetMixin:
    """Rows and related choices filtered by the user's scope; for ModelAdmins and inlines alike.

    The rows follow the admin's `scope_rule` (catalogue.scopes.ScopeRule), which every admin must
    declare: catalogue/admin/checks.py refuses to start without one, and an admin that somehow has
    none shows nothing."""

    def get_queryset(self, request):
        return _scoped(self, super().get_queryset(request), request.user)

    def get_field_queryset(self, db, db_field, request):
        queryset = super().get_field_queryset(db, db_field, request)
        model = db_field.remote_field.model
        base = queryset if queryset is not None else model._default_manager.using(db).all()
        if hasattr(base, "visible_to"):
            return base.visible_to(request.user)
        return queryset


class NotFoundMixin:
    """An id the user may not open is a 404, the same answer as an id that does not exist.

    Django would redirect to the index with a "does not exist" warning; a 404 says the same
    without a second code path, and without echoing the id back.
    """

    def not_found(self):
        return Http404(gettext("没有找到该%(name)s，或您无权查看。") % {"name": self.opts.verbose_name})

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise self.not_found()


class ThroughServicesMixin:
    """删除所选 deletes row by row through delete_model (the admin's service: its lock, its frozen check, its
    rule), all of them or none: one refusal rolls back the rows deleted before it. Django's own bulk delete
    would run one DELETE past all of them."""

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)


class ScopedAdminMixin(ThroughServicesMixin, NotFoundMixin, ScopedQuerysetMixin):
    """Object permissions that refuse what lies outside the scope, and what is frozen; an object
    outside the scope is a 404 on every view that takes an id."""

    def in_scope(self, request, obj):
        cache = request.__dict__.setdefault("_catalogue_in_scope", {})
        key = (obj._meta.label, obj.pk)
        if key not in cache:
            rows = self.model._default_manager.filter(pk=obj.pk)
            cache[key] = _scoped(self, rows, request.user).exists()
        return cache[key]

    def is_frozen(self, request, obj):
        """True when the object may no longer be changed or deleted: the model says (its is_frozen)."""
        return bool(getattr(obj, "is_frozen", False))

    def save_model(self, request, obj, form, change):
        """Through catalogue/services/records.py: the stored row locked, refused when the model says frozen.
        An admin whose records have a service of their own calls that service instead."""
        save_record(obj, by=request.user)

    def delete_model(self, request, obj):
        delete_record(obj, by=request.user)

    def has_view_permission(self, request, obj=None):
        if obj is not None and not self.in_scope(request, obj):
            return False
        return super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if obj is not None and (not self.in_scope(request, obj) or self.is_frozen(request, obj)):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (not self.in_scope(request, obj) or self.is_frozen(request, obj)):
            return False
        return super().has_delete_permission(request, obj)


class MunicipalEditsMixin(ThroughServicesMixin, NotFoundMixin):
    """Shared reference data (regions, categories, providers): every staff role reads it, only
    municipal finance and superusers change it, whatever permissions a group was given (the admin hides
    the buttons; services/records.py's save_shared_record refuses anyone else, whoever calls it)."""

    def may_edit(self, request):
        return may_review(request.user)

    def save_model(self, request, obj, form, change):
        save_shared_record(obj, by=request.user)

    def delete_model(self, request, obj):
        delete_shared_record(obj, by=request.user)

    def has_add_permission(self, request):
        return self.may_edit(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.may_edit(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.may_edit(request) and super().has_delete_permission(request, obj)


class CountyRegionFixedMixin:
    """A county office's new rows belong to its own region: the field is shown, not chosen.

    `region_field` names the ForeignKey to Region. The region is put on the form's instance before
    validation, so the model's clean() sees it.
    """

    region_field = "region"

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if Scope.of(request.user).is_county and self.region_field not in fields:
            fields.append(self.region_field)
        return fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        scope = Scope.of(request.user)
        if not scope.is_county:
            return form
        field = self.region_field

        class CountyForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if self.instance.pk is None:
                    setattr(self.instance, f"{field}_id", scope.region_id)

        CountyForm.__name__ = form.__name__
        return CountyForm


class ScopedHistoryAdmin(AmountsMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    """History (django-simple-history) that is read, never reverted, and only within the scope.

    simple_history's own history_view falls back to the newest historical record when the object
    is not in get_queryset, and its per-version view reads the history table directly: both would
    show another region's rows, so both first ask get_object (the scoped queryset). Reverting is
    switched off: a revert would bypass the services and the frozen editions.
    """

    def _scoped_object_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise self.not_found()
        return obj

    def history_view(self, request, object_id, extra_context=None):
        self._scoped_object_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._scoped_object_or_404(request, object_id)
        if not str(version_id).isdigit():
            raise Http404(gettext("没有找到该历史版本。"))
        if request.method != "GET":
            raise PermissionDenied(gettext("历史版本只能查看，不能恢复；如需修改，请在当前记录上修改。"))
        request._catalogue_history_read_only = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_readonly_fields(self, request, obj=None):
        if getattr(request, "_catalogue_history_read_only", False) and self.fieldsets:
            return [*flatten_fieldsets(self.fieldsets), *self.amount_columns.values()]
        return super().get_readonly_fields(request, obj)

    def revert_disabled(self, request, obj=None):
        return True

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # Each record names its office (catalogue.models.staff.office_of): read with the records.
        return super().get_history_queryset(request, history_manager, pk_name, object_id).select_related(
            "history_user__staff_profile__region", "history_user__staff_profile__purchasing_body"
        )

    def get_historical_record_context_helper(self, request, historical_record):
        from .history import ClerkHistoryContext

        return ClerkHistoryContext(self.model, historical_record)

    def history_view_title(self, request, obj):
        return gettext("“%(object)s”的修改历史") % {"object": obj}

    def has_change_history_permission(self, request, obj=None):
        return False
