"""Each demo role tries every other scope's records by every admin route: zero leaks, nothing written.

The world: editions (one published, one draft) with items in 咸宁市 (市本级), 咸安区 and 赤壁市,
purchasing bodies in each, and pilot items from both counties. Each of shicaizheng (municipal
finance), xianan and chibi (county offices) and minzheng (department staff, 咸宁市民政局) tries
the records outside its scope through: the changelist, the change view (GET and a valid POST), the
delete view (GET and POST), the history and per-version history pages (GET and POST), autocomplete,
the bulk delete, export and operation actions with forged ids, and the operation pages (发布, 撤回,
报送, 通过, 退回 …). Every attempt must end in 403 / 404 / absence, with the database unchanged.

Which records lie outside a scope is written out here by region and body (not derived from
visible_to, which is what is under test). ATTEMPTS counts the attempts; the module prints the total.
The positive controls at the end prove the same payloads do write within the scope, so a refusal
here is the scope's doing, not a broken payload.
"""

import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from catalogue.models import Catalogue, CatalogueItem, PilotItem, Provider, PurchasingBody, Region, ServiceCategory
from catalogue.services import return_pilot_item, submit_pilot_item
from tests import factories as f
from tests.scope_probe import ROLES, Attempts, common_routes, refused
from tests.staff_builders import (
    admin_url,
    body_post,
    demo_roles,
    edition_post,
    fingerprint,
    item_post,
    operation_url,
    pilot_post,
)

User = get_user_model()

ATTEMPTS = Counter()


@pytest.fixture(scope="module", autouse=True)
def _report_attempts():
    yield
    print(f"\n[test_admin_scope] leak attempts: {sum(ATTEMPTS.values())} ({dict(sorted(ATTEMPTS.items()))})")


# The world -----------------------------------------------------------------------------------------


@pytest.fixture
def world():
    users = demo_roles()
    users["admin"] = f.staff_user("admin")
    bodies = {
        "city_civil": f.purchasing_body("咸宁市民政局"),
        "city_hr": f.purchasing_body("咸宁市人力资源和社会保障局"),
        "xianan_civil": f.purchasing_body("咸安区民政局", "xianan"),
        "chibi_civil": f.purchasing_body("赤壁市民政局", "chibi"),
    }
    editions, items = {}, {}
    for slug, prefix, body in [
        ("xianning", "市本级", bodies["city_civil"]),
        ("xianan", "咸安", bodies["xianan_civil"]),
        ("chibi", "赤壁", bodies["chibi_civil"]),
    ]:
        published = f.edition(slug, 2016)
        draft = f.edition(slug, 2017, status=Catalogue.Status.DRAFT)
        editions[f"{slug}_published"], editions[f"{slug}_draft"] = published, draft
        items[f"{slug}_published"] = f.item(published, "C0201", f"{prefix}已发布居家养老项", bodies=[body])
        items[f"{slug}_draft"] = f.item(draft, "C0202", f"{prefix}草稿特困托管项", bodies=[body])
    items["xianning_draft_hr"] = f.item(
        editions["xianning_draft"], "B0201", "市本级草稿创业培训项", bodies=[bodies["city_hr"]]
    )
    pilots = {
        "xianan_draft": f.pilot_item("xianan", name="咸安试点草稿托管项"),
        "xianan_submitted": f.pilot_item("xianan", name="咸安试点已报送项"),
        "chibi_draft": f.pilot_item("chibi", name="赤壁试点草稿托管项"),
        "chibi_submitted": f.pilot_item("chibi", name="赤壁试点已报送项"),
        "chibi_returned": f.pilot_item("chibi", name="赤壁试点已退回项"),
    }
    for key in ["xianan_submitted", "chibi_submitted", "chibi_returned"]:
        region = "xianan" if key.startswith("xianan") else "chibi"
        pilots[key] = submit_pilot_item(pilots[key], by=users[region])
    pilots["chibi_returned"] = return_pilot_item(pilots["chibi_returned"], by=users["shicaizheng"], reason="请补充预算测算依据")
    pilots["xianan_draft"].purchasing_bodies.set([bodies["xianan_civil"]])
    pilots["chibi_draft"].purchasing_bodies.set([bodies["chibi_civil"]])
    users["shicaizheng2"] = f.municipal("shicaizheng2")
    return {"users": users, "bodies": bodies, "editions": editions, "items": items, "pilots": pilots}


def outside(world, username):
    """The records outside a user's scope, by model: written out by region and body."""
    regions_of = {"xianan": {"xianan"}, "chibi": {"chibi"}}
    users = world["users"]
    if username == "shicaizheng":
        # Municipal finance sees every region; only the superuser's account is beyond it.
        return {User: [users["admin"]]}
    if username in regions_of:
        own = regions_of[username]
        return {
            Catalogue: [e for e in world["editions"].values() if e.region.slug not in own],
            CatalogueItem: [i for i in world["items"].values() if i.edition.region.slug not in own],
            PilotItem: [p for p in world["pilots"].values() if p.region.slug not in own],
            PurchasingBody: [b for b in world["bodies"].values() if b.region.slug not in own],
            User: [users[name] for name in ("admin", "shicaizheng", "chibi" if username == "xianan" else "xianan")],
        }
    # minzheng: the items 咸宁市民政局 buys; the editions of its own region (read-only).
    civil = world["bodies"]["city_civil"]
    return {
        Catalogue: [e for e in world["editions"].values() if e.region.slug != "xianning"],
        CatalogueItem: [i for i in world["items"].values() if civil not in i.purchasing_bodies.all()],
        PilotItem: list(world["pilots"].values()),
        PurchasingBody: [b for b in world["bodies"].values() if b != civil],
        User: [users["admin"], users["shicaizheng"], users["xianan"]],
    }


def text_of(obj):
    return {
        Catalogue: lambda e: e.title,
        CatalogueItem: lambda i: i.name,
        PilotItem: lambda p: p.name,
        PurchasingBody: lambda b: b.name,
        User: lambda u: f"{u.username}@" if u.username == "admin" else u.username,
    }[type(obj)](obj)


PUBLISH = {"document_number": "咸财综发〔2017〕99号", "published_on": "2017-06-01"}
EDITION_OPERATIONS = {"publish": PUBLISH, "withdraw": {"reason": "测试撤回"}, "revise": {}, "next-year": {"year": "2019"}}
PILOT_OPERATIONS = {"submit": {"comment": ""}, "approve": {"comment": "同意"}, "return": {"comment": "请修改"}}

@pytest.fixture
def attempts(client, world, request):
    username = request.node.callspec.params["username"]
    client.force_login(world["users"][username])
    probe = Attempts(client, username, counter=ATTEMPTS, snapshot=fingerprint, describe=text_of)
    return probe, outside(world, username)


@pytest.mark.parametrize("username", ROLES)
def test_no_role_reaches_another_scopes_editions(attempts, username):
    probe, foreign = attempts
    for edition in foreign.get(Catalogue, []):
        common_routes(probe, edition, edition_post(edition, title="篡改的标题"))
        probe.autocomplete(edition, "catalogueitem", "edition", edition.region.name)
        for name, data in EDITION_OPERATIONS.items():
            probe.operation(edition, name, **data)
            probe.bulk(edition, f"do_{name}", **data)
    assert username == "shicaizheng" or foreign[Catalogue]


@pytest.mark.parametrize("username", ROLES)
def test_no_role_reaches_another_scopes_items(attempts, username):
    probe, foreign = attempts
    for item in foreign.get(CatalogueItem, []):
        common_routes(probe, item, item_post(item, name="篡改的事项"))
    assert username == "shicaizheng" or foreign[CatalogueItem]


@pytest.mark.parametrize("username", ROLES)
def test_no_role_reaches_another_scopes_pilot_items(attempts, username):
    probe, foreign = attempts
    for pilot in foreign.get(PilotItem, []):
        common_routes(probe, pilot, pilot_post(pilot, name="篡改的试点"))
        for name, data in PILOT_OPERATIONS.items():
            probe.operation(pilot, name, **data)
            probe.bulk(pilot, f"do_{name}", **data)
    assert username == "shicaizheng" or foreign[PilotItem]


@pytest.mark.parametrize("username", ROLES)
def test_no_role_reaches_another_scopes_purchasing_bodies(attempts, username):
    probe, foreign = attempts
    for body in foreign.get(PurchasingBody, []):
        common_routes(probe, body, body_post(body, short_name="篡改"))
        for model_name, field_name in [
            ("catalogueitem", "purchasing_bodies"),
            ("pilotitem", "purchasing_bodies"),
            ("purchasingbody", "parent"),
            ("staffprofile", "purchasing_body"),
        ]:
            probe.autocomplete(body, model_name, field_name, body.name[:3])
    assert username == "shicaizheng" or foreign[PurchasingBody]


@pytest.mark.parametrize("username", ROLES)
def test_no_role_reaches_accounts_beyond_it(attempts, username):
    probe, foreign = attempts
    for account in foreign[User]:
        payload = {
            "username": account.username,
            "is_active": "",
            "is_superuser": "on",
            "_save": "保存",
            "staff_profile-TOTAL_FORMS": "0",
            "staff_profile-INITIAL_FORMS": "0",
        }
        common_routes(probe, account, payload)
        url = reverse("admin:auth_user_password_change", args=[account.pk])
        refused(probe.run("password GET", account, lambda: probe.client.get(url)), f"{username} GET {url}")
        new_password = {"password1": "taken-over-2015", "password2": "taken-over-2015", "usable_password": "true"}
        refused(probe.run("password POST", account, lambda: probe.client.post(url, new_password)), f"{username} POST {url}")
    assert foreign[User]


# Shared reference data: every role reads it, only municipal finance changes it ----------------------


REFERENCE = [
    (Region, lambda: Region.objects.get(slug="chibi"), {"name": "赤壁", "code": "421281", "slug": "chibi", "level": "COUNTY_CITY", "order": "9"}),
    (ServiceCategory, lambda: ServiceCategory.objects.get(code="C0201"), {"code": "C0201", "name": "篡改的类别", "parent": "", "order": "1", "introduced_in": "2015"}),
    (Provider, lambda: f.provider(), {"name": "篡改的承接主体", "kind": "ENTERPRISE"}),
]


@pytest.mark.parametrize("username", ["xianan", "chibi", "minzheng"])
@pytest.mark.parametrize("model, get, payload", REFERENCE, ids=["region", "category", "provider"])
def test_county_and_department_staff_read_but_cannot_change_reference_data(
    client, world, username, model, get, payload
):
    client.force_login(world["users"][username])
    obj = get()
    probe = Attempts(client, username, counter=ATTEMPTS, snapshot=fingerprint, describe=text_of)
    assert client.get(admin_url(model, "change", obj.pk)).status_code == 200
    url = admin_url(model, "change", obj.pk)
    response = probe.run("reference change POST", obj, lambda: client.post(url, {**payload, "_save": "保存"}))
    assert response.status_code == 403
    response = probe.run("reference delete POST", obj, lambda: client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}))
    assert response.status_code == 403
    response = probe.run("reference add POST", obj, lambda: client.post(admin_url(model, "add"), payload))
    assert response.status_code == 403


# Forged foreign keys: a valid form pointing at another scope's edition or body ----------------------


def field_errors(response, field):
    return [str(m) for m in response.context["adminform"].form.errors.get(field, [])]


def test_county_office_cannot_add_an_item_to_another_countys_draft(client, world):
    client.force_login(world["users"]["xianan"])
    mine = world["items"]["xianan_draft"]
    before = fingerprint()
    ATTEMPTS["forged edition"] += 1
    payload = item_post(mine, code="", name="伪造到赤壁的事项", edition=world["editions"]["chibi_draft"].pk)
    response = client.post(admin_url(CatalogueItem, "add"), payload)
    assert response.status_code == 200
    assert any("选择一个有效的选项" in message for message in field_errors(response, "edition"))
    assert fingerprint() == before


def test_county_office_cannot_give_its_item_another_countys_body(client, world):
    client.force_login(world["users"]["xianan"])
    mine = world["items"]["xianan_draft"]
    before = fingerprint()
    ATTEMPTS["forged body"] += 1
    foreign_body = world["bodies"]["chibi_civil"]
    response = client.post(
        admin_url(CatalogueItem, "change", mine.pk), item_post(mine, purchasing_bodies=[foreign_body.pk])
    )
    assert response.status_code == 200
    assert any("选择一个有效的选项" in message for message in field_errors(response, "purchasing_bodies"))
    assert fingerprint() == before


def test_county_office_cannot_propose_a_pilot_for_another_county(client, world):
    client.force_login(world["users"]["xianan"])
    template = world["pilots"]["xianan_draft"]
    ATTEMPTS["forged pilot region"] += 1
    payload = pilot_post(template, name="伪造的赤壁试点", region=f.region("chibi").pk, purchasing_bodies=[])
    response = client.post(admin_url(PilotItem, "add"), payload)
    assert response.status_code == 302
    created = PilotItem.objects.get(name="伪造的赤壁试点")
    assert created.region.slug == "xianan"  # the region is the county's own, whatever the POST said
    ATTEMPTS["forged pilot body"] += 1
    before = fingerprint()
    payload = pilot_post(template, name="伪造主体的试点", purchasing_bodies=[world["bodies"]["chibi_civil"].pk])
    response = client.post(admin_url(PilotItem, "add"), payload)
    assert any("选择一个有效的选项" in message for message in field_errors(response, "purchasing_bodies"))
    assert fingerprint() == before


def test_county_office_creates_editions_and_bodies_only_in_its_own_region(client, world):
    client.force_login(world["users"]["xianan"])
    chibi = f.region("chibi")
    ATTEMPTS["forged edition region"] += 1
    response = client.post(
        admin_url(Catalogue, "add"),
        edition_post(world["editions"]["xianan_draft"], region=chibi.pk, year="2019", title="伪造的赤壁目录", status="PUBLISHED"),
    )
    assert response.status_code == 302
    created = Catalogue.objects.get(title="伪造的赤壁目录")
    assert (created.region.slug, created.status) == ("xianan", Catalogue.Status.DRAFT)
    ATTEMPTS["forged body region"] += 1
    body = PurchasingBody(name="伪造的赤壁市教育局", region=chibi, credit_code=f.credit_code("11", "421281"))
    response = client.post(admin_url(PurchasingBody, "add"), body_post(body))
    assert response.status_code == 302
    assert PurchasingBody.objects.get(name="伪造的赤壁市教育局").region.slug == "xianan"


def test_department_staff_must_keep_their_own_body_on_an_item(client, world):
    client.force_login(world["users"]["minzheng"])
    item = world["items"]["xianning_draft"]
    before = fingerprint()
    ATTEMPTS["department drops its body"] += 1
    response = client.post(
        admin_url(CatalogueItem, "change", item.pk),
        item_post(item, purchasing_bodies=[], edition=world["editions"]["xianan_draft"].pk),
    )
    assert response.status_code == 200
    assert field_errors(response, "purchasing_bodies") == ["部门账号只能维护本单位购买的事项：购买主体中须保留“咸宁市民政局”。"]
    assert fingerprint() == before


def test_department_staff_cannot_change_items_of_published_editions(client, world):
    client.force_login(world["users"]["minzheng"])
    item = world["items"]["xianning_published"]
    assert client.get(admin_url(CatalogueItem, "change", item.pk)).status_code == 200  # its own body's: readable
    before = fingerprint()
    ATTEMPTS["department edits a frozen item"] += 1
    assert client.post(admin_url(CatalogueItem, "change", item.pk), item_post(item, name="改名")).status_code == 403
    assert fingerprint() == before


def test_county_office_cannot_publish_or_withdraw_even_its_own_editions(client, world):
    client.force_login(world["users"]["xianan"])
    draft, published = world["editions"]["xianan_draft"], world["editions"]["xianan_published"]
    page = client.get(admin_url(Catalogue, "change", draft.pk)).getvalue().decode()
    assert operation_url(draft, "publish") not in page
    actions = dict(client.get(admin_url(Catalogue, "changelist")).context["action_form"].fields["action"].choices)
    assert "do_publish" not in actions and "do_withdraw" not in actions and "do_revise" in actions
    before = fingerprint()
    for edition, name, data in [(draft, "publish", PUBLISH), (published, "withdraw", {"reason": "自行撤回"})]:
        ATTEMPTS[f"county {name} of its own"] += 2
        assert client.post(operation_url(edition, name), data).status_code == 403
        response = client.post(
            admin_url(Catalogue, "changelist"),
            {"action": f"do_{name}", "_selected_action": [edition.pk], "apply": "1", **data},
        )
        assert response.status_code == 302
    assert fingerprint() == before


# Positive controls: the same routes and payloads do work within the scope ---------------------------


def test_the_payloads_write_within_the_scope(client, world):
    """If these failed, the refusals above would prove nothing."""
    users, items, pilots = world["users"], world["items"], world["pilots"]

    client.force_login(users["xianan"])
    item = items["xianan_draft"]
    assert client.post(admin_url(CatalogueItem, "change", item.pk), item_post(item, name="咸安改名项")).status_code == 302
    pilot = pilots["xianan_draft"]
    assert client.post(admin_url(PilotItem, "change", pilot.pk), pilot_post(pilot, name="咸安改名试点")).status_code == 302
    body = world["bodies"]["xianan_civil"]
    assert client.post(admin_url(PurchasingBody, "change", body.pk), body_post(body, short_name="区民政局")).status_code == 302
    edition = world["editions"]["xianan_draft"]
    assert client.post(admin_url(Catalogue, "change", edition.pk), edition_post(edition, title="咸安改名目录")).status_code == 302
    assert client.get(admin_url(CatalogueItem, "simple_history", item.pk, item.history.latest().history_id)).status_code == 200
    offered = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "catalogue", "model_name": "catalogueitem", "field_name": "purchasing_bodies", "term": "民政"},
    ).json()["results"]
    assert [result["text"] for result in offered] == ["咸安区民政局"]

    client.force_login(users["minzheng"])
    mine = items["xianning_draft"]
    assert client.post(admin_url(CatalogueItem, "change", mine.pk), item_post(mine, name="民政改名项")).status_code == 302

    client.force_login(users["shicaizheng"])
    county = users["xianan"]
    response = client.post(
        admin_url(User, "change", county.pk),
        {
            "username": "xianan",
            "last_name": "咸安区",
            "first_name": "财政局",
            "email": "",
            "is_active": "on",
            "_save": "保存",
            "staff_profile-TOTAL_FORMS": "1",
            "staff_profile-INITIAL_FORMS": "1",
            "staff_profile-MIN_NUM_FORMS": "1",
            "staff_profile-MAX_NUM_FORMS": "1",
            "staff_profile-0-id": county.staff_profile.pk,
            "staff_profile-0-user": county.pk,
            "staff_profile-0-role": "COUNTY_FINANCE",
            "staff_profile-0-region": f.region("xianan").pk,
            "staff_profile-0-purchasing_body": "",
        },
    )
    assert response.status_code == 302

    assert CatalogueItem.objects.get(pk=item.pk).name == "咸安改名项"
    assert PilotItem.objects.get(pk=pilot.pk).name == "咸安改名试点"
    assert PurchasingBody.objects.get(pk=body.pk).short_name == "区民政局"
    assert Catalogue.objects.get(pk=edition.pk).title == "咸安改名目录"
    assert CatalogueItem.objects.get(pk=mine.pk).name == "民政改名项"
    assert User.objects.get(pk=county.pk).last_name == "咸安区"


def test_bulk_delete_and_export_act_on_rows_within_the_scope(client, world):
    client.force_login(world["users"]["xianan"])
    mine, theirs = world["items"]["xianan_draft"], world["items"]["chibi_draft"]
    response = client.post(
        admin_url(CatalogueItem, "changelist"),
        {"action": "export_selected_xlsx", "_selected_action": [mine.pk, theirs.pk]},
    )
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    header = [cell.value for cell in sheet[1]]
    names = [row[header.index("事项名称")].value for row in sheet.iter_rows(min_row=2)]
    assert names == [mine.name]
    response = client.post(
        admin_url(CatalogueItem, "changelist"),
        {"action": "delete_selected", "_selected_action": [mine.pk, theirs.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not CatalogueItem.objects.filter(pk=mine.pk).exists()
    assert CatalogueItem.objects.filter(pk=theirs.pk).exists()


def test_municipal_finance_sees_every_region_and_its_queue(client, world):
    client.force_login(world["users"]["shicaizheng"])
    response = client.get(admin_url(CatalogueItem, "changelist"))
    assert {item.pk for item in response.context["cl"].result_list} == {i.pk for i in world["items"].values()}
    page = client.get(reverse("admin:index")).getvalue().decode()
    assert "赤壁试点已报送项" in page and "咸安试点已报送项" in page
    assert "赤壁试点草稿托管项" not in page  # drafts are the county's own until submitted


def test_a_non_numeric_or_unknown_id_is_a_normal_404(client, world):
    client.force_login(world["users"]["xianan"])
    for url in [
        "/admin/catalogue/catalogueitem/abc/change/",
        "/admin/catalogue/catalogueitem/999999/history/",
        "/admin/catalogue/catalogueitem/abc/history/",
        f"/admin/catalogue/catalogueitem/{world['items']['xianan_draft'].pk}/history/abc/",
        "/admin/catalogue/pilotitem/999999/do/submit/",
        f"/admin/catalogue/pilotitem/{world['pilots']['xianan_draft'].pk}/do/unknown/",
    ]:
        assert client.get(url).status_code == 404, url


def test_export_writes_the_official_columns_as_inert_text(client, world):
    item = world["items"]["xianan_draft"]
    CatalogueItem.objects.filter(pk=item.pk).update(notes='=HYPERLINK("http://evil.example","点此")')
    client.force_login(world["users"]["xianan"])
    response = client.post(
        admin_url(CatalogueItem, "changelist"), {"action": "export_selected_xlsx", "_selected_action": [item.pk]}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    header, row = [c.value for c in sheet[1]], [c for c in sheet[2]]
    assert header[:4] == ["序号", "所属目录", "编码", "一级"] and header[-2:] == ["预算（元）", "绩效评价标准"]
    assert row[header.index("购买主体")].value == "咸安区民政局"
    notes = row[header.index("备注")]
    assert notes.data_type == "s" and notes.value.startswith("'=HYPERLINK")
