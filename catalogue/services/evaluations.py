"""Performance evaluations of contracts: recorded, published, withdrawn, and the weights of their parts.

Rule source: a contract's result is evaluated by the purchasing body, the service recipients and a third party,
published, and used for next year's budget and choice of provider (DOMAIN.md §10; 咸政办发〔2015〕39号). The
score and grade are the model's (Evaluation.clean, catalogue/evaluation_rules.py); these services add who may
act (catalogue/permissions.py: the contract's object scope to record, finance of the contract's region to
publish, municipal finance for the weights), the locks, and the record of who did it. Publishing and withdrawing
step through EVALUATION_LIFECYCLE (catalogue/models/evaluations.py), the table the admin's buttons read. A
published result freezes its contract (Contract.is_frozen; services/contracts.py's save_contract refuses the change).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Contract, Evaluation, EvaluationWeights
from catalogue.models.evaluations import EVALUATION_LIFECYCLE
from catalogue.permissions import PUBLISH, may_act_on, may_review

from .contracts import require_contract_scope


def record_evaluation(evaluation, *, by):
    """Record (or correct, while unpublished) a contract's evaluation; the score and grade are computed."""
    if evaluation.contract_id is None:
        raise ValidationError({"contract": _("请选择要评价的合同。")})
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=evaluation.contract_id)
        require_contract_scope(by, contract)
        if evaluation.pk is not None:
            current = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
            if current.is_frozen:
                raise ValidationError(_("该评价结果已公开，不能修改；如需更正，请先撤回公开。"))
        else:
            evaluation.created_by = by
        evaluation.contract = contract
        evaluation.full_clean()
        evaluation._change_reason = _("录入评价") if evaluation.pk is None else _("修改评价")
        evaluation._history_user = by
        evaluation.save()
        return evaluation


def publish_evaluation(evaluation, *, by, published_on=None):
    """Publish a result (公开): from then on the public pages, exports and charts show it."""
    with transaction.atomic():
        locked = Evaluation.objects.select_for_update().select_related("contract").get(pk=evaluation.pk)
        if not may_act_on(by, locked.contract, PUBLISH):
            raise PermissionDenied(_("只有财政部门可以公开绩效评价结果。"))
        EVALUATION_LIFECYCLE.step(locked, Evaluation.Action.PUBLISH, by=by)
        locked.published_on = published_on or timezone.localdate()
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
        EVALUATION_LIFECYCLE.step(locked, Evaluation.Action.WITHDRAW, by=by, reason=reason.strip())
        locked.published_on = None
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
        row._history_user = by
        row.save()
        return row
