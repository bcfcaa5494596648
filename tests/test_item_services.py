"""Items, editions and purchasing bodies written through their services, with the rules at their one home.

Each test calls the service, the permission or the model directly (never the admin), so it fails if the rule
were dropped from there: catalogue/services/items.py (save_item, delete_item), services/editions.py
(save_edition_draft), services/bodies.py (save_purchasing_body), catalogue/permissions.py
(department_bodies_refusal, may_mark_pilot, may_move_item, may_edit_item, may_record_body) and the one numbering
of item codes (catalogue.models.items.ItemCodeNumbering, read by CatalogueItem.next_code and the import's
assign_codes).
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from catalogue import permissions as p
from catalogue.imports import Lookups, assign_codes, check_rows
from catalogue.imports.rows import CHANGED, ImportRow, Mode
from catalogue.models import Catalogue, CatalogueItem, PurchasingBody
from catalogue.models.items import ItemCodeNumbering
from catalogue.services.bodies import save_purchasing_body
from catalogue.services.editions import save_edition_draft
from catalogue.services.items import delete_item, save_item
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    minzheng, weijian = f.purchasing_body("咸宁市民政局"), f.purchasing_body("咸宁市卫生健康委员会")
    return {
        "city": f.municipal(),
        "xianan": f.county("xianan", "xianan"),
        "chibi": f.county("chibi", "chibi"),
        "minzheng": f.department("minzheng", minzheng),
        "own": minzheng,
        "other": weijian,
    }


def new_item(edition, name="社区居家养老服务", category="C0201", **fields):
    return CatalogueItem(edition=edition, category=f.category(category), name=name, **fields)


# Items --------------------------------------------------------------------------------------------------------


def test_an_item_is_added_changed_and_deleted_in_a_draft(people):
    draft = f.edition("xianan", 2017, status=Catalogue.Status.DRAFT)
    body = f.purchasing_body("咸安区民政局", "xianan")
    item = save_item(new_item(draft), by=people["xianan"], purchasing_bodies=[body])
    assert item.code == "C0201-01" and list(item.purchasing_bodies.all()) == [body]
    assert item.history.first().history_user == people["xianan"]
    item.budget = 120000
    save_item(item, by=people["xianan"])
    assert list(CatalogueItem.objects.get(pk=item.pk).purchasing_bodies.all()) == [body]  # None keeps them
    delete_item(item, by=people["xianan"])
    assert not CatalogueItem.objects.filter(pk=item.pk).exists()


def test_no_item_of_a_published_edition_is_added_changed_moved_or_deleted(people):
    published = f.edition("xianan", 2016)
    item = f.item(published)
    draft = f.edition("xianan", 2017, status=Catalogue.Status.DRAFT)
    in_draft = f.item(draft)
    item.budget = 1
    for attempt in (
        lambda: save_item(item, by=people["city"]),
        lambda: delete_item(item, by=people["city"]),
        lambda: save_item(new_item(published), by=people["city"]),
    ):
        with pytest.raises(PermissionDenied, match="已被他人处理"):
            attempt()
    in_draft.edition = published  # out of a draft into a published edition: the target is locked and checked too
    with pytest.raises(PermissionDenied, match="已被他人处理"):
        save_item(in_draft, by=people["city"])
    assert CatalogueItem.objects.get(pk=item.pk).budget is None
    assert CatalogueItem.objects.get(pk=in_draft.pk).edition_id == draft.pk


def test_a_county_office_writes_only_its_own_regions_items(people):
    chibi_draft = f.edition("chibi", 2017, status=Catalogue.Status.DRAFT)
    chibi_item = f.item(chibi_draft)
    chibi_item.name = "改名"
    with pytest.raises(PermissionDenied, match="您无权修改该目录事项"):
        save_item(chibi_item, by=people["xianan"])
    with pytest.raises(PermissionDenied):
        delete_item(chibi_item, by=people["xianan"])
    with pytest.raises(PermissionDenied):
        save_item(new_item(chibi_draft), by=people["xianan"])
    assert not p.may_act_on(people["xianan"], chibi_item, p.CHANGE)
    assert p.may_act_on(people["chibi"], chibi_item, p.CHANGE)


def test_department_staff_keep_their_body_and_leave_the_others_alone(people):
    draft = f.edition("xianning", 2017, status=Catalogue.Status.DRAFT)
    own, other, staff = people["own"], people["other"], people["minzheng"]
    shared = f.item(draft, name="医养结合居家服务", bodies=[own, other])
    with pytest.raises(PermissionDenied, match="不能增加或去掉其他单位的购买主体"):
        save_item(shared, by=staff, purchasing_bodies=[own])
    with pytest.raises(PermissionDenied, match="须保留“咸宁市民政局”"):
        save_item(shared, by=staff, purchasing_bodies=[other])
    with pytest.raises(PermissionDenied, match="须保留"):
        save_item(new_item(draft), by=staff)  # a new item with no bodies is not theirs
    with pytest.raises(PermissionDenied, match="不能增加或去掉其他单位的购买主体"):
        save_item(new_item(draft), by=staff, purchasing_bodies=[own, other])
    shared.name = "医养结合居家上门服务"
    save_item(shared, by=staff, purchasing_bodies=[other, own])
    assert set(shared.purchasing_bodies.all()) == {own, other}
    assert save_item(new_item(draft, name="社区助餐"), by=staff, purchasing_bodies=[own]).pk
    other_draft = f.edition("xianning", 2018, status=Catalogue.Status.DRAFT)
    shared.edition = other_draft
    with pytest.raises(PermissionDenied, match="不能把事项移到其他目录"):
        save_item(shared, by=staff)
    assert CatalogueItem.objects.get(pk=shared.pk).edition_id == draft.pk
    shared.edition = draft
    save_item(shared, by=people["city"], purchasing_bodies=[own])  # finance is not bound by the department rule
    assert list(shared.purchasing_bodies.all()) == [own]


def test_only_municipal_finance_sets_or_changes_the_pilot_flag(people):
    draft = f.edition("xianan", 2017, status=Catalogue.Status.DRAFT)
    with pytest.raises(PermissionDenied, match="只有市财政局可以设置或改变“试点”标记"):
        save_item(new_item(draft, is_pilot=True), by=people["xianan"])
    pilot = f.item(draft, is_pilot=True)
    pilot.is_pilot = False
    with pytest.raises(PermissionDenied, match="试点"):
        save_item(pilot, by=people["xianan"])
    pilot.is_pilot, pilot.budget = True, 5000
    save_item(pilot, by=people["xianan"])  # an approved pilot item stays one when the county edits it
    assert save_item(new_item(draft, "试点事项", is_pilot=True), by=people["city"]).is_pilot


def test_the_rules_decide_the_same_for_every_caller(people):
    own, other = people["own"].pk, people["other"].pk
    staff = people["minzheng"]
    assert p.department_bodies_refusal(staff, [own, other], [own]) == p.OTHER_BODIES_CHANGED
    assert p.department_bodies_refusal(staff, [own, other], [other]) == p.OWN_BODY_MISSING
    assert p.department_bodies_refusal(staff, [], [own, other]) == p.OTHER_BODIES_CHANGED
    assert p.department_bodies_refusal(staff, [own, other], [other, own]) is None
    for finance in ("city", "xianan"):
        assert p.department_bodies_refusal(people[finance], [own, other], []) is None
    assert {name for name in ("city", "xianan", "chibi", "minzheng") if p.may_mark_pilot(people[name])} == {"city"}
    assert {name for name in ("city", "xianan", "chibi", "minzheng") if p.may_move_item(people[name])} == {
        "city",
        "xianan",
        "chibi",
    }


def test_the_import_asks_the_department_rule_for_an_item_it_updates(people):
    draft = f.edition("xianning", 2017, status=Catalogue.Status.DRAFT)
    own, other, staff = people["own"], people["other"], people["minzheng"]
    shared = f.item(draft, name="医养结合居家服务", bodies=[own, other])
    row = ImportRow(row=2, code=shared.code, category_id=shared.category_id, name=shared.name, body_ids=[own.pk],
                    procurement_method=shared.procurement_method, item_id=shared.pk, action=CHANGED)
    errors = check_rows(draft, [row], staff, Lookups(draft, staff), mode=Mode.UPDATE)
    assert [error.message for error in errors] == ["部门账号不能增加或去掉其他单位的购买主体，请联系本级财政部门。"]


# Item codes ---------------------------------------------------------------------------------------------------


def test_one_numbering_for_a_saved_item_and_for_imported_rows(people):
    numbering = ItemCodeNumbering(["C0201-01", "C0201-07", "C0201-x", "C0202-03", "C0201-01-09"])
    assert [numbering.next("C0201"), numbering.next("C0201"), numbering.next("C0203")] == [
        "C0201-08",
        "C0201-09",
        "C0203-01",
    ]
    draft = f.edition("xianan", 2017, status=Catalogue.Status.DRAFT)
    f.item(draft, code="C0201-07")
    assert CatalogueItem.next_code(draft.pk, f.category("C0201")) == "C0201-08"
    rows = [ImportRow(row=n, code="", category_id=f.category("C0201").pk, name="事项") for n in (2, 3)]
    assign_codes(rows, Lookups(draft, people["city"]))
    assert [row.code for row in rows] == ["C0201-08", "C0201-09"]


# Editions -----------------------------------------------------------------------------------------------------


def test_an_edition_draft_is_opened_by_its_regions_finance_and_stays_which_catalogue_it_is(people):
    region = f.region("xianan")
    with pytest.raises(PermissionDenied, match="您无权编制该行政区划的目录"):
        save_edition_draft(Catalogue(region=region, year=2018, title="咸安区目录"), by=people["chibi"])
    with pytest.raises(PermissionDenied):
        save_edition_draft(Catalogue(region=region, year=2018, title="咸安区目录"), by=people["minzheng"])
    draft = save_edition_draft(Catalogue(region=region, year=2018, title="咸安区目录"), by=people["xianan"])
    assert (draft.created_by, draft.is_draft) == (people["xianan"], True)
    draft.title, draft.notes = "咸安区2018年目录", "首次编制"
    save_edition_draft(draft, by=people["city"])
    assert Catalogue.objects.get(pk=draft.pk).created_by == people["xianan"]
    for name, value in (("year", 2019), ("revision", 2), ("region", f.region("chibi"))):
        stale = Catalogue.objects.get(pk=draft.pk)
        setattr(stale, name, value)
        with pytest.raises((ValidationError, PermissionDenied)):
            save_edition_draft(stale, by=people["city"])
    assert Catalogue.objects.filter(region=region, year=2018, revision=1).count() == 1


def test_a_published_edition_is_not_saved_as_a_draft(people):
    published = f.edition("xianan", 2016)
    published.notes = "改说明"
    with pytest.raises(PermissionDenied, match="已被他人处理"):
        save_edition_draft(published, by=people["city"])


# Purchasing bodies --------------------------------------------------------------------------------------------


def test_a_county_office_records_only_its_own_regions_bodies(people):
    body = PurchasingBody(name="咸安区教育局", region=f.region("xianan"), credit_code=f.credit_code("11", "421202"))
    save_purchasing_body(body, by=people["xianan"])
    elsewhere = PurchasingBody(name="赤壁市教育局", region=f.region("chibi"), credit_code=f.credit_code("11", "421281"))
    with pytest.raises(PermissionDenied, match="购买主体"):
        save_purchasing_body(elsewhere, by=people["xianan"])
    body.region = f.region("chibi")  # moving its own body away is refused too
    with pytest.raises(PermissionDenied):
        save_purchasing_body(body, by=people["xianan"])
    with pytest.raises(PermissionDenied):
        save_purchasing_body(PurchasingBody.objects.get(pk=body.pk), by=people["chibi"])
    with pytest.raises(PermissionDenied):
        save_purchasing_body(PurchasingBody.objects.get(pk=body.pk), by=people["minzheng"])
    save_purchasing_body(elsewhere, by=people["city"])
    assert PurchasingBody.objects.get(pk=body.pk).region.slug == "xianan"


def test_department_staff_count_only_their_own_bodys_items_of_an_edition(people):
    draft = f.edition("xianning", 2017, status=Catalogue.Status.DRAFT)
    f.item(draft, name="社区居家养老服务", bodies=[people["own"]])
    f.item(draft, "C0202", name="特困供养", bodies=[people["other"]])
    counts = {
        name: Catalogue.objects.with_visible_item_count(people[name]).get(pk=draft.pk).item_count
        for name in ("city", "minzheng")
    }
    assert counts == {"city": 2, "minzheng": 1}
    assert draft.region_label == "咸宁市 2017年 第1版"


def test_the_bulk_delete_goes_through_the_item_service_row_by_row(people):
    from django.contrib import admin
    from django.test import RequestFactory

    published = f.edition("xianan", 2016)
    item = f.item(published)
    request = RequestFactory().post("/admin/")
    request.user = people["xianan"]
    with pytest.raises(PermissionDenied, match="已被他人处理"):
        admin.site._registry[CatalogueItem].delete_queryset(request, CatalogueItem.objects.filter(pk=item.pk))
    assert CatalogueItem.objects.filter(pk=item.pk).exists()


def test_a_bulk_delete_refused_on_one_row_deletes_none(people):
    """删除所选 is all or nothing: the draft's item deleted before the refusal comes back with the rollback."""
    from django.contrib import admin
    from django.test import RequestFactory

    draft_item = f.item(f.edition("xianan", 2017, status=Catalogue.Status.DRAFT))
    published_item = f.item(f.edition("xianan", 2016))
    request = RequestFactory().post("/admin/")
    request.user = people["xianan"]
    rows = CatalogueItem.objects.filter(pk__in=[draft_item.pk, published_item.pk]).order_by("pk")
    with pytest.raises(PermissionDenied, match="已被他人处理"):
        admin.site.get_model_admin(CatalogueItem).delete_queryset(request, rows)
    assert CatalogueItem.objects.filter(pk__in=[draft_item.pk, published_item.pk]).count() == 2


def test_save_record_names_who_in_the_history_without_a_request(people):
    """A script has no request for django-simple-history to take the user from: the service names him."""
    from catalogue.services.records import save_record

    draft = f.edition("xianan", 2017, status=Catalogue.Status.DRAFT)
    draft.notes = "补充说明"
    save_record(draft, by=people["city"])
    assert draft.history.latest().history_user == people["city"]
    assert draft.history.latest().notes == "补充说明"
