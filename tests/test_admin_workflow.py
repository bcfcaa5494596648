"""The pilot path and the edition lifecycle, through the admin's own views, as xianan and shicaizheng."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Catalogue, CatalogueItem, PilotItem
from catalogue.services import submit_pilot_item
from tests import factories as f
from tests.staff_builders import admin_url, demo_roles, edition_post, fingerprint, item_post, messages_of, operation_url


@pytest.fixture
def users():
    return demo_roles()


@pytest.fixture
def xianan_client(client, users):
    client.force_login(users["xianan"])
    return client


def pilot_form(**overrides):
    data = {
        "fiscal_year": "2017",
        "category": f.category("C0202").pk,
        "name": "咸安区农村特困供养机构托管",
        "content": "委托专业养老机构托管乡镇福利院，提供生活照料、康复护理和安全管理。",
        "purchasing_bodies": [f.purchasing_body("咸安区民政局", "xianan").pk],
        "procurement_method": "OPEN_TENDER",
        "planned_budget": "480000",
        "provider_requirements": "依法登记的养老服务机构，具有3年以上机构养老运营经验。",
        "performance_standard": "供养人员满意度不低于90%。",
        "reason": "乡镇福利院管理力量薄弱，委托专业机构托管可提升供养质量。",
        "negative_list_confirmed": "on",
        "notes": "",
        "_save": "保存",
    }
    data.update(overrides)
    return data


def test_the_whole_pilot_path_from_draft_to_the_public_site(client, users):
    xianan, shicaizheng = users["xianan"], users["shicaizheng"]

    # 咸安区 drafts a pilot item; the region is its own, not chosen.
    client.force_login(xianan)
    assert client.get(admin_url(PilotItem, "add")).status_code == 200
    response = client.post(admin_url(PilotItem, "add"), pilot_form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    pilot = PilotItem.objects.get(name="咸安区农村特困供养机构托管")
    assert (pilot.region.slug, pilot.status, pilot.created_by) == ("xianan", PilotItem.Status.DRAFT, xianan)

    # … and submits it from its page.
    page = client.get(admin_url(PilotItem, "change", pilot.pk)).getvalue().decode()
    assert operation_url(pilot, "submit") in page
    assert client.get(operation_url(pilot, "submit")).status_code == 200
    response = client.post(operation_url(pilot, "submit"), {"comment": "请审核"}, follow=True)
    assert "已报送" in " ".join(messages_of(response))
    pilot.refresh_from_db()
    assert pilot.status == PilotItem.Status.SUBMITTED
    assert client.get(admin_url(PilotItem, "change", pilot.pk)).context["has_change_permission"] is False

    # 市财政局 finds it in its queue and returns it with a reason.
    client.force_login(shicaizheng)
    index = client.get(reverse("admin:index")).getvalue().decode()
    assert "待审核的试点事项" in index and "咸安区农村特困供养机构托管" in index and "0 天" in index
    page = client.get(admin_url(PilotItem, "change", pilot.pk)).getvalue().decode()
    assert operation_url(pilot, "approve") in page and operation_url(pilot, "return") in page
    response = client.post(operation_url(pilot, "return"), {"comment": "请补充预算测算依据"})
    assert response.status_code == 302
    pilot.refresh_from_db()
    assert pilot.status == PilotItem.Status.RETURNED

    # 咸安区 sees it returned, with the reason, revises and resubmits.
    client.force_login(xianan)
    index = client.get(reverse("admin:index")).getvalue().decode()
    assert "被退回待修改的试点事项" in index and "请补充预算测算依据" in index
    response = client.post(admin_url(PilotItem, "change", pilot.pk), pilot_form(planned_budget="450000"))
    assert response.status_code == 302
    assert client.post(operation_url(pilot, "submit"), {"comment": "已补充测算依据"}).status_code == 302

    # 市财政局 approves: it becomes a pilot item of 咸安区's 2017 draft, which it then publishes.
    client.force_login(shicaizheng)
    assert client.post(operation_url(pilot, "approve"), {"comment": "同意列入试点"}).status_code == 302
    pilot.refresh_from_db()
    item = pilot.catalogue_item
    assert pilot.status == PilotItem.Status.APPROVED
    assert (item.is_pilot, item.budget, item.edition.region.slug, item.edition.year) == (True, 450000, "xianan", 2017)
    edition = item.edition
    assert client.get(operation_url(edition, "publish")).status_code == 200
    response = client.post(
        operation_url(edition, "publish"), {"document_number": "咸安财发〔2017〕8号", "published_on": "2017-05-10"}
    )
    assert response.status_code == 302
    edition.refresh_from_db()
    assert (edition.status, edition.document_number, edition.published_on) == (
        Catalogue.Status.PUBLISHED,
        "咸安财发〔2017〕8号",
        date(2017, 5, 10),
    )

    # The trail on the pilot's page: who, when, from → to, the comments.
    page = client.get(admin_url(PilotItem, "change", pilot.pk)).getvalue().decode()
    for text in ["请审核", "请补充预算测算依据", "已补充测算依据", "同意列入试点", "已报送 → 已退回", "已报送 → 已通过"]:
        assert text in page
    assert [t.action for t in pilot.transitions.all()] == ["submit", "return", "submit", "approve"]
    assert [t.by.username for t in pilot.transitions.all()] == ["xianan", "shicaizheng", "xianan", "shicaizheng"]

    # Visible on the public site.
    client.logout()
    assert client.get(reverse("catalogue:item", args=[item.pk])).status_code == 200
    public_edition = client.get(reverse("catalogue:edition", args=[edition.pk]))
    assert public_edition.status_code == 200
    assert "咸安区农村特困供养机构托管" in public_edition.getvalue().decode()


# Bad input: a transition the state does not allow, a frozen edition, publishing without 文号 --------


def test_a_transition_not_allowed_from_the_current_state_is_refused_with_a_message(client, users):
    pilot = f.pilot_item()
    client.force_login(users["shicaizheng"])
    before = fingerprint()
    response = client.post(operation_url(pilot, "approve"), {"comment": ""}, follow=True)
    assert response.status_code == 200
    assert any("当前为“草稿”，不能通过" in message for message in messages_of(response))
    assert fingerprint() == before
    page = client.get(admin_url(PilotItem, "change", pilot.pk)).getvalue().decode()
    assert operation_url(pilot, "approve") not in page  # the button is not even offered

    submit_pilot_item(pilot, by=users["xianan"])
    client.force_login(users["xianan"])
    before = fingerprint()
    response = client.post(operation_url(pilot, "submit"), {"comment": ""}, follow=True)
    assert any("当前为“已报送”，不能报送" in message for message in messages_of(response))
    assert fingerprint() == before


def test_a_county_office_cannot_approve_its_own_submission(client, users):
    pilot = submit_pilot_item(f.pilot_item(), by=users["xianan"])
    client.force_login(users["xianan"])
    before = fingerprint()
    assert client.post(operation_url(pilot, "approve"), {"comment": ""}).status_code == 403
    assert client.get(operation_url(pilot, "return")).status_code == 403
    assert fingerprint() == before


def test_returning_without_a_reason_is_refused_on_the_field(client, users):
    pilot = submit_pilot_item(f.pilot_item(), by=users["xianan"])
    client.force_login(users["shicaizheng"])
    response = client.post(operation_url(pilot, "return"), {"comment": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["comment"] == ["退回时须填写理由，告诉报送单位需要修改什么。"]
    pilot.refresh_from_db()
    assert pilot.status == PilotItem.Status.SUBMITTED


def test_municipal_finance_reviews_but_does_not_rewrite_a_submission(client, users):
    pilot = submit_pilot_item(f.pilot_item(), by=users["xianan"])
    client.force_login(users["shicaizheng"])
    data = pilot_form(name="市里改过的名字")
    before = fingerprint()
    response = client.post(admin_url(PilotItem, "change", pilot.pk), data)
    assert response.status_code == 403
    assert fingerprint() == before


def test_an_edit_to_a_frozen_edition_is_refused(xianan_client):
    published = f.edition("xianan", 2016)
    item = f.item(published, "C0201", "咸安区社区居家养老服务")
    before = fingerprint()
    response = xianan_client.post(admin_url(Catalogue, "change", published.pk), edition_post(published, title="改标题"))
    assert response.status_code == 403
    response = xianan_client.post(admin_url(CatalogueItem, "change", item.pk), item_post(item, name="改名"))
    assert response.status_code == 403
    response = xianan_client.post(admin_url(CatalogueItem, "add"), item_post(item, code="", name="加到已发布目录"))
    assert response.status_code == 200
    assert any("选择一个有效的选项" in m for m in response.context["adminform"].form.errors["edition"])
    response = xianan_client.post(admin_url(Catalogue, "delete", published.pk), {"post": "yes"})
    assert response.status_code == 403
    assert fingerprint() == before


def test_publishing_without_a_document_number_shows_field_errors(client, users):
    draft = f.edition("xianan", 2017, status=Catalogue.Status.DRAFT)
    f.item(draft)
    client.force_login(users["shicaizheng"])
    response = client.post(operation_url(draft, "publish"), {"document_number": "  ", "published_on": ""})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["document_number"] == ["发布目录须填写文号。"]
    assert errors["published_on"] == ["发布目录须填写发布日期。"]
    assert "发布目录须填写文号。" in response.getvalue().decode()
    draft.refresh_from_db()
    assert draft.status == Catalogue.Status.DRAFT


def test_publishing_an_empty_draft_is_refused_with_the_services_message(client, users):
    draft = f.edition("xianan", 2017, status=Catalogue.Status.DRAFT)
    client.force_login(users["shicaizheng"])
    response = client.post(
        operation_url(draft, "publish"), {"document_number": "咸安财发〔2017〕8号", "published_on": "2017-05-10"}, follow=True
    )
    assert "目录中还没有事项，不能发布。" in messages_of(response)
    draft.refresh_from_db()
    assert draft.status == Catalogue.Status.DRAFT


def test_the_publish_action_takes_one_edition_and_asks_for_the_number(client, users):
    first = f.edition("xianan", 2017, status=Catalogue.Status.DRAFT)
    second = f.edition("chibi", 2017, status=Catalogue.Status.DRAFT)
    f.item(first)
    client.force_login(users["shicaizheng"])
    url = admin_url(Catalogue, "changelist")
    response = client.post(url, {"action": "do_publish", "_selected_action": [first.pk, second.pk]}, follow=True)
    assert "“发布”一次只能选择一条记录。" in messages_of(response)
    page = client.post(url, {"action": "do_publish", "_selected_action": [first.pk]})
    assert page.status_code == 200 and "文号" in page.getvalue().decode()
    response = client.post(
        url,
        {
            "action": "do_publish",
            "_selected_action": [first.pk],
            "apply": "1",
            "document_number": "咸安财发〔2017〕8号",
            "published_on": "2017-05-10",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == Catalogue.Status.PUBLISHED


def test_withdrawing_asks_a_reason_and_takes_the_edition_off_the_public_site(client, users):
    edition = f.edition("xianan", 2016)
    f.item(edition)
    client.force_login(users["shicaizheng"])
    response = client.post(operation_url(edition, "withdraw"), {"reason": ""})
    assert response.context["form"].errors["reason"] == ["撤回目录须说明理由。"]
    assert client.post(operation_url(edition, "withdraw"), {"reason": "文号有误，重新印发"}).status_code == 302
    edition.refresh_from_db()
    assert edition.status == Catalogue.Status.WITHDRAWN
    assert edition.history.first().history_change_reason == "文号有误，重新印发"
    client.logout()
    assert client.get(reverse("catalogue:edition", args=[edition.pk])).status_code == 404


def test_a_correction_and_next_years_catalogue_open_as_drafts(xianan_client):
    edition = f.edition("xianan", 2016)
    f.item(edition)
    response = xianan_client.post(operation_url(edition, "revise"))
    revision = Catalogue.objects.get(region__slug="xianan", year=2016, revision=2)
    assert response.url == admin_url(Catalogue, "change", revision.pk)
    assert (revision.status, revision.items.count()) == (Catalogue.Status.DRAFT, 1)

    response = xianan_client.post(operation_url(edition, "next-year"), {"year": "2014"})
    assert response.context["form"].errors["year"] == ["目录年度不能早于2015年。"]
    assert xianan_client.post(operation_url(edition, "next-year"), {"year": "2017"}).status_code == 302
    next_year = Catalogue.objects.get(region__slug="xianan", year=2017)
    assert (next_year.status, next_year.items.count()) == (Catalogue.Status.DRAFT, 1)
    response = xianan_client.post(operation_url(edition, "next-year"), {"year": "2017"}, follow=True)
    assert "咸安区2017年的目录已经存在。" in messages_of(response)


def test_bulk_review_reports_each_success_and_failure(client, users):
    ready = [submit_pilot_item(f.pilot_item(name=f"咸安试点{n}"), by=users["xianan"]) for n in range(2)]
    draft = f.pilot_item(name="咸安草稿")
    client.force_login(users["shicaizheng"])
    response = client.post(
        admin_url(PilotItem, "changelist"),
        {"action": "do_approve", "_selected_action": [p.pk for p in ready] + [draft.pk]},
        follow=True,
    )
    messages = messages_of(response)
    assert any("“通过”成功 2 条" in m for m in messages)
    assert any("咸安草稿" in m and "不能通过" in m for m in messages)
    statuses = dict(PilotItem.objects.values_list("name", "status"))
    assert statuses == {"咸安试点0": "APPROVED", "咸安试点1": "APPROVED", "咸安草稿": "DRAFT"}


def test_bulk_return_asks_one_reason_for_all(client, users):
    ready = [submit_pilot_item(f.pilot_item(name=f"咸安试点{n}"), by=users["xianan"]) for n in range(2)]
    client.force_login(users["shicaizheng"])
    url = admin_url(PilotItem, "changelist")
    selected = [p.pk for p in ready]
    page = client.post(url, {"action": "do_return", "_selected_action": selected})
    assert page.status_code == 200 and "退回理由" in page.getvalue().decode()
    response = client.post(url, {"action": "do_return", "_selected_action": selected, "apply": "1", "comment": ""})
    assert response.context["form"].errors["comment"]
    client.post(url, {"action": "do_return", "_selected_action": selected, "apply": "1", "comment": "请补充绩效目标"})
    assert set(PilotItem.objects.values_list("status", flat=True)) == {"RETURNED"}


def test_pilot_changelist_shows_status_age_region_and_year(client, users):
    pilot = submit_pilot_item(f.pilot_item(), by=users["xianan"])
    PilotItem.objects.filter(pk=pilot.pk).update(status_changed_at=timezone.now() - timedelta(days=12))
    client.force_login(users["shicaizheng"])
    page = client.get(admin_url(PilotItem, "changelist")).getvalue().decode()
    for text in ["已报送", "12 天", "咸安区", "2017"]:
        assert text in page
    index = client.get(reverse("admin:index")).getvalue().decode()
    assert "12 天" in index


def test_the_oldest_submission_heads_the_review_queue(client, users):
    newer = submit_pilot_item(f.pilot_item(name="较新的报送"), by=users["xianan"])
    older = submit_pilot_item(f.pilot_item("chibi", name="较早的报送"), by=users["chibi"])
    PilotItem.objects.filter(pk=older.pk).update(status_changed_at=timezone.now() - timedelta(days=30))
    PilotItem.objects.filter(pk=newer.pk).update(status_changed_at=timezone.now() - timedelta(days=2))
    client.force_login(users["shicaizheng"])
    page = client.get(reverse("admin:index")).getvalue().decode()
    assert page.index("较早的报送") < page.index("较新的报送")


def test_department_staff_see_their_draft_items_on_the_front_page(client, users):
    civil = f.purchasing_body("咸宁市民政局")
    draft = f.edition(year=2017, status=Catalogue.Status.DRAFT)
    f.item(draft, "C0201", "市民政局草稿事项", bodies=[civil])
    f.item(draft, "B0201", "市人社局草稿事项", bodies=[f.purchasing_body("咸宁市人力资源和社会保障局")])
    f.item(f.edition(year=2016), "C0202", "市民政局已发布事项", bodies=[civil])
    client.force_login(users["minzheng"])
    page = client.get(reverse("admin:index")).getvalue().decode()
    assert "市民政局草稿事项" in page
    assert "市人社局草稿事项" not in page and "市民政局已发布事项" not in page


def test_history_pages_are_readable_and_never_revert(client, users):
    pilot = f.pilot_item()
    client.force_login(users["xianan"])
    client.post(admin_url(PilotItem, "change", pilot.pk), pilot_form(name="改过名的试点"))
    assert client.get(admin_url(PilotItem, "history", pilot.pk)).status_code == 200
    first = pilot.history.earliest("history_date")
    url = admin_url(PilotItem, "simple_history", pilot.pk, first.history_id)
    assert client.get(url).status_code == 200
    assert client.post(url, pilot_form()).status_code == 403
    pilot.refresh_from_db()
    assert pilot.name == "改过名的试点"


def test_a_county_office_edits_its_draft_edition_with_the_items_inline(xianan_client):
    draft = f.edition("xianan", 2017, status=Catalogue.Status.DRAFT)
    body = f.purchasing_body("咸安区民政局", "xianan")
    item = f.item(draft, "C0201", "咸安区社区居家养老服务", bodies=[body])
    page = xianan_client.get(admin_url(Catalogue, "change", draft.pk))
    formset = page.context["inline_admin_formsets"][0]
    assert formset.has_change_permission and "is_pilot" not in formset.formset.forms[0].fields
    data = edition_post(draft, title="咸安区2017年目录（征求意见稿）")
    data.update(
        {
            "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "1",
            "items-0-id": item.pk,
            "items-0-edition": draft.pk,
            "items-0-code": item.code,
            "items-0-category": item.category_id,
            "items-0-name": "咸安区社区居家养老服务（扩面）",
            "items-0-purchasing_bodies": [body.pk],
            "items-0-procurement_method": "OPEN_TENDER",
            "items-0-budget": "",
            "items-1-edition": draft.pk,
            "items-1-code": "",
            "items-1-category": f.category("G0101").pk,
            "items-1-name": "咸安区残疾儿童康复训练",
            "items-1-purchasing_bodies": [body.pk],
            "items-1-procurement_method": "COMPETITIVE_CONSULTATION",
            "items-1-budget": "80000",
        }
    )
    response = xianan_client.post(admin_url(Catalogue, "change", draft.pk), data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    assert sorted(draft.items.values_list("name", flat=True)) == ["咸安区残疾儿童康复训练", "咸安区社区居家养老服务（扩面）"]
    # A forged body of another county on an inline row is refused on that row, nothing saved.
    data["items-1-purchasing_bodies"] = [f.purchasing_body("赤壁市民政局", "chibi").pk]
    data["items-1-name"] = "咸安区残疾人居家托养"
    data["items-INITIAL_FORMS"] = "1"
    before = fingerprint()
    response = xianan_client.post(admin_url(Catalogue, "change", draft.pk), data)
    assert response.status_code == 200
    assert "purchasing_bodies" in response.context["inline_admin_formsets"][0].formset.errors[1]
    assert fingerprint() == before
