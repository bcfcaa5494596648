"""The forms of a provider's qualification: the condition checks (an inline formset on the provider's page) and the
forms the 认定 / 暂停 / 恢复 / 撤销 operations ask before they call catalogue/services/providers.py."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import QualificationCheck, ServiceCategory

from .operations import DateInput, OperationForm, reason_field, today_if_empty_field


class EvidenceInput(forms.FileInput):
    """A plain file input: the current file is linked through the staff-only download (the inline's
    evidence_link), not by its media URL as ClearableFileInput would."""


class QualificationCheckFormSet(forms.BaseInlineFormSet):
    """Offers a blank row for every condition not yet checked, already naming its condition."""

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        kwargs.setdefault("initial", [{"condition": condition} for condition in QualificationCheck.unchecked(instance)])
        super().__init__(*args, **kwargs)


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
    qualified_from = today_if_empty_field(_("认定日期"), _("请输入有效的日期，例如 2025-01-01。"))
    until = forms.DateField(
        label=_("认定有效期至"),
        widget=DateInput,
        error_messages={"required": _("请填写认定有效期。"), "invalid": _("请输入有效的日期，例如 2027-12-31。")},
    )
    note = forms.CharField(
        label=_("审核意见"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(OperationForm):
    reason = reason_field(_("理由"), _("请说明理由。"), _("记入资质变更记录。"))


def initial_qualify(provider):
    """认定's form starts from the provider's categories, today, and its current date when still ahead (a renewal
    keeps it); otherwise the end of the year after next."""
    today = timezone.localdate()
    until = provider.qualified_until if provider.qualified_until and provider.qualified_until >= today else None
    return {
        "categories": [category.pk for category in provider.categories.all()],
        "qualified_from": today,
        "until": until or date(today.year + 2, 12, 31),
    }
