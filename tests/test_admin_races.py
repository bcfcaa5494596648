"""What a clerk's save finds when another clerk acted first: the admin re-checks the state under a row lock
before it writes, so a stale form can never undo a publish or change a frozen record."""

from datetime import date

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from catalogue.models import Catalogue, CatalogueItem, Contract, PilotItem
from catalogue.services import publish_edition, save_contract, submit_pilot_item
from tests import contract_builders as cb
from tests import factories as f
from tests.staff_builders import admin_url, demo_roles, fingerprint, item_post


def request_by(user):
    request = RequestFactory().post("/admin/")
    request.user = user
    return request


@pytest.fixture
def users():
    return demo_roles()


def test_a_stale_save_of_a_draft_edition_cannot_undo_its_publication(users):
    draft = f.edition("xianan", 2017, status=Catalogue.Status.DRAFT)
    f.item(draft, name="咸安区社区居家养老服务")
    stale = Catalogue.objects.get(pk=draft.pk)  # the county clerk's form, read before the publish
    publish_edition(draft, by=users["shicaizheng"], document_number="咸安财发〔2017〕3号", published_on=date(2017, 4, 1))
    stale.title = "咸安区2017年目录（改了标题）"
    with pytest.raises(PermissionDenied, match="已被他人处理"):
        admin.site._registry[Catalogue].save_model(request_by(users["xianan"]), stale, None, change=True)
    draft.refresh_from_db()
    assert (draft.status, draft.document_number) == (Catalogue.Status.PUBLISHED, "咸安财发〔2017〕3号")


def test_a_stale_save_of_a_pilot_item_cannot_undo_its_submission(users):
    pilot = f.pilot_item()
    stale = PilotItem.objects.get(pk=pilot.pk)
    submit_pilot_item(pilot, by=users["xianan"])
    stale.planned_budget = 1
    with pytest.raises(PermissionDenied):
        admin.site._registry[PilotItem].save_model(request_by(users["xianan"]), stale, None, change=True)
    pilot.refresh_from_db()
    assert (pilot.status, pilot.planned_budget) == (PilotItem.Status.SUBMITTED, 480000)


def test_an_item_cannot_be_changed_added_or_deleted_once_its_edition_was_published(users):
    draft = f.edition("xianan", 2017, status=Catalogue.Status.DRAFT)
    item = f.item(draft, name="咸安区社区居家养老服务")
    stale = CatalogueItem.objects.select_related("edition").get(pk=item.pk)
    publish_edition(draft, by=users["shicaizheng"], document_number="咸安财发〔2017〕3号", published_on=date(2017, 4, 1))
    item_admin = admin.site._registry[CatalogueItem]
    request = request_by(users["xianan"])
    stale.budget = 999
    with pytest.raises(PermissionDenied):
        item_admin.save_model(request, stale, None, change=True)
    with pytest.raises(PermissionDenied):
        item_admin.delete_model(request, stale)
    new = CatalogueItem(edition=stale.edition, category=f.category("C0202"), name="迟到的新事项")
    with pytest.raises(PermissionDenied):
        item_admin.save_model(request, new, None, change=False)
    assert list(CatalogueItem.objects.values_list("name", "budget")) == [("咸安区社区居家养老服务", None)]


def test_department_staff_cannot_strip_other_bodies_from_a_shared_item(client, users):
    draft = f.edition("xianning", 2017, status=Catalogue.Status.DRAFT)
    minzheng, weijian = f.purchasing_body("咸宁市民政局"), f.purchasing_body("咸宁市卫生健康委员会")
    item = f.item(draft, "C0201", "医养结合居家服务", bodies=[minzheng, weijian])
    client.force_login(users["minzheng"])
    before = fingerprint()
    response = client.post(admin_url(CatalogueItem, "change", item.pk), item_post(item, purchasing_bodies=[minzheng.pk]))
    assert response.status_code == 200
    assert "不能增加或去掉其他单位的购买主体" in response.getvalue().decode()
    assert fingerprint() == before
    response = client.post(admin_url(CatalogueItem, "change", item.pk), item_post(item, name="医养结合居家上门服务"))
    assert response.status_code == 302
    assert set(item.purchasing_bodies.values_list("name", flat=True)) == {"咸宁市民政局", "咸宁市卫生健康委员会"}


def test_the_contract_behind_a_published_evaluation_is_frozen(client):
    reviewer = cb.municipal()
    signed = cb.a_contract()
    result = cb.an_evaluation(signed)
    type(result).objects.filter(pk=result.pk).update(published=True, published_on=date(2017, 3, 1))
    other = f.provider("咸宁市乐龄社会工作服务中心", categories=("C02",))
    client.force_login(reviewer)
    page = client.get(admin_url(Contract, "change", signed.pk))
    assert page.status_code == 200 and page.context["has_change_permission"] is False
    signed.provider = other
    with pytest.raises(ValidationError, match="已公开"):
        save_contract(signed, by=reviewer)
    assert Contract.objects.get(pk=signed.pk).provider.name == "咸宁市温泉颐养园养老服务中心"
