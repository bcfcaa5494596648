from functools import partial

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.evaluation_rules import Grade
from catalogue.models import Provider, QualificationCheck
from catalogue.permissions import may_read_qualification_file
from catalogue.scopes import ScopeRule
from catalogue.services import record_check
from catalogue.views.staff.evidence import evidence_view

from .base import MunicipalEditsMixin, ScopedHistoryAdmin
from .operations import OperationsAdminMixin
from .qualifications import PROVIDER_OPERATIONS, QualificationCheckInline, status_trail_html, unmet_conditions_html

Status = Provider.DirectoryStatus


class DirectoryStatusFilter(admin.SimpleListFilter):
    """资质状态 as the directory reads it: 已认定 only while in date, 已过期 past it."""

    title = _("资质状态")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Status.choices

    def queryset(self, request, queryset):
        return queryset.in_directory_status(self.value()) if self.value() in Status.values else queryset


class FailedEvaluationFilter(admin.SimpleListFilter):
    """有不合格评价: the newest evaluation is 不合格 (the flag), or any ever was (ProviderQuerySet.FAILED_EVALUATION)."""

    title = _("有不合格评价")
    parameter_name = "failed"

    def lookups(self, request, model_admin):
        return [
            ("latest", _("最近一次评价不合格（⚠）")),
            ("any", _("曾有不合格评价")),
            ("none", _("没有不合格评价")),
        ]

    def queryset(self, request, queryset):
        condition = queryset.FAILED_EVALUATION.get(self.value())
        return queryset if condition is None else queryset.filter(condition)


@admin.register(Provider)
class ProviderAdmin(OperationsAdminMixin, MunicipalEditsMixin, ScopedHistoryAdmin):
    """Municipal finance keeps the providers, checks their qualification conditions (inline) and
    qualifies, suspends, reinstates or revokes them (the buttons, through catalogue/services/providers.py).

    Who sees what is Provider.objects.visible_to: a county office sees its own region's providers
    and, like department staff, every qualified provider's public data. The qualification file —
    the condition checks and their evidence, the status trail, the history — is shown only where
    Provider.objects.qualification_files_open_to says so (municipal finance, the county office of the
    provider's region)."""

    scope_rule = ScopeRule.VISIBLE_TO

    operations = PROVIDER_OPERATIONS
    inlines = [QualificationCheckInline]
    list_display = [
        "name",
        "kind",
        "credit_code",
        "region",
        "status_display",
        "qualified_from",
        "qualified_until",
        "evaluation_grade",
        "latest_grade_display",
    ]
    list_filter = [DirectoryStatusFilter, FailedEvaluationFilter, "kind", "evaluation_grade", "region"]
    search_fields = ["name", "credit_code", "registration_authority"]
    ordering = ["name"]
    autocomplete_fields = ["region", "categories"]
    list_select_related = ["region"]
    fieldsets = [
        (_("基本信息"), {"fields": ["name", "kind", "credit_code", "registration_authority", "region"]}),
        (
            _("资质"),
            {
                "fields": [
                    "status_display",
                    "qualification_status",
                    "qualified_from",
                    "qualified_until",
                    "categories",
                    "evaluation_grade",
                    "unmet_conditions",
                    "status_trail",
                ],
                "description": _(
                    "资质状态、认定日期、有效期和可承接的服务类别通过页面右上方的“认定”“暂停”“恢复”“撤销”办理，并记入资质变更记录；"
                    "可承接的服务类别可选一级、二级或三级，选上级类别即包括其全部下级。"
                ),
            },
        ),
        (_("联系方式与简介"), {"fields": ["address", "phone", "introduction"]}),
    ]
    # Set only through the services (认定 …); a superuser keeps the raw fields as an escape hatch.
    SERVICE_FIELDS = ["qualification_status", "qualified_from", "qualified_until"]

    # Fields that belong to the qualification file, not to the public data.
    FILE_FIELDS = ["unmet_conditions", "status_trail"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_latest_grade()

    def file_open(self, request, obj):
        """catalogue.permissions.may_read_qualification_file, asked once per provider and request."""
        cache = request.__dict__.setdefault("_catalogue_provider_files", {})
        key = getattr(obj, "pk", None)
        if key not in cache:
            cache[key] = may_read_qualification_file(request.user, obj)
        return cache[key]

    def get_inlines(self, request, obj):
        return super().get_inlines(request, obj) if self.file_open(request, obj) else []

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        hidden = set()
        if not request.user.is_superuser:
            # The raw status would repeat status_display (已认定至… / 已过期 …) as a second read-only line.
            hidden.add("qualification_status")
        if not self.file_open(request, obj):
            hidden.update(self.FILE_FIELDS)
        return [
            (title, {**options, "fields": [name for name in options["fields"] if name not in hidden]})
            for title, options in fieldsets
        ]

    def _file_or_refuse(self, request, object_id):
        provider = self._scoped_object_or_404(request, object_id)
        if not self.file_open(request, provider):
            raise PermissionDenied(gettext("承接主体的资质核查材料和变更记录只向市财政局和所在地县级财政部门开放。"))
        return provider

    def history_view(self, request, object_id, extra_context=None):
        self._file_or_refuse(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._file_or_refuse(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "status_display", "unmet_conditions", "status_trail"]
        if not request.user.is_superuser:
            fields += self.SERVICE_FIELDS
            if obj is not None:
                fields.append("categories")  # changed by 认定 once the provider exists
        return fields

    def get_urls(self):
        # The evidence download (catalogue/views/staff/evidence.py) asks this admin for the provider and file_open.
        download = self.admin_site.admin_view(partial(evidence_view, model_admin=self))
        own = [path("<path:object_id>/evidence/<int:check_id>/", download, name="catalogue_provider_evidence")]
        return own + super().get_urls()

    def save_formset(self, request, form, formset, change):
        if formset.model is not QualificationCheck:
            return super().save_formset(request, form, formset, change)
        for check in formset.save(commit=False):
            record_check(check, by=request.user)
        return None

    @admin.display(description=_("资质状态"), ordering="qualification_status")
    def status_display(self, obj):
        if obj is None or obj.pk is None:
            return Provider.DirectoryStatus.PENDING.label
        return obj.qualification_label

    @admin.display(description=_("最近评价"))
    def latest_grade_display(self, obj):
        grade = getattr(obj, "latest_grade", None)
        if not grade:
            return self.get_empty_value_display()
        label = Grade(grade).label
        if grade == Grade.FAIL:
            return format_html('<span class="grade-flag" title="{}">⚠ {}</span>', _("最近一次绩效评价不合格"), label)
        return label

    @admin.display(description=_("待核查的资质条件"))
    def unmet_conditions(self, obj):
        return unmet_conditions_html(obj)

    @admin.display(description=_("资质变更记录"))
    def status_trail(self, obj):
        return status_trail_html(obj)
