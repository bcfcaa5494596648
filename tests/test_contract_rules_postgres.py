"""A clerk saving a contract while finance publishes its evaluation, on two real PostgreSQL connections: the save
waits for the publish (both lock the contract's row) and then finds the contract frozen (Contract.is_frozen)."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connections, transaction

from catalogue.models import Contract
from catalogue.services import publish_evaluation, save_contract
from tests import factories as f
from tests.contract_builders import published_item, recorded_evaluation, saved_contract
from tests.test_concurrency_postgres import wait_until_someone_waits_for_a_lock

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_contract_saved_while_its_result_is_published_waits_and_is_refused():
    reviewer, clerk = f.municipal("shicaizheng"), f.municipal("shicaizheng2")
    item = published_item(budget=Decimal("1000000"))
    provider = f.provider("咸宁市阳光社会工作服务中心", categories=("C02",))
    signed = saved_contract(item, provider, reviewer, value=Decimal("100000"))
    result = recorded_evaluation(signed, reviewer, 80, 80, 80)
    stale = Contract.objects.get(pk=signed.pk)  # the clerk's form, read before the publish
    outcome = {}

    def clerk_saves_a_new_number():
        try:
            stale.number = "咸民政采〔2017〕99号"
            save_contract(stale, by=clerk)
            outcome["clerk"] = "saved"
        except ValidationError as exc:
            outcome["clerk"] = exc.messages[0]
        finally:
            connections.close_all()

    with transaction.atomic():
        publish_evaluation(result, by=reviewer)
        other = threading.Thread(target=clerk_saves_a_new_number)
        other.start()
        assert wait_until_someone_waits_for_a_lock(), "the clerk's save was not blocked by the publish"
    other.join(timeout=20)

    assert outcome["clerk"] == "该合同的绩效评价结果已公开，合同不能再修改；如需更正，请先撤回评价结果的公开。"
    assert Contract.objects.get(pk=signed.pk).number == ""
