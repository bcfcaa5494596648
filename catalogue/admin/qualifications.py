"""A provider's qualification in the admin: the condition checks inline, 认定 / 暂停 / 恢复 / 撤销 as buttons.

The rules and the record of who did what are catalogue/services/providers.py; this module offers
them on the provider's change page (catalogue/admin/providers.py) and shows the trail. Only
municipal finance checks conditions and decides; the county office of the provider's region reads
(catalogue/admin/providers.py shows the inline only to them). Evidence files are downloaded through
a staff-only view that checks the same, as attachments with the type their content shows and
`nosniff`, so a browser never renders one as a page: they are never linked by their media URL.
"""

from datetime import date
from pathlib import PurePosixPath

from django import forms
from django.contrib import admin
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue import evidence_files
from catalogue.forms import DateInput, OperationForm
from catalogue.models import QUALIFICATION_LIFECYCLE, ProviderStatusChange, QualificationCheck, ServiceCategory
from catalogue.models import unmet_conditions as find_unmet_conditions
from catalogue.models.providers import is_flagged, provider_label  # noqa: F401  # until admin/contracts.py moves
from catalogue.permissions import may_review
from catalogue.scopes import ScopeRule
from catalogue.services import qualify_provider, reinstate_provider, revoke_provider, suspend_provider

from .operations import Operation

Action = ProviderStatusChange.Action


# The condition checks, inline on the provider -----------------------------------------------------


def evidence_url(check):
    """The staff-only download of a condition's evidence (ProviderAdmin.evidence_view checks the user may see
    the provider); "" without a file. The admin names its own URL: the model knows nothing of it."""
    if not check.evidence:
        return ""
    return reverse("admin:catalogue_provider_evidence", args=[check.provider_id, check.pk])


class EvidenceInput(forms.FileInput):
    """A plain file input: the current file is linked through the staff-only view (evidence_link), not
    by its media URL as ClearableFileInput would."""


class QualificationCheckFormSet(forms.BaseInlineFormSet):
    """Offers a blank row for every condition not yet checked, already naming its condition."""

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        kwargs.setdefault("initial", [{"condition": condition} for condition in _unchecked(instance)])
        super().__init__(*args, **kwargs)


def _unchecked(provider):
    if provider is None or provider.pk is None:
        return list(QualificationCheck.Condition)
    done = set(provider.qualification_checks.values_list("condition", flat=True))
    return [
        condition
        for condition in QualificationCheck.Condition
        if condition not in done and QualificationCheck.applies(condition, provider)
    ]


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
        return len(_unchecked(obj))

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
        if check is None or check.checked_by is None:
            return "—"
        return check.checked_by.get_full_name() or check.checked_by.get_username()


def evidence_response(provider, check_id):
    """The evidence file of one check, as a download; 404 when there is none.

    Always an attachment, typed by what its content is (a file stored before uploads were checked
    by content and not matching its extension goes out as application/octet-stream), with nosniff
    and a sandboxing CSP, so no browser runs it as a page of this site.
    """
    check = provider.qualification_checks.filter(pk=check_id).first()
    if check is None or not check.evidence:
        raise Http404(gettext("没有找到该证明材料。"))
    try:
        handle = check.evidence.open("rb")
    except FileNotFoundError:
        raise Http404(gettext("没有找到该证明材料。")) from None
    suffix = PurePosixPath(check.evidence.name).suffix
    filename = f"{provider.name}-{gettext('条件')}{check.condition}{suffix}"
    content_type = evidence_files.content_type(check.evidence.name, handle)
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# Read-only summaries on the provider's page ------------------------------------------------------


def unmet_conditions_html(provider):
    if provider is None or provider.pk is None:
        return gettext("保存后逐项核查资质条件。")
    missing = find_unmet_conditions(provider)
    if not missing:
        return gettext("适用的资质条件均已核查为符合，可以认定。")
    return format_html(
        '{}<ul class="unmet-conditions">{}</ul>',
        gettext("以下条件尚未核查为“符合”，认定前须逐项核查："),
        format_html_join("", "<li>{}. {}</li>", ((int(c), c.label) for c in missing)),
    )


def status_trail_html(provider):
    if provider is None or provider.pk is None:
        return "—"
    steps = list(provider.status_changes.select_related("by"))
    if not steps:
        return gettext("尚无资质变更记录。")
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                timezone.localtime(step.at).strftime("%Y-%m-%d %H:%M"),
                step.get_action_display(),
                (step.by.get_full_name() or step.by.get_username()) if step.by else "—",
                step.get_from_status_display(),
                step.get_to_status_display(),
                _terms(step),
                step.reason or "—",
            )
            for step in steps
        ),
    )
    return format_html(
        '<table class="pilot-trail qualification-trail"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>'
        "</tr></thead><tbody>{}</tbody></table>",
        _("时间"),
        _("操作"),
        _("操作人"),
        _("状态变化"),
        _("认定期限与类别"),
        _("理由或意见"),
        rows,
    )


def _terms(step):
    if step.action != Action.QUALIFY:
        return "—"
    period = f"{step.qualified_from or '—'} — {step.qualified_until or '—'}"
    return f"{period}；{step.categories}" if step.categories else period


# Operations ---------------------------------------------------------------------------------------


class CategoryChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, category):
        return f"{'　' * (category.level - 1)}{category.code} {category.name}"


class QualifyForm(OperationForm):
    categories = CategoryChoiceField(
        label=_("认定可承接的服务类别"),
        queryset=ServiceCategory.objects.order_by("code"),
        widget=forms.SelectMultiple(attrs={"size": 16}),
        help_text=_("可选一级、二级或三级类别；选上级类别即包括其全部下级。按住 Ctrl 可多选。"),
        error_messages={"required": _("请选择认定可承接的服务类别。")},
    )
    qualified_from = forms.DateField(
        label=_("认定日期"),
        required=False,
        widget=DateInput,
        help_text=_("留空为今天。"),
        error_messages={"invalid": _("请输入有效的日期，例如 2025-01-01。")},
    )
    until = forms.DateField(
        label=_("认定有效期至"),
        widget=DateInput,
        error_messages={"required": _("请填写认定有效期。"), "invalid": _("请输入有效的日期，例如 2027-12-31。")},
    )
    note = forms.CharField(
        label=_("审核意见"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(OperationForm):
    reason = forms.CharField(
        label=_("理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("记入资质变更记录。"),
        error_messages={"required": _("请说明理由。")},
    )


def _initial_qualify(provider):
    today = timezone.localdate()
    until = provider.qualified_until if provider.qualified_until and provider.qualified_until >= today else None
    return {
        "categories": [category.pk for category in provider.categories.all()],
        "qualified_from": today,
        "until": until or date(today.year + 2, 12, 31),
    }


PROVIDER_OPERATIONS = (
    Operation(
        name=Action.QUALIFY,
        label=_("认定"),
        form_class=QualifyForm,
        run=lambda provider, user, categories, qualified_from, until, note: qualify_provider(
            provider, by=user, categories=categories, until=until, note=note, qualified_from=qualified_from
        ),
        role_allows=may_review,
        state_allows=QUALIFICATION_LIFECYCLE.state_allows(Action.QUALIFY),
        initial=_initial_qualify,
        explanation=_(
            "认定前须逐项核查资质条件（第7项年检仅适用于社会组织）。认定后该承接主体在有效期内可承接所选类别的服务，"
            "并在承接主体名录中公开；有效期届满自动失效（显示为“已过期”）。已认定的，可用本操作续期或调整类别。"
        ),
        done=_("已认定：%(object)s。"),
        bulk=False,
    ),
    Operation(
        name=Action.SUSPEND,
        label=_("暂停"),
        form_class=ReasonForm,
        run=lambda provider, user, reason: suspend_provider(provider, by=user, reason=reason),
        role_allows=may_review,
        state_allows=QUALIFICATION_LIFECYCLE.state_allows(Action.SUSPEND),
        explanation=_("暂停期间不能与该承接主体签订新合同，名录中不再显示；整改完成后可恢复。"),
        done=_("已暂停：%(object)s。"),
        bulk=False,
        button_class="operation-button--danger",
    ),
    Operation(
        name=Action.REINSTATE,
        label=_("恢复"),
        form_class=ReasonForm,
        run=lambda provider, user, reason: reinstate_provider(provider, by=user, reason=reason),
        role_allows=may_review,
        state_allows=QUALIFICATION_LIFECYCLE.state_allows(Action.REINSTATE),
        explanation=_("恢复后按原认定的类别和有效期继续有效；有效期已届满的须重新认定。"),
        done=_("已恢复：%(object)s。"),
        bulk=False,
    ),
    Operation(
        name=Action.REVOKE,
        label=_("撤销"),
        form_class=ReasonForm,
        run=lambda provider, user, reason: revoke_provider(provider, by=user, reason=reason),
        role_allows=may_review,
        state_allows=QUALIFICATION_LIFECYCLE.state_allows(Action.REVOKE),
        explanation=_("撤销后该承接主体不再具备承接资格；如需再次承接，须重新核查全部资质条件后认定。"),
        done=_("已撤销：%(object)s。"),
        bulk=False,
        button_class="operation-button--danger",
    ),
)
