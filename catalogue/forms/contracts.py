"""The contract form: staff pick an item in force and a provider, seeing each candidate's state and grades.

What may be chosen is the data's: the items in force within the user's scope (CatalogueItem.objects
.visible_to(user).current()) and the providers the role may see (Provider.objects.visible_to(user)),
plus whatever the contract already has, whatever has happened to it since. A department's body and
region are the service's (catalogue/services/contracts.py keep_to_own_body), filled in as the form
opens so that its checks see them. The rules of the contract itself are Contract.clean.
"""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.models import CatalogueItem, Contract, Evaluation, Provider
from catalogue.models.providers import provider_label
from catalogue.services.contracts import keep_to_own_body

FLAG_HELP = _("每个承接主体后注明资质状态和近期绩效评价等级；标有 ⚠ 的，最近一次绩效评价为不合格，请审慎选择。")


def with_current(choices, pk):
    """The choices a form offers, and the value the record already has (pk), which stays selectable."""
    if pk is None:
        return choices
    return choices | choices.model.objects.filter(pk=pk)


class ProviderChoiceField(forms.ModelChoiceField):
    """Each candidate with its state and recent grades; the grades of all candidates are read in one query."""

    _grades = None

    def label_from_instance(self, provider):
        if self._grades is None:
            self._grades = Evaluation.objects.recent_grades(self.queryset.values_list("pk", flat=True))
        return provider_label(provider, self._grades.get(provider.pk, []))


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, item):
        budget = gettext("预算%(budget)s元") % {"budget": f"{item.budget:,.2f}"} if item.budget is not None else gettext("无预算")
        return f"{item.edition.region.name} {item.edition.year}年 · {item.code} {item.name} · {budget}"


class ContractAdminForm(forms.ModelForm):
    """Knows who fills it in (`staff_user`): items are those in force within the user's scope (and the
    contract's own item), with their region, year and budget in the label."""

    staff_user = None

    class Meta:
        model = Contract
        fields = "__all__"
        field_classes = {"provider": ProviderChoiceField, "item": ItemChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and self.staff_user is not None:
            keep_to_own_body(self.instance, self.staff_user)
        item = self.fields.get("item")
        if item is not None:
            in_force = CatalogueItem.objects.visible_to(self.staff_user).current()
            item.queryset = with_current(in_force, self.instance.item_id).select_related("edition__region").order_by(
                "edition__region__order", "-edition__year", "code"
            )
        provider = self.fields.get("provider")
        if provider is not None:
            # Only providers this role may see (a department never sees a pending or suspended one), and
            # the contract's own provider, whatever has happened to it since.
            visible = Provider.objects.visible_to(self.staff_user)
            provider.queryset = with_current(visible, self.instance.provider_id).distinct().order_by("name")
            provider.help_text = FLAG_HELP
