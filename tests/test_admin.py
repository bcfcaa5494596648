"""The Chinese admin: every registered model renders, the policy's errors show on the field, lists stay cheap.

The render tests iterate admin.site._registry, so a model registered later is
covered without touching this file (add a row for it in `one_of_each`).
"""

from datetime import date

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from catalogue.admin.editions import INLINE_MAX_ITEMS
from catalogue.models import (
    Catalogue,
    CatalogueItem,
    Notification,
    Provider,
    PurchasingBody,
    Region,
    ServiceCategory,
    StaffProfile,
)
from catalogue.services import notifications
from tests import contract_builders, login_records
from tests import factories as f

User = get_user_model()

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
MODEL_IDS = [model._meta.label_lower for model in REGISTERED]


def admin_url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def field_errors(response, field):
    """The messages a re-rendered admin form shows on one field."""
    return [str(message) for message in response.context["adminform"].form.errors.get(field, [])]


def inline_management(prefix="items", total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("caizheng-admin", "admin@example.cn", "xianning-test-2015")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def civil_affairs():
    return f.purchasing_body("咸宁市民政局")


@pytest.fixture
def draft(civil_affairs):
    edition = f.edition(year=2017, status=Catalogue.Status.DRAFT)
    f.item(edition, "C0201", "社区居家养老服务", bodies=[civil_affairs], budget=120000)
    return edition


@pytest.fixture
def published(civil_affairs):
    edition = f.edition(year=2016)
    f.item(edition, "C0202", "农村特困供养机构托管", bodies=[civil_affairs])
    return edition


@pytest.fixture
def one_of_each(draft, published, civil_affairs, superuser):
    """At least one row of every registered model, for the change pages."""
    f.provider()
    pilot = f.pilot_item()
    notifications.notify(User.objects.filter(pk=superuser.pk), Notification.Kind.SUBMITTED, pilot, title="待审核")
    clerk = User.objects.create_user("xianan", password="xianning-test-2015", is_staff=True)
    StaffProfile.objects.create(user=clerk, role=StaffProfile.Role.COUNTY_FINANCE, region=f.region("xianan"))
    Group.objects.create(name="县级财政部门")
    signed = contract_builders.a_contract()
    contract_builders.an_evaluation(signed)
    contract_builders.the_weights()
    login_records.one_of_each()


# Every page renders --------------------------------------------------------------------------------


def test_the_admin_speaks_chinese_and_names_the_city(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    page = response.getvalue().decode()
    assert "咸宁市政府购买服务指导性目录管理" in page
    assert "管理首页" in page
    for name in ["指导性目录", "目录事项", "服务类别", "购买主体", "承接主体", "行政区划"]:
        assert name in page


def test_every_catalogue_model_and_the_staff_profile_are_in_the_admin():
    registered = {model._meta.model_name for model in admin.site._registry}
    assert {"region", "servicecategory", "purchasingbody", "provider", "catalogue", "catalogueitem"} <= registered
    inlines = admin.site._registry[User].inlines
    assert StaffProfile in {inline.model for inline in inlines}


@pytest.mark.parametrize("model", REGISTERED, ids=MODEL_IDS)
def test_every_changelist_renders(admin_client, one_of_each, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=MODEL_IDS)
def test_every_changelist_can_be_searched_for_yanglao(admin_client, one_of_each, model):
    response = admin_client.get(admin_url(model, "changelist"), {"q": "养老"})
    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=MODEL_IDS)
def test_every_add_page_renders(admin_client, model):
    # Records the system writes itself (failed sign-ins, lock-outs, logins, notifications) are read, never added.
    expected = 403 if model._meta.label_lower in login_records.LABELS | {"catalogue.notification"} else 200
    assert admin_client.get(admin_url(model, "add")).status_code == expected


@pytest.mark.parametrize("model", REGISTERED, ids=MODEL_IDS)
def test_every_change_page_renders(admin_client, one_of_each, model):
    obj = model._default_manager.first()
    assert obj is not None, f"one_of_each builds no {model._meta.label}: add one so its change page is tested"
    assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", [Catalogue, CatalogueItem, Provider], ids=["catalogue", "item", "provider"])
def test_history_pages_render_for_the_audited_models(admin_client, one_of_each, model):
    obj = model._default_manager.first()
    response = admin_client.get(admin_url(model, "history", obj.pk))
    assert response.status_code == 200


def test_item_search_finds_the_yanglao_item_and_not_the_others(admin_client, draft):
    f.item(draft, "H0203", "政务信息系统运维")
    response = admin_client.get(admin_url(CatalogueItem, "changelist"), {"q": "养老"})
    names = [item.name for item in response.context["cl"].result_list]
    assert names == ["社区居家养老服务"]


def test_unknown_filter_values_give_a_normal_page(admin_client, draft):
    url = admin_url(CatalogueItem, "changelist")
    assert admin_client.get(url, {"area": "<script>"}).status_code == 200
    response = admin_client.get(url, {"edition__year": "abc"}, follow=True)
    assert response.status_code == 200
    assert "<script>" not in admin_client.get(url, {"q": "<script>alert(1)</script>"}).getvalue().decode()


# Bad input is refused on the field, in Chinese, and nothing is saved ------------------------------


def item_post(edition, category, **overrides):
    data = {
        "edition": edition.pk,
        "category": category.pk,
        "code": "",
        "name": "农村留守儿童课后托管",
        "content": "为农村留守儿童提供课后看护和作业辅导。",
        "provider_requirements": "",
        "procurement_method": "OPEN_TENDER",
        "performance_standard": "",
        "budget": "50000",
        "notes": "",
        "_save": "保存",
    }
    data.update(overrides)
    return data


def test_an_item_under_a_non_leaf_category_is_refused_on_the_category_field(admin_client, draft):
    before = CatalogueItem.objects.count()
    response = admin_client.post(
        admin_url(CatalogueItem, "add"), item_post(draft, ServiceCategory.objects.get(code="A02"))
    )
    assert response.status_code == 200
    assert any("只能归入三级（末级）服务类别" in message for message in field_errors(response, "category"))
    assert CatalogueItem.objects.count() == before


def test_a_negative_budget_is_refused_on_the_budget_field(admin_client, draft):
    before = CatalogueItem.objects.count()
    response = admin_client.post(
        admin_url(CatalogueItem, "add"), item_post(draft, f.category("A0202"), budget="-1")
    )
    assert response.status_code == 200
    assert field_errors(response, "budget") == ["预算金额不能为负数。"]
    assert CatalogueItem.objects.count() == before


def test_a_valid_item_is_saved_with_its_generated_code(admin_client, draft):
    response = admin_client.post(admin_url(CatalogueItem, "add"), item_post(draft, f.category("A0202")))
    assert response.status_code == 302
    assert draft.items.get(name="农村留守儿童课后托管").code == "A0202-01"


def catalogue_post(region, year, revision, status=Catalogue.Status.DRAFT, **overrides):
    data = {
        "region": region.pk,
        "year": str(year),
        "revision": str(revision),
        "title": Catalogue.default_title(region, year),
        "status": status,
        "document_number": "",
        "published_on": "",
        "notes": "",
        "_save": "保存",
        **inline_management(),
    }
    data.update(overrides)
    return data


def test_a_second_published_revision_is_refused_on_the_status_field(admin_client, published):
    data = catalogue_post(
        published.region,
        2016,
        2,
        Catalogue.Status.PUBLISHED,
        document_number="咸财综发〔2016〕30号",
        published_on="2016-09-01",
    )
    response = admin_client.post(admin_url(Catalogue, "add"), data)
    assert response.status_code == 200
    assert any("已有一个已发布的版次" in message for message in field_errors(response, "status"))
    assert Catalogue.objects.filter(region=published.region, year=2016).count() == 1


def test_a_duplicate_revision_is_refused_on_the_revision_field(admin_client, published):
    response = admin_client.post(admin_url(Catalogue, "add"), catalogue_post(published.region, 2016, 1))
    assert response.status_code == 200
    assert any("已有此修订版次" in message for message in field_errors(response, "revision"))
    assert Catalogue.objects.filter(region=published.region, year=2016).count() == 1


def test_a_new_edition_records_who_created_it(admin_client, superuser):
    response = admin_client.post(admin_url(Catalogue, "add"), catalogue_post(f.region("chibi"), 2018, 1))
    assert response.status_code == 302
    assert Catalogue.objects.get(region__slug="chibi", year=2018).created_by == superuser


# Autocomplete offers only what may be chosen -------------------------------------------------------


def autocomplete(client, model_name, field_name, term):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "catalogue", "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_item_category_autocomplete_offers_only_leaf_categories(admin_client):
    offered = autocomplete(admin_client, "catalogueitem", "category", "养老")
    assert offered == ["C0201 社区居家养老服务"]
    assert "C02 养老服务" not in offered


def test_provider_category_autocomplete_also_offers_areas_and_fields(admin_client):
    offered = autocomplete(admin_client, "provider", "categories", "养老")
    assert offered == ["C02 养老服务", "C0201 社区居家养老服务"]


def test_category_parent_autocomplete_offers_no_third_level_node(admin_client):
    offered = autocomplete(admin_client, "servicecategory", "parent", "养老")
    assert offered == ["C02 养老服务"]


def test_item_edition_autocomplete_offers_only_drafts(admin_client, draft, published):
    offered = autocomplete(admin_client, "catalogueitem", "edition", "咸宁市")
    assert offered == [str(draft)]


# Editions and their items --------------------------------------------------------------------------


def test_category_changelist_shows_the_tree_indented_in_code_order(admin_client):
    response = admin_client.get(admin_url(ServiceCategory, "changelist"))
    page = response.getvalue().decode()
    assert [c.code for c in response.context["cl"].result_list][:3] == ["A", "A01", "A0101"]
    assert '<span class="category-tree category-tree--level-1">社会保障</span>' in page
    assert '<span class="category-tree category-tree--level-2">└ 养老服务</span>' in page
    assert '<span class="category-tree category-tree--level-3">　　└ 社区居家养老服务</span>' in page


def test_category_changelist_filters_by_level_and_year_introduced(admin_client):
    url = admin_url(ServiceCategory, "changelist")
    areas = admin_client.get(url, {"level": "1"}).context["cl"].result_list
    assert [c.code for c in areas] == list("ABCDEFGH")
    added_2017 = admin_client.get(url, {"introduced_in": "2017"}).context["cl"].result_list
    assert {c.name for c in added_2017} == {"软件研发", "检验检测", "出版印刷", "咨询评估", "会计审计", "绩效评价"}
    leaves = admin_client.get(url, {"leaf": "yes"}).context["cl"].result_list
    assert {c.code for c in leaves} == set(ServiceCategory.objects.leaves().values_list("code", flat=True))
    assert all(len(c.code) == 5 for c in leaves)


def test_edition_changelist_links_its_item_count_to_the_filtered_items(admin_client, draft, published):
    f.item(draft, "H0203", "政务信息系统运维")
    page = admin_client.get(admin_url(Catalogue, "changelist")).getvalue().decode()
    link = f'<a href="{admin_url(CatalogueItem, "changelist")}?edition__id__exact={draft.pk}">2</a>'
    assert link in page
    response = admin_client.get(admin_url(CatalogueItem, "changelist"), {"edition__id__exact": draft.pk})
    assert {item.name for item in response.context["cl"].result_list} == {"社区居家养老服务", "政务信息系统运维"}


def test_item_changelist_filters_by_area_edition_status_and_pilot(admin_client, draft, published):
    f.item(draft, "H0203", "政务信息系统运维", is_pilot=True)
    url = admin_url(CatalogueItem, "changelist")

    def names(**params):
        return sorted(item.name for item in admin_client.get(url, params).context["cl"].result_list)

    assert names(area="H") == ["政务信息系统运维"]
    assert names(edition__status__exact="PUBLISHED") == ["农村特困供养机构托管"]
    assert names(edition__year="2017", is_pilot__exact="1") == ["政务信息系统运维"]


def test_item_changelist_shows_the_official_columns(admin_client, draft):
    response = admin_client.get(admin_url(CatalogueItem, "changelist"))
    page = response.getvalue().decode()
    for text in ["C0201-01", "社区居家养老服务", "咸宁市 2017年 第1版", "社会保障", "公开招标", "120,000.00"]:
        assert text in page


def test_a_draft_editions_items_are_editable_inline(admin_client, draft):
    response = admin_client.get(admin_url(Catalogue, "change", draft.pk))
    formset = response.context["inline_admin_formsets"][0]
    assert formset.has_change_permission and formset.has_add_permission
    assert [form.instance.name for form in formset.formset.initial_forms] == ["社区居家养老服务"]


def test_adding_an_item_through_a_draft_editions_inline_saves_it(admin_client, draft):
    existing = draft.items.get()
    data = catalogue_post(draft.region, draft.year, draft.revision, **inline_management(total=2, initial=1))
    data.update(
        {
            "items-0-id": existing.pk,
            "items-0-edition": draft.pk,
            "items-0-code": existing.code,
            "items-0-category": existing.category_id,
            "items-0-name": existing.name,
            "items-0-procurement_method": existing.procurement_method,
            "items-0-budget": "120000",
            "items-1-edition": draft.pk,
            "items-1-code": "",
            "items-1-category": f.category("G0101").pk,
            "items-1-name": "残疾儿童康复训练",
            "items-1-procurement_method": "COMPETITIVE_CONSULTATION",
            "items-1-budget": "80000",
        }
    )
    response = admin_client.post(admin_url(Catalogue, "change", draft.pk), data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    assert draft.items.get(name="残疾儿童康复训练").code == "G0101-01"


def test_a_published_editions_items_are_shown_read_only(admin_client, published):
    response = admin_client.get(admin_url(Catalogue, "change", published.pk))
    formset = response.context["inline_admin_formsets"][0]
    assert not formset.has_change_permission
    assert not formset.has_add_permission
    assert not formset.has_delete_permission
    assert "农村特困供养机构托管" in response.getvalue().decode()


def test_a_published_item_opens_read_only_and_refuses_a_post(admin_client, published):
    item = published.items.get()
    url = admin_url(CatalogueItem, "change", item.pk)
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert "新建修订版次" in response.getvalue().decode()
    post = admin_client.post(url, item_post(published, item.category, name="改名"))
    assert post.status_code == 403
    item.refresh_from_db()
    assert item.name == "农村特困供养机构托管"


def test_a_published_item_cannot_be_deleted_through_the_bulk_action(admin_client, published):
    item = published.items.get()
    response = admin_client.post(
        admin_url(CatalogueItem, "changelist"),
        {"action": "delete_selected", "_selected_action": [item.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert CatalogueItem.objects.filter(pk=item.pk).exists()


def test_a_large_edition_links_to_its_items_instead_of_an_inline(admin_client, draft):
    CatalogueItem.objects.bulk_create(
        CatalogueItem(edition=draft, category=f.category("H0101"), code=f"H0101-{n:02d}", name=f"会议服务{n}")
        for n in range(1, INLINE_MAX_ITEMS + 1)
    )
    response = admin_client.get(admin_url(Catalogue, "change", draft.pk))
    assert response.context["inline_admin_formsets"] == []
    page = response.getvalue().decode()
    assert f"共 {INLINE_MAX_ITEMS + 1} 项" in page
    assert f"?edition__id__exact={draft.pk}" in page
    assert f"{admin_url(CatalogueItem, 'add')}?edition={draft.pk}" in page


def test_user_admin_edits_the_staff_profile_inline(admin_client, one_of_each):
    clerk = User.objects.get(username="xianan")
    page = admin_client.get(admin_url(User, "change", clerk.pk)).getvalue().decode()
    assert "工作人员档案" in page
    listing = admin_client.get(admin_url(User, "changelist")).getvalue().decode()
    assert "县级财政部门" in listing and "咸安区" in listing


# Changelists do not grow a query per row ----------------------------------------------------------

# Two queries are the session and the user; the rest are the page's own (counts, filters, the rows).
# Measured: 5 to 9 whether a list holds 2 rows or 60, so a query per row would break this at once.
CHANGELIST_QUERY_BUDGET = 10 + 1  # + the unread 通知 counted for the header (catalogue/templatetags/notification_tags.py)


@pytest.fixture
def big_lists(civil_affairs):
    """More than 50 rows in every large list: items with bodies, editions, bodies, providers, users."""
    regions = list(Region.objects.all())
    Catalogue.objects.bulk_create(
        Catalogue(region=region, year=year, revision=1, title=Catalogue.default_title(region, year))
        for region in regions
        for year in range(2018, 2025)
    )
    edition = Catalogue.objects.get(region__slug="xianning", year=2018)
    leaves = list(ServiceCategory.objects.leaves().order_by("code"))
    bodies = [f.purchasing_body(f"咸宁市测试局{n}") for n in range(55)]
    for n in range(60):
        f.item(edition, leaves[n % len(leaves)].code, f"事项{n}", bodies=bodies[n % 3 : n % 3 + 2], budget=1000 * n)
    for n in range(55):
        f.provider(f"咸宁市第{n}社会工作服务中心", categories=("C02", "G01"))
    for n in range(55):
        user = User.objects.create_user(f"staff{n}", is_staff=True)
        StaffProfile.objects.create(user=user, role=StaffProfile.Role.DEPARTMENT, purchasing_body=bodies[n])


@pytest.mark.parametrize(
    "model, rows",
    [
        (CatalogueItem, 60),
        (Catalogue, 56),
        (PurchasingBody, 56),
        (Provider, 55),
        (ServiceCategory, 81),
        (User, 56),
    ],
    ids=["items", "editions", "bodies", "providers", "categories", "users"],
)
def test_big_changelists_run_a_bounded_number_of_queries(
    admin_client, big_lists, django_assert_max_num_queries, model, rows
):
    with django_assert_max_num_queries(CHANGELIST_QUERY_BUDGET):
        response = admin_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) >= min(rows, 50)
