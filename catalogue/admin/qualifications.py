"""A provider's qualification in the admin: the condition checks inline, 认定 / 暂停 / 恢复 / 撤销 as buttons.

The rules and the record of who did what are catalogue/services/providers.py; this module offers
them on the provider's change page (catalogue/admin/providers.py) and shows the trail. Only
municipal finance checks conditions and decides; the county office of the provider's region reads
(catalogue/admin/providers.py shows the inline only to them). Evidence files are downloaded through
a staff-only view that checks the same (catalogue/views/staff/evidence.py), never by their media URL.
The forms are catalogue/forms/providers.py.
"""

from django.contrib import admin
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.forms.providers import (
    EvidenceInput,
    QualificationCheckFormSet,
    QualifyForm,
    ReasonForm,
    initial_qualify,
)
from catalogue.models import QUALIFICATION_LIFECYCLE, ProviderStatusChange, QualificationCheck, unmet_conditions
from catalogue.permissions import may_review
from catalogue.scopes import ScopeRule
from catalogue.services import qualify_provider, reinstate_provider, revoke_provider, suspend_provider

from .operations import Operation

Action = ProviderStatusChange.Action


# The condition checks, inline on the provider -----------------------------------------------------


def evidence_url(check):
    """The staff-only download of a condition's evidence (catalogue/views/staff/evidence.py checks the user may
    read the provider's file); "" without a file. The admin names its own URL: the model knows nothing of it."""
    if not check.evidence:
        return ""
    return reverse("admin:catalogue_provider_evidence", args=[check.provider_id, check.pk])


class QualificationCheckInline(admin.TabularInline):
    """DOMAIN.md §5's conditions, each with its result, evidence and who checked it (saved through record_check)."""

    scope_rule = ScopeRule.PARENT

    model = QualificationCheck
    formset = QualificationCheckFormSet
    fields = ["condition", "result", "evidence", "evidence_link", "reference", "note", "checked_by_name", "checked_at"]
    readonly_fields = ["evidence_link", "checked_by_name", "checked_at"]
    can_delete = False
    max_num = len(QualificationCheck.Condition)  # one row per condition
    ordering = ["condition"]
    verbose_name = _("资质条件核查")
    verbose_name_plural = _("资质条件核查（每项条件的核查结果与证明材料）")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("checked_by", "provider")

    def get_extra(self, request, obj=None, **kwargs):
        if not self.may_edit(request):
            return 0
        return len(QualificationCheck.unchecked(obj))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "evidence":
            kwargs["widget"] = EvidenceInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def may_edit(self, request):
        return may_review(request.user)

    def has_add_permission(self, request, obj=None):
        return self.may_edit(request) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.may_edit(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("已上传的材料"))
    def evidence_link(self, check):
        if check is None or check.pk is None or not check.evidence:
            return "—"
        return format_html('<a href="{}">{}</a>', evidence_url(check), gettext("下载"))

    @admin.display(description=_("核查人"))
    def checked_by_name(self, check):
        return "—" if check is None else check.checked_by_name


# Read-only summaries on the provider's page ------------------------------------------------------


def unmet_conditions_html(provider):
    missing = unmet_conditions(provider) if provider is not None and provider.pk else []
    context = {"provider": provider, "missing": missing}
    return render_to_string("admin/catalogue/provider/unmet_conditions.html", context)


def status_trail_html(provider):
    if provider is None or provider.pk is None:
        return "—"
    context = {
        "steps": provider.status_changes.select_related("by"),
        "table_class": "pilot-trail qualification-trail",
        "terms_title": _("认定期限与类别"),
        "note_title": _("理由或意见"),
        "empty": gettext("尚无资质变更记录。"),
    }
    return render_to_string("admin/catalogue/includes/trail.html", context)


# Operations ---------------------------------------------------------------------------------------


# Municipal finance's decisions, one provider at a time.
DECISION = {"role_allows": may_review, "bulk": False}

PROVIDER_OPERATIONS = (
    Operation.step(
        QUALIFICATION_LIFECYCLE,
        Action.QUALIFY,
        service=qualify_provider,
        **DECISION,
        form_class=QualifyForm,
        initial=initial_qualify,
        explanation=_(
            "认定前须逐项核查资质条件（第7项年检仅适用于社会组织）。认定后该承接主体在有效期内可承接所选类别的服务，"
            "并在承接主体名录中公开；有效期届满自动失效（显示为“已过期”）。已认定的，可用本操作续期或调整类别。"
        ),
        done=_("已认定：%(object)s。"),
    ),
    Operation.step(
        QUALIFICATION_LIFECYCLE,
        Action.SUSPEND,
        service=suspend_provider,
        **DECISION,
        form_class=ReasonForm,
        explanation=_("暂停期间不能与该承接主体签订新合同，名录中不再显示；整改完成后可恢复。"),
        done=_("已暂停：%(object)s。"),
        button_class="operation-button--danger",
    ),
    Operation.step(
        QUALIFICATION_LIFECYCLE,
        Action.REINSTATE,
        service=reinstate_provider,
        **DECISION,
        form_class=ReasonForm,
        explanation=_("恢复后按原认定的类别和有效期继续有效；有效期已届满的须重新认定。"),
        done=_("已恢复：%(object)s。"),
    ),
    Operation.step(
        QUALIFICATION_LIFECYCLE,
        Action.REVOKE,
        service=revoke_provider,
        **DECISION,
        form_class=ReasonForm,
        explanation=_("撤销后该承接主体不再具备承接资格；如需再次承接，须重新核查全部资质条件后认定。"),
        done=_("已撤销：%(object)s。"),
        button_class="operation-button--danger",
    ),
)
