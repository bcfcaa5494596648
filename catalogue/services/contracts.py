"""Contracts: recorded and changed (their evaluations are catalogue/services/evaluations.py).

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
from django.utils.translation import gettext as _

from catalogue.models import CatalogueItem, Contract, PurchasingBody
from catalogue.permissions import CHANGE, may_act_on
from catalogue.scopes import Scope


def require_contract_scope(user, contract):
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


def keep_to_own_body(contract, by, stored=None):
    """Department staff record their own body's contracts, in that body's region (their scope is the body).

    A new contract gets the department's body (where none was given) and, when the body is theirs, its
    region; a recorded one (`stored`, as it is in the database) keeps the body and region it has. The
    admin shows both read-only and fills them in as the form opens, so its checks see them; a script's
    other body is refused by the scope check. Other roles choose both."""
    scope = Scope.of(by)
    if not scope.is_department:
        return contract
    if stored is not None:
        contract.purchasing_body_id, contract.region_id = stored.purchasing_body_id, stored.region_id
        return contract
    if contract.purchasing_body_id is None:
        contract.purchasing_body = PurchasingBody.objects.get(pk=scope.body_id)
    if contract.purchasing_body_id == scope.body_id:
        contract.region_id = contract.purchasing_body.region_id
    return contract


def save_contract(contract, *, by):
    """Record a new contract, or save a changed one, after every rule of Contract.clean (budget included);
    a department's under its own body (keep_to_own_body).

    A contract whose evaluation was published is part of that public record (Contract.is_frozen): it is
    refused, for the admin, the import and a script alike, until the result is withdrawn."""
    with transaction.atomic():
        # Read under the lock publish_evaluation also takes (it locks the evaluation with its contract).
        stored = None
        if contract.pk is not None:
            stored = Contract.objects.select_for_update().filter(pk=contract.pk).first()
        keep_to_own_body(contract, by, stored)
        require_contract_scope(by, contract)
        if contract.item_id:
            _lock_service(contract.item)
        if stored is None:
            contract.created_by = by
        elif stored.is_frozen:
            raise ValidationError(_("该合同的绩效评价结果已公开，合同不能再修改；如需更正，请先撤回评价结果的公开。"))
        contract.full_clean()
        contract._change_reason = _("录入合同") if contract.pk is None else _("修改合同")
        contract._history_user = by
        contract.save()
        return contract
