"""Two reviewers acting on the same submission at once, on two real PostgreSQL connections."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from catalogue.models import CatalogueItem, PilotItem
from catalogue.services import approve_pilot_item, return_pilot_item, submit_pilot_item
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def wait_until_someone_waits_for_a_lock(timeout=10):
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False


def test_two_reviewers_at_once_exactly_one_succeeds():
    first, second = f.municipal("shicaizheng"), f.municipal("shicaizheng2")
    pilot = submit_pilot_item(f.pilot_item(), by=f.county())
    outcome = {}

    def second_reviewer_returns_it():
        try:
            return_pilot_item(PilotItem.objects.get(pk=pilot.pk), by=second, reason="请补充预算测算依据")
            outcome["second"] = "returned"
        except ValidationError as exc:
            outcome["second"] = exc.messages[0]
        finally:
            connections.close_all()

    with transaction.atomic():
        approve_pilot_item(pilot, by=first)
        other = threading.Thread(target=second_reviewer_returns_it)
        other.start()
        assert wait_until_someone_waits_for_a_lock(), "the second reviewer was not blocked by the row lock"
    other.join(timeout=20)

    pilot.refresh_from_db()
    assert pilot.status == PilotItem.Status.APPROVED
    assert "已通过" in outcome["second"] and "刷新" in outcome["second"]
    assert list(pilot.transitions.values_list("action", flat=True)) == ["submit", "approve"]
    assert CatalogueItem.objects.filter(is_pilot=True).count() == 1
