"""绩效评价 in the admin: three scores typed, the combined score and grade computed; publishing is a button.

The forms are catalogue/forms/evaluations.py; publishing and withdrawing step through EVALUATION_LIFECYCLE.
The computation is catalogue/evaluation_rules.py (weights and bands in one place); recording goes
through catalogue/services/evaluations.py (record_evaluation), which refuses an evaluation before the
contract's period ends. A published result is read-only until it is withdrawn (撤回公开, with a
reason). The weights are one row (EvaluationWeights) that only municipal finance changes.
"""

from django.contrib import admin, messages
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue import evaluation_rules as rules
from catalogue.evaluation_rules import Grade
from catalogue.forms.evaluations import EvaluationAdminForm, PublishEvaluationForm, WithdrawEvaluationForm
from catalogue.models import Evaluation, EvaluationWeights
from catalogue.models.evaluations import EVALUATION_LIFECYCLE
from catalogue.permissions import is_finance
from catalogue.scopes import ScopeRule
from catalogue.services import publish_evaluation, record_evaluation, set_evaluation_weights, withdraw_evaluation

from .base import (
    MunicipalEditsMixin,
    RecordedThroughServiceMixin,
    ScopedHistoryAdmin,
    form_for_user,
    titled,
    without_related_links,
    year_filter,
)
from .operations import Operation, OperationsAdminMixin


EVALUATION_OPERATIONS = (
    Operation.step(
        EVALUATION_LIFECYCLE,
        Evaluation.Action.PUBLISH,
        form_class=PublishEvaluationForm,
        service=publish_evaluation,
        role_allows=is_finance,
        explanation=_("公开后，评价结果在承接主体和目录事项的公开页面上显示，并不能再修改；如需更正，先撤回公开。"),
        done=_("已公开：%(object)s。"),
    ),
    Operation.step(
        EVALUATION_LIFECYCLE,
        Evaluation.Action.WITHDRAW,
        form_class=WithdrawEvaluationForm,
        service=withdraw_evaluation,
        role_allows=is_finance,
        explanation=_("撤回后公众不再能看到该评价结果；记录和历史仍然保留。"),
        done=_("已撤回公开：%(object)s。"),
        button_class="operation-button--danger",
    ),
)


# Evaluations ---------------------------------------------------------------------------------------


GradeYearFilter = year_filter("contract__year", _("年度"), parameter_name="year")


@admin.register(Evaluation)
class EvaluationAdmin(RecordedThroughServiceMixin, OperationsAdminMixin, ScopedHistoryAdmin):
    scope_rule = ScopeRule.VISIBLE_TO
    form = EvaluationAdminForm
    operations = EVALUATION_OPERATIONS
    list_display = [
        "item_name",
        "provider_name",
        "region_name",
        "year",
        "score",
        "grade_display",
        "published",
        "published_on",
        "evaluated_on",
    ]
    list_display_links = ["item_name"]
    list_filter = [
        "grade",
        "published",
        ("contract__region", titled(admin.RelatedOnlyFieldListFilter, _("行政区划"))),
        GradeYearFilter,
    ]
    search_fields = ["contract__item__name", "contract__provider__name", "contract__number", "third_party_name"]
    ordering = ["-evaluated_on", "-pk"]
    list_select_related = ["contract__item", "contract__provider", "contract__region"]
    readonly_fields = ["result", "published", "published_on", "created_by", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["contract", "evaluated_on"]}),
        (
            _("得分（0至100分）"),
            {
                "fields": ["self_score", "satisfaction_score", "third_party_score", "third_party_name", "remarks"],
                "description": _("综合得分按绩效评价权重加权计算，等级按分数段确定，不能手工填写。"),
            },
        ),
        (_("结果"), {"fields": ["result", "published", "published_on"]}),
        (_("记录"), {"fields": ["created_by", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_form(self, request, obj=None, **kwargs):
        return form_for_user(super().get_form(request, obj, **kwargs), request.user)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "contract":
            without_related_links(formfield)
        return formfield

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and "contract" not in fields:
            fields.append("contract")
        return fields

    def save_model(self, request, obj, form, change):
        record_evaluation(obj, by=request.user)
        if obj.grade == Grade.FAIL:
            self.message_user(
                request,
                gettext("该合同的绩效评价为不合格：在为“%(provider)s”的下一份合同选择承接主体时将标注 ⚠。")
                % {"provider": obj.contract.provider.name},
                messages.WARNING,
            )

    @admin.display(description=_("目录事项"), ordering="contract__item__code")
    def item_name(self, obj):
        return obj.contract.item.name

    @admin.display(description=_("承接主体"), ordering="contract__provider__name")
    def provider_name(self, obj):
        return obj.contract.provider.name

    @admin.display(description=_("行政区划"), ordering="contract__region__order")
    def region_name(self, obj):
        return obj.contract.region.name

    @admin.display(description=_("年度"), ordering="contract__year")
    def year(self, obj):
        return obj.contract.year

    @admin.display(description=_("评价等级"), ordering="grade")
    def grade_display(self, obj):
        if obj.grade == Grade.FAIL:
            return format_html('<span class="grade-flag">⚠ {}</span>', obj.get_grade_display())
        return obj.get_grade_display()

    @admin.display(description=_("综合得分与等级"))
    def result(self, obj):
        if obj is None or obj.score is None:
            return gettext("保存后按权重自动计算。")
        context = {"evaluation": obj, "weights": rules.weights_text(obj.weights)}
        return render_to_string("admin/catalogue/includes/evaluation_result.html", context)


# The weights ---------------------------------------------------------------------------------------


@admin.register(EvaluationWeights)
class EvaluationWeightsAdmin(RecordedThroughServiceMixin, MunicipalEditsMixin, ScopedHistoryAdmin):
    """One row: the weights of the three parts. Every staff role reads it; municipal finance changes it."""

    scope_rule = ScopeRule.SHARED

    list_display = ["__str__", "updated_by", "updated_at"]
    readonly_fields = ["bands", "updated_by", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": ["self_weight", "satisfaction_weight", "third_party_weight"],
                "description": _("三项权重之和须为100%。修改只影响此后录入的评价；已录入的评价保留计算时所用的权重。"),
            },
        ),
        (_("评价等级"), {"fields": ["bands"]}),
        (_("记录"), {"fields": ["updated_by", "updated_at"]}),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not EvaluationWeights.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = set_evaluation_weights(
            by=request.user,
            self_weight=obj.self_weight,
            satisfaction_weight=obj.satisfaction_weight,
            third_party_weight=obj.third_party_weight,
        )
        obj.pk = saved.pk

    @admin.display(description=_("分数段"))
    def bands(self, obj):
        bands = [label for _grade, label in rules.grade_bands()]
        return render_to_string("admin/catalogue/includes/grade_bands.html", {"bands": bands})
