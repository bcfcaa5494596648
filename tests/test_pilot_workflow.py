"""The pilot workflow is hard to get wrong (issue 12, finding 6): an incomplete draft may be saved, a
submission may be withdrawn before review, and the admin says where an item stands."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from catalogue.models import CatalogueItem, Notification, PilotItem
from catalogue.services import approve_pilot_item, return_pilot_item, submit_pilot_item, withdraw_pilot_submission
from tests import factories as f
from tests.staff_builders import admin_url, demo_roles, messages_of, operation_url

Status = PilotItem.Status


def application_url(pilot):
    return reverse("admin:catalogue_pilotitem_application", args=[pilot.pk])


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


# The admin ---------------------------------------------------------------------------------------


@pytest.fixture
def users():
    return demo_roles()


def pilot_form(**overrides):
    data = {
        "fiscal_year": "2018",
        "category": f.category("C0202").pk,
        "name": "咸安区农村特困供养机构托管",
        "content": "委托专业养老机构托管乡镇福利院，提供生活照料、康复护理和安全管理。",
        "purchasing_bodies": [f.purchasing_body("咸安区民政局", "xianan").pk],
        "procurement_method": "OPEN_TENDER",
        "planned_budget": "480000",
        "provider_requirements": "",
        "performance_standard": "",
        "reason": "乡镇福利院管理力量薄弱，委托专业机构托管可提升供养质量。",
        "negative_list_confirmed": "on",
        "notes": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_a_draft_page_offers_save_and_submit_as_the_primary_button_and_says_it_is_not_submitted(client, users):
    pilot = f.pilot_item()
    client.force_login(users["xianan"])
    page = client.get(admin_url(PilotItem, "change", pilot.pk)).getvalue().decode()
    assert 'name="_submit"' in page and 'class="default pilot-save-submit"' in page and "保存并报送" in page
    assert 'name="_continue"' in page and "保存草稿" in page
    assert 'name="_save"' not in page
    banner = page[page.index('id="pilot-banner"') : page.index("</div>", page.index('id="pilot-banner"'))]
    assert "草稿，尚未报送" in banner and "保存并报送" in banner


def test_save_draft_keeps_an_incomplete_item_and_reminds_that_it_was_not_submitted(client, users):
    client.force_login(users["xianan"])
    response = client.post(
        admin_url(PilotItem, "add"),
        pilot_form(planned_budget="", reason="", negative_list_confirmed=None, _continue="保存草稿"),
        follow=True,
    )
    pilot = PilotItem.objects.get()
    assert (pilot.status, pilot.planned_budget, pilot.reason) == (Status.DRAFT, None, "")
    assert any("尚未报送" in message for message in messages_of(response))


def test_save_and_submit_saves_and_submits_in_one_go_and_tells_the_reviewer(client, users):
    client.force_login(users["xianan"])
    response = client.post(admin_url(PilotItem, "add"), pilot_form(_submit="保存并报送"), follow=True)
    pilot = PilotItem.objects.get()
    assert pilot.status == Status.SUBMITTED
    assert any("已保存并报送" in message for message in messages_of(response))
    assert Notification.objects.filter(recipient=users["shicaizheng"], target_id=pilot.pk).exists()


def test_save_and_submit_asks_for_what_a_submission_needs_on_the_fields(client, users):
    pilot = f.pilot_item(planned_budget=None, reason="")
    client.force_login(users["xianan"])
    response = client.post(
        admin_url(PilotItem, "change", pilot.pk),
        pilot_form(planned_budget="", reason="", name="改过的名字", _submit="保存并报送"),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["planned_budget"] == ["报送前请填写预算（元）。"] and errors["reason"][0].startswith("报送前请填写申报理由")
    pilot.refresh_from_db()
    assert (pilot.status, pilot.name) == (Status.DRAFT, "咸安区农村特困供养机构托管")
    assert not pilot.transitions.exists()


def test_a_returned_items_page_starts_with_the_reason(client, users):
    pilot = submit_pilot_item(f.pilot_item(), by=users["xianan"])
    return_pilot_item(pilot, by=users["shicaizheng"], reason="请补充预算测算依据")
    client.force_login(users["xianan"])
    page = client.get(admin_url(PilotItem, "change", pilot.pk)).getvalue().decode()
    banner = page.index('id="pilot-banner"')
    assert banner < page.index('<fieldset') and page.index("请补充预算测算依据") < page.index("<fieldset")
    assert "已被市财政局退回" in page


def test_a_submitted_item_may_be_withdrawn_from_its_page(client, users):
    pilot = submit_pilot_item(f.pilot_item(), by=users["xianan"])
    client.force_login(users["xianan"])
    page = client.get(admin_url(PilotItem, "change", pilot.pk)).getvalue().decode()
    assert operation_url(pilot, "withdraw") in page and "撤回报送" in page
    assert client.post(operation_url(pilot, "withdraw"), {"comment": "补充材料"}).status_code == 302
    pilot.refresh_from_db()
    assert pilot.status == Status.DRAFT
    client.force_login(users["shicaizheng"])
    assert operation_url(pilot, "withdraw") not in client.get(admin_url(PilotItem, "change", pilot.pk)).getvalue().decode()


def test_an_approved_items_page_links_to_the_catalogue_item_it_became(client, users):
    f.edition("xianan", 2017)
    pilot = approve_pilot_item(submit_pilot_item(f.pilot_item(), by=users["xianan"]), by=users["shicaizheng"])
    client.force_login(users["xianan"])
    page = client.get(admin_url(PilotItem, "change", pilot.pk)).getvalue().decode()
    banner = page[page.index('id="pilot-banner"') : page.index("<fieldset")]
    assert admin_url(CatalogueItem, "change", pilot.catalogue_item_id) in banner and "已审核通过" in banner


def test_drafts_show_no_waiting_days(client, users):
    f.pilot_item(name="草稿事项")
    submitted = submit_pilot_item(f.pilot_item(name="已报送事项"), by=users["xianan"])
    PilotItem.objects.filter(pk=submitted.pk).update(status_changed_at=timezone.now() - timedelta(days=3))
    client.force_login(users["xianan"])
    page = client.get(admin_url(PilotItem, "changelist")).getvalue().decode()
    rows = re.findall(r'<a href="[^"]+">(草稿事项|已报送事项)</a>.*?<td class="field-age">([^<]*)</td>', page, re.S)
    assert dict(rows) == {"草稿事项": "-", "已报送事项": "3 天"}


def test_the_application_form_prints_the_item_with_its_trail_for_signature_and_seal(client, users):
    pilot = submit_pilot_item(f.pilot_item(), by=users["xianan"], comment="请市局审核")
    client.force_login(users["xianan"])
    page = client.get(admin_url(PilotItem, "change", pilot.pk)).getvalue().decode()
    assert application_url(pilot) in page and "打印申报表" in page
    response = client.get(application_url(pilot))
    assert response.status_code == 200 and "private" in response["Cache-Control"]
    text = response.getvalue().decode()
    for expected in ("试点事项申报表", pilot.name, "480000.00", "请市局审核", "（盖章）", "咸宁市财政局审核意见", "css/application.css"):
        assert expected in text
    assert "<style" not in text and "<script" not in text
    client.force_login(users["chibi"])
    assert client.get(application_url(pilot)).status_code == 404
