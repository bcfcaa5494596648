"""A pilot draft is written through catalogue/services/pilots.py, whoever calls it (the admin, a script): the county
office writes its own region's items, municipal finance never rewrites one, a submitted item is not changed by a
save that raced its 报送, and only a draft may be deleted. Called here directly, not through the admin."""

import pytest
from django.core.exceptions import PermissionDenied

from catalogue import permissions
from catalogue.models import PilotItem
from catalogue.services import (
    approve_pilot_item,
    delete_pilot_draft,
    return_pilot_item,
    save_pilot_draft,
    submit_pilot_item,
)
from tests import factories as f

Status = PilotItem.Status


@pytest.fixture
def people():
    return {
        "root": f.staff_user("root"),
        "city": f.municipal(),
        "xianan": f.county("xianan", "xianan"),
        "chibi": f.county("chibi", "chibi"),
        "minzheng": f.department(),
    }


def unsaved(region_slug="xianan"):
    pilot = PilotItem(region=f.region(region_slug), fiscal_year=2017, category=f.category("C0202"), name="社区助餐")
    pilot.full_clean()
    return pilot


def test_a_new_draft_records_who_wrote_it(people):
    pilot = save_pilot_draft(unsaved(), by=people["xianan"])
    pilot.refresh_from_db()
    assert (pilot.status, pilot.created_by) == (Status.DRAFT, people["xianan"])


def test_a_county_offices_new_draft_belongs_to_its_own_region_whatever_it_named(people):
    pilot = save_pilot_draft(unsaved("chibi"), by=people["xianan"])
    pilot.refresh_from_db()
    assert pilot.region == f.region("xianan")


def test_a_superuser_may_write_any_regions_draft(people):
    assert save_pilot_draft(unsaved("chibi"), by=people["root"]).region == f.region("chibi")


@pytest.mark.parametrize("who", ["city", "minzheng"])
def test_municipal_finance_and_departments_write_no_pilot_item(people, who):
    with pytest.raises(PermissionDenied):
        save_pilot_draft(unsaved(), by=people[who])
    assert not PilotItem.objects.exists()
    pilot = f.pilot_item()
    pilot.name = "改写后的名称"
    with pytest.raises(PermissionDenied):
        save_pilot_draft(pilot, by=people[who])
    pilot.refresh_from_db()
    assert pilot.name != "改写后的名称"


def test_another_county_cannot_change_a_countys_draft(people):
    pilot = f.pilot_item()
    pilot.name = "改写后的名称"
    with pytest.raises(PermissionDenied):
        save_pilot_draft(pilot, by=people["chibi"])
    pilot.refresh_from_db()
    assert pilot.name != "改写后的名称"


def test_a_returned_item_is_the_countys_to_revise(people):
    pilot = submit_pilot_item(f.pilot_item(), by=people["xianan"])
    pilot = return_pilot_item(pilot, by=people["city"], reason="请补充测算依据")
    pilot.reason = "补充了测算依据"
    save_pilot_draft(pilot, by=people["xianan"])
    pilot.refresh_from_db()
    assert (pilot.status, pilot.reason) == (Status.RETURNED, "补充了测算依据")


def test_a_save_that_raced_the_submission_is_refused(people):
    form_copy = f.pilot_item()  # read by the form while it was a draft
    submit_pilot_item(PilotItem.objects.get(pk=form_copy.pk), by=people["xianan"])
    form_copy.name = "报送后才保存的名称"
    with pytest.raises(PermissionDenied, match="已被他人处理"):
        save_pilot_draft(form_copy, by=people["xianan"])
    form_copy.refresh_from_db()
    assert (form_copy.status, form_copy.name) == (Status.SUBMITTED, "咸安区农村特困供养机构托管")


def test_a_draft_is_deleted_by_its_county_office(people):
    pilot = f.pilot_item()
    assert pilot.is_deletable
    delete_pilot_draft(pilot, by=people["xianan"])
    assert not PilotItem.objects.exists()


@pytest.mark.parametrize("who", ["city", "chibi", "minzheng"])
def test_nobody_else_deletes_a_countys_draft(people, who):
    pilot = f.pilot_item()
    with pytest.raises(PermissionDenied):
        delete_pilot_draft(pilot, by=people[who])
    assert PilotItem.objects.filter(pk=pilot.pk).exists()


@pytest.mark.parametrize("state", ["submitted", "returned", "approved"])
def test_an_item_once_sent_is_kept_with_its_trail(people, state):
    pilot = submit_pilot_item(f.pilot_item(), by=people["xianan"])
    if state == "returned":
        pilot = return_pilot_item(pilot, by=people["city"], reason="请补充")
    elif state == "approved":
        pilot = approve_pilot_item(pilot, by=people["city"])
    assert not pilot.is_deletable
    with pytest.raises(PermissionDenied):
        delete_pilot_draft(pilot, by=people["xianan"])
    assert PilotItem.objects.get(pk=pilot.pk).transitions.exists()


def test_who_may_write_a_pilot_item_is_the_submitter(people):
    pilot = f.pilot_item()
    writers = {name for name, user in people.items() if permissions.may_act_on(user, pilot, permissions.CHANGE)}
    assert writers == {"root", "xianan"}


def test_a_bulk_deletion_takes_each_row_through_the_service(people):
    from django.contrib import admin
    from django.test import RequestFactory

    sent = submit_pilot_item(f.pilot_item(name="已报送的事项"), by=people["xianan"])
    request = RequestFactory().post("/admin/")
    request.user = people["xianan"]
    with pytest.raises(PermissionDenied):
        admin.site._registry[PilotItem].delete_queryset(request, PilotItem.objects.all())
    assert PilotItem.objects.filter(pk=sent.pk).exists()
