"""The work queues are a shared read (catalogue/selectors/queues.py): each role's queue, through its scope, with the
days an item has waited as the item itself counts them (PilotItem.days_in_state) and a returned item's reason from
the step that returned it (PilotItem.current_step)."""

from datetime import timedelta

from django.utils import timezone

from catalogue.models import PilotItem
from catalogue.selectors.queues import work_queues
from catalogue.services import approve_pilot_item, return_pilot_item, submit_pilot_item, withdraw_pilot_submission
from tests import factories as f


def test_days_in_state_counts_from_the_last_change_of_state():
    pilot = f.pilot_item()
    now = timezone.now()
    assert pilot.days_in_state(now + timedelta(days=3, hours=1)) == 3  # a draft: since it was created
    PilotItem.objects.filter(pk=pilot.pk).update(status_changed_at=now + timedelta(days=2))
    pilot.refresh_from_db()
    assert pilot.days_in_state(now + timedelta(days=3, hours=1)) == 1


def test_the_current_step_is_the_one_that_brought_the_item_where_it_is():
    xianan, city = f.county(), f.municipal()
    pilot = f.pilot_item()
    assert pilot.current_step is None  # a draft never sent
    pilot = submit_pilot_item(pilot, by=xianan)
    pilot = withdraw_pilot_submission(pilot, by=xianan, comment="再改改")
    assert (pilot.current_step.action, pilot.current_step.comment) == ("withdraw", "再改改")
    pilot = submit_pilot_item(pilot, by=xianan)
    pilot = return_pilot_item(pilot, by=city, reason="请补充测算依据")
    assert (pilot.current_step.action, pilot.current_step.comment) == ("return", "请补充测算依据")
    assert pilot.is_waiting and not pilot.is_deletable


def test_municipal_finance_sees_what_waits_for_review_with_its_age():
    xianan, city = f.county(), f.municipal()
    waiting = submit_pilot_item(f.pilot_item(), by=xianan)
    approve_pilot_item(submit_pilot_item(f.pilot_item(name="已通过的事项"), by=xianan), by=city)
    PilotItem.objects.filter(pk=waiting.pk).update(status_changed_at=timezone.now() - timedelta(days=5))
    (queue,) = work_queues(city)
    assert queue.key == "review" and queue.total == 1
    assert queue.rows[0]["cells"] == [waiting.name, "咸安区", 2017, "5 天"]


def test_a_county_sees_its_own_returned_items_with_the_reason_and_not_another_countys():
    xianan, chibi, city = f.county(), f.county("chibi", "chibi"), f.municipal()
    ours = return_pilot_item(submit_pilot_item(f.pilot_item(), by=xianan), by=city, reason="请补充测算依据")
    return_pilot_item(submit_pilot_item(f.pilot_item("chibi"), by=chibi), by=city, reason="赤壁的理由")
    returned, sent = work_queues(xianan)
    assert (returned.key, returned.total, sent.key, sent.total) == ("returned", 1, "sent", 1)
    assert returned.rows[0]["cells"][:3] == [ours.name, 2017, "请补充测算依据"]


def test_a_department_sees_its_items_in_draft_editions_and_others_no_queue():
    assert [queue.key for queue in work_queues(f.department())] == ["department"]
    assert work_queues(f.staff_user("root"))[0].key == "review"
