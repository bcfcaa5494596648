"""The evaluation forms: the record form (which contract, three scores) and the 公开/撤回公开 operation forms.

The contracts offered are the data's: those the user may see (Contract.objects.visible_to) that have no
evaluation yet (awaiting_evaluation), and the evaluation's own. Whether a contract's period is over, and
the score and grade, are Evaluation.clean's and catalogue/evaluation_rules.py's.
"""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.models import Contract, Evaluation

from .operations import DateInput, OperationForm, reason_field, today_if_empty_field


class ContractChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, contract):
        return gettext("%(region)s %(year)s年 · %(item)s · %(provider)s · 服务期至%(end)s") % {
            "region": contract.region.name,
            "year": contract.year,
            "item": contract.item.name,
            "provider": contract.provider.name,
            "end": contract.period_end.isoformat(),
        }


class EvaluationAdminForm(forms.ModelForm):
    """The contracts offered are those in the user's scope without an evaluation (and the row's own)."""

    staff_user = None

    class Meta:
        model = Evaluation
        fields = "__all__"
        field_classes = {"contract": ContractChoiceField}
        widgets = {"evaluated_on": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        contract = self.fields.get("contract")
        if contract is not None:
            contract.queryset = (
                Contract.objects.visible_to(self.staff_user)
                .awaiting_evaluation(keep=self.instance.contract_id)
                .select_related("region", "item", "provider")
                .order_by("-period_end", "-pk")
            )
            contract.help_text = _("服务期结束后才能评价；每份合同评价一次。")


class PublishEvaluationForm(OperationForm):
    published_on = today_if_empty_field(_("公开日期"), _("请输入有效的日期，例如 2018-03-01。"))


class WithdrawEvaluationForm(OperationForm):
    reason = reason_field(_("撤回理由"), _("撤回公开须说明理由。"))
