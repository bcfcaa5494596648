"""The pilot workflow is hard to get wrong (issue 12, finding 6): an incomplete draft may be saved, a
submission may be withdrawn before review, and the admin says where an item stands."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from catalogue.models import PilotItem
from catalogue.services import approve_pilot_item, return_pilot_item, submit_pilot_item, withdraw_pilot_submission
from tests import factories as f

Status = PilotItem.Status


@pytest.fixture
def shicaizheng():
    return f.municipal()


@pytest.fixture
def xianan():
    return f.county()


def incomplete():
    return f.pilot_item(planned_budget=None, reason="", content="", negative_list_confirmed=False)


# The services ------------------------------------------------------------------------------------


def test_an_incomplete_draft_is_saved_as_far_as_it_is_written():
    pilot = incomplete()
    pilot.refresh_from_db()
    assert (pilot.status, pilot.planned_budget, pilot.reason) == (Status.DRAFT, None, "")


def test_an_incomplete_draft_cannot_be_submitted_and_is_told_what_is_missing(xianan):
    pilot = incomplete()
    with pytest.raises(ValidationError) as refused:
        submit_pilot_item(pilot, by=xianan)
    assert set(refused.value.message_dict) == {"content", "planned_budget", "reason", "negative_list_confirmed"}
    pilot.refresh_from_db()
    assert pilot.status == Status.DRAFT and not pilot.transitions.exists()


def test_a_county_office_withdraws_its_submission_before_review(xianan):
    pilot = submit_pilot_item(f.pilot_item(), by=xianan)
    pilot = withdraw_pilot_submission(pilot, by=xianan, comment="需要补充测算依据")
    assert pilot.status == Status.DRAFT
    assert list(pilot.transitions.values_list("action", "from_status", "to_status", "comment"))[-1] == (
        "withdraw",
        "SUBMITTED",
        "DRAFT",
        "需要补充测算依据",
    )
    assert submit_pilot_item(pilot, by=xianan).status == Status.SUBMITTED


@pytest.mark.parametrize("decided", ["returned", "approved"])
def test_a_submission_already_decided_cannot_be_withdrawn(xianan, shicaizheng, decided):
    pilot = submit_pilot_item(f.pilot_item(), by=xianan)
    if decided == "returned":
        return_pilot_item(pilot, by=shicaizheng, reason="请补充")
    else:
        approve_pilot_item(pilot, by=shicaizheng)
    with pytest.raises(ValidationError, match="不能撤回报送"):
        withdraw_pilot_submission(pilot, by=xianan)


@pytest.mark.parametrize("who", ["chibi", "shicaizheng", "minzheng"])
def test_only_the_county_office_that_submitted_may_withdraw(xianan, who):
    pilot = submit_pilot_item(f.pilot_item(), by=xianan)
    other = {"chibi": lambda: f.county("chibi", "chibi"), "shicaizheng": f.municipal, "minzheng": f.department}[who]()
    with pytest.raises(PermissionDenied):
        withdraw_pilot_submission(pilot, by=other)
    pilot.refresh_from_db()
    assert pilot.status == Status.SUBMITTED
