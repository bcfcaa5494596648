"""The contract rules at their one home, called directly (no admin): a published evaluation freezes its
contract (Contract.is_frozen, refused by services/contracts.save_contract); a department's contract is its
own body's, in that body's region (keep_to_own_body); a contract is evaluated once (awaiting_evaluation)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from catalogue.models import Contract
from catalogue.services import publish_evaluation, save_contract, withdraw_evaluation
from catalogue.services.contracts import keep_to_own_body
from tests import factories as f
from tests.contract_builders import contract, department, recorded_evaluation, saved_contract
from tests.test_evaluations import shicaizheng, signed  # noqa: F401  (fixtures: municipal finance; a 2017 contract, ended)

FROZEN = "该合同的绩效评价结果已公开，合同不能再修改；如需更正，请先撤回评价结果的公开。"


# A published evaluation freezes its contract ---------------------------------------------------------


def test_a_contract_is_frozen_only_while_its_evaluation_is_published(signed, shicaizheng):
    assert not signed.is_frozen
    result = recorded_evaluation(signed, shicaizheng, 80, 80, 80)
    assert not Contract.objects.get(pk=signed.pk).is_frozen
    publish_evaluation(result, by=shicaizheng, published_on=date(2018, 3, 1))
    assert Contract.objects.get(pk=signed.pk).is_frozen
    withdraw_evaluation(result, by=shicaizheng, reason="第三方得分录入有误")
    assert not Contract.objects.get(pk=signed.pk).is_frozen
    assert not Contract().is_frozen  # a contract not yet recorded has no evaluation


def test_the_service_refuses_a_change_to_a_contract_whose_result_is_public(signed, shicaizheng):
    publish_evaluation(recorded_evaluation(signed, shicaizheng, 80, 80, 80), by=shicaizheng)
    stale = Contract.objects.get(pk=signed.pk)
    stale.number = "咸民政采〔2017〕99号"
    with pytest.raises(ValidationError) as refused:
        save_contract(stale, by=shicaizheng)
    assert refused.value.messages == [FROZEN]
    assert Contract.objects.get(pk=signed.pk).number == ""


def test_the_service_reads_the_stored_state_not_the_callers_copy(signed, shicaizheng):
    """A form read before the publish still finds the contract frozen when it saves."""
    stale = Contract.objects.get(pk=signed.pk)  # read before the result is published
    publish_evaluation(recorded_evaluation(signed, shicaizheng, 80, 80, 80), by=shicaizheng)
    stale.value = Decimal("90000")
    with pytest.raises(ValidationError, match="已公开"):
        save_contract(stale, by=shicaizheng)
    assert Contract.objects.get(pk=signed.pk).value == Decimal("100000")


def test_after_the_result_is_withdrawn_the_contract_may_be_corrected(signed, shicaizheng):
    result = publish_evaluation(recorded_evaluation(signed, shicaizheng, 80, 80, 80), by=shicaizheng)
    withdraw_evaluation(result, by=shicaizheng, reason="合同编号漏填")
    corrected = Contract.objects.get(pk=signed.pk)
    corrected.number = "咸民政采〔2017〕12号"
    assert save_contract(corrected, by=shicaizheng).number == "咸民政采〔2017〕12号"


# A department records its own body's contracts, in that body's region ----------------------------------


def test_a_department_contract_gets_the_body_and_its_region_from_the_service(signed):
    minzheng = department()
    chibi = f.region("chibi")
    candidate = contract(signed.item, signed.provider, value=Decimal("1000"), purchasing_body=None, region=chibi)
    saved = save_contract(candidate, by=minzheng)
    assert (saved.purchasing_body.name, saved.region.slug, saved.created_by) == ("咸宁市民政局", "xianning", minzheng)


def test_a_department_cannot_move_its_recorded_contract_to_another_region(signed):
    minzheng = department()
    moved = Contract.objects.get(pk=signed.pk)
    moved.region = f.region("chibi")
    moved.number = "咸民政采〔2017〕12号"
    save_contract(moved, by=minzheng)
    stored = Contract.objects.get(pk=signed.pk)
    assert (stored.region.slug, stored.number) == ("xianning", "咸民政采〔2017〕12号")


def test_a_department_cannot_record_a_contract_for_another_body(signed):
    other = contract(signed.item, signed.provider, value=Decimal("1000"), purchasing_body=f.purchasing_body("咸宁市教育局"))
    with pytest.raises(PermissionDenied):
        save_contract(other, by=department())
    assert Contract.objects.count() == 1


def test_other_roles_choose_the_body_and_region_themselves(signed, shicaizheng):
    candidate = contract(signed.item, signed.provider, value=Decimal("1000"))
    candidate.region = f.region("chibi")
    assert keep_to_own_body(candidate, shicaizheng).region.slug == "chibi"


# Which contracts may be evaluated ----------------------------------------------------------------------


def test_a_contract_awaits_evaluation_until_it_has_one_and_the_evaluation_keeps_its_own(signed, shicaizheng):
    assert list(Contract.objects.awaiting_evaluation()) == [signed]
    result = recorded_evaluation(signed, shicaizheng, 80, 80, 80)
    assert not Contract.objects.awaiting_evaluation().exists()
    assert list(Contract.objects.awaiting_evaluation(keep=result.contract_id)) == [signed]


# A provider whose newest evaluation is 不合格 is flagged (⚠) beside its contracts ------------------------------


def test_contracts_are_flagged_by_their_providers_newest_grade_on_any_contract(signed, shicaizheng):
    second = saved_contract(signed.item, signed.provider, shicaizheng, value=Decimal("1000"))
    elsewhere = f.provider("咸宁市乐龄社会工作服务中心", categories=("C02",))
    other = saved_contract(signed.item, elsewhere, shicaizheng, value=Decimal("1000"))
    recorded_evaluation(signed, shicaizheng, 90, 90, 90, evaluated_on=date(2018, 1, 10))
    recorded_evaluation(other, shicaizheng, 70, 70, 70, evaluated_on=date(2018, 1, 10))
    graded = Contract.objects.with_provider_grade()
    assert not graded.provider_flagged().exists()
    recorded_evaluation(second, shicaizheng, 40, 40, 40, evaluated_on=date(2018, 2, 10))  # the newest: 不合格
    assert set(graded.provider_flagged()) == {signed, second}
    assert list(graded.provider_flagged(False)) == [other]
