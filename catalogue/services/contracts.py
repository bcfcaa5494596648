"""Contracts and their performance evaluations: recorded, evaluated, published.

Rule source: the policy buys only catalogue items with a budget, from qualified providers, under a
written contract; the result is evaluated by the purchasing body, the service recipients and a third
party, published, and used for next year's budget and choice of provider (DOMAIN.md §10;
咸政办发〔2015〕39号). The rules themselves are on the models (Contract.clean, Evaluation.clean,
catalogue/evaluation_rules.py); these services add who may act, the locks, and the record of who
did it. Who may act: municipal finance on every contract, a county finance office on its region's,
department staff on their own body's; publishing a result is for finance (municipal, or the
contract's county), not for the body that evaluated itself.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import CatalogueItem, Contract, Evaluation, EvaluationWeights
from catalogue.permissions import CHANGE, PUBLISH, may_act_on, may_review


def _require_contract_scope(user, contract):
    if not may_act_on(user, contract, CHANGE):
        raise PermissionDenied(_("您无权录入或修改该合同（不属于您的行政区划或单位）。"))
    if contract.pk is not None and not Contract.objects.visible_to(user).filter(pk=contract.pk).exists():
        raise PermissionDenied(_("您无权修改该合同。"))


def _lock_service(item):
    """Lock the rows of the item's service (same region, year and code, every revision), so two clerks
    recording contracts against one budget at once queue up and the second sees the first's."""
    return list(
        CatalogueItem.objects.select_for_update(of=("self",))
        .filter(edition__region_id=item.edition.region_id, edition__year=item.edition.year, code=item.code)
        .order_by("pk")
    )


def save_contract(contract, *, by):
    """Record a new contract, or save a changed one, after every rule of Contract.clean (budget included)."""
    _require_contract_scope(by, contract)
    with transaction.atomic():
        if contract.item_id:
            _lock_service(contract.item)
        if contract.pk is None:
            contract.created_by = by
        elif Evaluation.objects.filter(contract_id=contract.pk, published=True).exists():
            raise ValidationError(_("该合同的绩效评价结果已公开，合同不能再修改；如需更正，请先撤回评价结果的公开。"))
        contract.full_clean()
        contract._change_reason = _("录入合同") if contract.pk is None else _("修改合同")
        contract.save()
        return contract


def record_evaluation(evaluation, *, by):
    """Record (or correct, while unpublished) a contract's evaluation; the score and grade are computed."""
    if evaluation.contract_id is None:
        raise ValidationError({"contract": _("请选择要评价的合同。")})
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=evaluation.contract_id)
        _require_contract_scope(by, contract)
        if evaluation.pk is not None:
            current = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
            if current.published:
                raise ValidationError(_("该评价结果已公开，不能修改；如需更正，请先撤回公开。"))
        else:
            evaluation.created_by = by
        evaluation.contract = contract
        evaluation.full_clean()
        evaluation._change_reason = _("录入评价") if evaluation.pk is None else _("修改评价")
        evaluation.save()
        return evaluation


def publish_evaluation(evaluation, *, by, published_on=None):
    """Publish a result (公开): from then on the public pages, exports and charts show it."""
    with transaction.atomic():
        locked = Evaluation.objects.select_for_update().select_related("contract").get(pk=evaluation.pk)
        if not may_act_on(by, locked.contract, PUBLISH):
            raise PermissionDenied(_("只有财政部门可以公开绩效评价结果。"))
        if locked.published:
            raise ValidationError(_("该评价结果已于%(date)s公开。") % {"date": locked.published_on.isoformat()})
        locked.published = True
        locked.published_on = published_on or timezone.localdate()
        locked._change_reason = _("公开评价结果")
        locked.save(update_fields=["published", "published_on", "updated_at"])
        return locked


def withdraw_evaluation(evaluation, *, by, reason):
    """Withdraw a published result (for a correction): it leaves the public pages; the history keeps why."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("撤回公开须说明理由。")})
    with transaction.atomic():
        locked = Evaluation.objects.select_for_update().select_related("contract").get(pk=evaluation.pk)
        if not may_act_on(by, locked.contract, PUBLISH):
            raise PermissionDenied(_("只有财政部门可以撤回公开的绩效评价结果。"))
        if not locked.published:
            raise ValidationError(_("该评价结果尚未公开。"))
        locked.published = False
        locked.published_on = None
        locked._change_reason = _("撤回公开：%(reason)s") % {"reason": reason.strip()}
        locked.save(update_fields=["published", "published_on", "updated_at"])
        return locked


def set_evaluation_weights(*, by, self_weight, satisfaction_weight, third_party_weight):
    """Change the weights for evaluations recorded from now on (municipal finance); they must sum to 100."""
    if not may_review(by):
        raise PermissionDenied(_("只有市财政局可以修改绩效评价权重。"))
    with transaction.atomic():
        row = EvaluationWeights.objects.select_for_update().filter(pk=EvaluationWeights.SINGLETON_PK).first()
        row = row or EvaluationWeights.current()
        row.self_weight, row.satisfaction_weight, row.third_party_weight = (
            self_weight,
            satisfaction_weight,
            third_party_weight,
        )
        row.updated_by = by
        row.full_clean()
        row._change_reason = _("修改权重")
        row.save()
        return row
