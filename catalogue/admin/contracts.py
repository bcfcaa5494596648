"""合同 in the admin: staff pick an item in force and a provider, seeing each candidate's state and grades.

The form (catalogue/forms/contracts.py) labels every candidate provider with its qualification state and its
recent grades (咸宁市阳光社会工作服务中心 · 已认定至2027-12-31 · 近期评价：优秀、良好); one whose newest
evaluation is 不合格 carries ⚠, and saving a contract with it adds a warning. The rules (published item of the
region and year, budget, qualification on the signing date, 转包) are Contract.clean and
catalogue/services/contracts.py, which save_model calls. Scope: Contract.objects.visible_to.
"""

from django.contrib import admin, messages
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.evaluation_rules import Grade
from catalogue.forms.contracts import ContractAdminForm
from catalogue.models import Contract, Evaluation
from catalogue.models.providers import is_flagged, provider_label
from catalogue.scopes import Scope, ScopeRule
from catalogue.services import save_contract

from .base import (
    CountyRegionFixedMixin,
    RecordedThroughServiceMixin,
    ScopedHistoryAdmin,
    form_for_user,
    titled,
    without_related_links,
    year_filter,
)


class FlaggedProviderFilter(admin.SimpleListFilter):
    title = _("承接主体有不合格评价")
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [("yes", _("最近一次评价不合格（⚠）")), ("no", _("否"))]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.provider_flagged(self.value() == "yes")
        return queryset


ContractYearFilter = year_filter("year", _("年度"))


@admin.register(Contract)
class ContractAdmin(RecordedThroughServiceMixin, CountyRegionFixedMixin, ScopedHistoryAdmin):
    scope_rule = ScopeRule.VISIBLE_TO
    form = ContractAdminForm
    list_display = [
        "item_name",
        "provider_display",
        "purchasing_body",
        "region",
        "year",
        "value",  # read as 150,000.00 through AmountsMixin
        "period",
        "procurement_method",
        "announced",
        "evaluation_grade",
    ]
    list_display_links = ["item_name"]
    list_filter = [
        ("region", titled(admin.RelatedOnlyFieldListFilter, _("行政区划"))),
        ContractYearFilter,
        "procurement_method",
        "announced",
        FlaggedProviderFilter,
    ]
    search_fields = ["number", "item__name", "item__code", "provider__name", "purchasing_body__name"]
    ordering = ["-signed_on", "-pk"]
    autocomplete_fields = ["purchasing_body"]
    list_select_related = ["item", "provider", "purchasing_body", "region", "evaluation"]
    readonly_fields = ["provider_summary", "evaluation_link", "created_by", "created_at", "updated_at"]
    fieldsets = [
        (_("事项"), {"fields": ["region", "year", "item", "purchasing_body"]}),
        (_("承接主体"), {"fields": ["provider", "provider_summary"]}),
        (
            _("合同"),
            {
                "fields": [
                    "number",
                    "signed_on",
                    "value",
                    "period_start",
                    "period_end",
                    "procurement_method",
                    "summary",
                    "no_subcontracting_confirmed",
                ],
                "description": _(
                    "只能购买本行政区划本年度现行目录中有预算的事项，同一事项本年度合同金额合计不得超过预算；"
                    "承接主体须在签订日期处于认定有效期内，并被认定可承接该类服务；禁止转包。"
                ),
            },
        ),
        (_("公告与评价"), {"fields": ["announced", "announced_on", "evaluation_link"]}),
        (_("记录"), {"fields": ["created_by", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_provider_grade()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in {"region", "item", "provider", "purchasing_body"}:
            # Items, providers and bodies are kept on their own pages, not created from a contract.
            without_related_links(formfield)
        return formfield

    def get_form(self, request, obj=None, **kwargs):
        return form_for_user(super().get_form(request, obj, **kwargs), request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if Scope.of(request.user).is_department:
            fields += [name for name in ("region", "purchasing_body") if name not in fields]
        return fields

    def save_model(self, request, obj, form, change):
        save_contract(obj, by=request.user)
        grades = Evaluation.objects.recent_grades([obj.provider_id]).get(obj.provider_id, [])
        if is_flagged(grades):
            self.message_user(
                request,
                gettext("注意：“%(provider)s”最近一次绩效评价为不合格，请确认选择该承接主体的理由并留存记录。")
                % {"provider": obj.provider.name},
                messages.WARNING,
            )

    # Columns and read-only fields ---------------------------------------------------------------

    @admin.display(description=_("目录事项"), ordering="item__code")
    def item_name(self, obj):
        return f"{obj.item.code} {obj.item.name}"

    @admin.display(description=_("承接主体"), ordering="provider__name")
    def provider_display(self, obj):
        if getattr(obj, "provider_latest_grade", None) == Grade.FAIL:
            return format_html('<span class="grade-flag" title="{}">⚠ {}</span>', _("最近一次绩效评价不合格"), obj.provider.name)
        return obj.provider.name

    @admin.display(description=_("服务期限"), ordering="period_start")
    def period(self, obj):
        return f"{obj.period_start} — {obj.period_end}"

    @admin.display(description=_("评价等级"))
    def evaluation_grade(self, obj):
        evaluation = getattr(obj, "evaluation", None)
        return evaluation.get_grade_display() if evaluation is not None else self.get_empty_value_display()

    @admin.display(description=_("资质与近期评价"))
    def provider_summary(self, obj):
        if obj is None or obj.provider_id is None:
            return gettext("选择承接主体后显示。")
        grades = Evaluation.objects.recent_grades([obj.provider_id]).get(obj.provider_id, [])
        text = provider_label(obj.provider, grades)
        if is_flagged(grades):
            return format_html('<strong class="grade-flag">{}</strong>', text)
        return text

    @admin.display(description=_("绩效评价"))
    def evaluation_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        context = {"contract": obj, "evaluation": Evaluation.objects.filter(contract=obj).first()}
        return render_to_string("admin/catalogue/includes/contract_evaluation.html", context)
