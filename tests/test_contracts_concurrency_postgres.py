"""Two clerks recording contracts against one item's budget at once, on two real PostgreSQL connections."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connections, transaction

from catalogue.models import Contract, Provider
from catalogue.services import save_contract
from tests import factories as f
from tests.contract_builders import contract, published_item
from tests.test_concurrency_postgres import wait_until_someone_waits_for_a_lock

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_contracts_that_together_exceed_the_budget_cannot_both_be_recorded():
    first, second = f.municipal("shicaizheng"), f.municipal("shicaizheng2")
    item = published_item(budget=Decimal("100000"))
    provider = f.provider(categories=("C02",), qualified_from=date(2016, 1, 1))
    outcome = {}

    def second_clerk_records_60000():
        try:
            save_contract(contract(item, Provider.objects.get(pk=provider.pk), value=Decimal("60000")), by=second)
            outcome["second"] = "saved"
        except ValidationError as exc:
            outcome["second"] = exc.messages[0]
        finally:
            connections.close_all()

    with transaction.atomic():
        save_contract(contract(item, provider, value=Decimal("60000")), by=first)
        other = threading.Thread(target=second_clerk_records_60000)
        other.start()
        assert wait_until_someone_waits_for_a_lock(), "the second clerk was not blocked by the item's lock"
    other.join(timeout=20)

    assert Contract.objects.count() == 1
    assert "合同金额超出该事项的预算" in outcome["second"] and "已签订合同60,000.00元" in outcome["second"]
