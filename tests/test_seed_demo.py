"""manage.py seed_demo: a realistic, valid demo that is safe to build twice and never in production."""

import io
from collections import Counter

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F
from django.test.utils import override_settings

from catalogue.models import (
    Catalogue,
    CatalogueItem,
    Provider,
    PurchasingBody,
    Region,
    ServiceCategory,
    StaffProfile,
)
from catalogue.validators import validate_credit_code

DEMO_PASSWORD = "xianning-demo-2015"


def seed(**kwargs):
    out = io.StringIO()
    call_command("seed_demo", stdout=out, stderr=io.StringIO(), **kwargs)
    return out.getvalue()


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the whole module (committed, on an empty database), then empty it for the next module.

    Starting from an empty database also proves that seed_demo loads the
    regions and categories itself when `make run` has not.
    """
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        with override_settings(DEBUG=True):
            seed()
        assert Region.objects.count() == 8
        assert ServiceCategory.objects.leaves().count() == 49
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def test_seed_demo_refuses_to_run_when_debug_is_off(db, settings):
    settings.DEBUG = False
    before = row_counts()
    with pytest.raises(CommandError) as exc:
        seed()
    assert "仅用于演示" in str(exc.value)
    assert "demos only" in str(exc.value)
    assert row_counts() == before


def test_running_seed_demo_again_changes_nothing(seeded, settings):
    settings.DEBUG = True
    before = row_counts()
    item_stamps = dict(CatalogueItem.objects.values_list("pk", "updated_at"))
    output = seed()
    assert row_counts() == before  # history tables included: no row was saved again
    assert dict(CatalogueItem.objects.values_list("pk", "updated_at")) == item_stamps
    assert "新建 created 0，更新 updated 0" in output


def test_summary_prints_the_demo_logins_and_password(seeded, settings):
    settings.DEBUG = True
    output = seed()
    assert DEMO_PASSWORD in output
    for username in ("admin", "shicaizheng", "xianan", "chibi", "minzheng"):
        assert f"  {username} " in output


def test_editions_in_force_hold_at_least_150_items(seeded):
    in_force_2017 = CatalogueItem.objects.current().filter(edition__year=2017)
    assert in_force_2017.count() >= 150
    assert in_force_2017.values("edition__region").distinct().count() == Region.objects.count()


def test_every_credit_code_in_the_demo_is_valid(seeded):
    bodies = list(PurchasingBody.objects.select_related("region"))
    providers = list(Provider.objects.all())
    assert len(bodies) >= 60 and len(providers) >= 30
    for obj in bodies + providers:
        validate_credit_code(obj.credit_code)
    for body in bodies:
        prefix = {"ADMIN_ORGAN": "11", "PUBLIC_INSTITUTION": "12", "MASS_ORGANISATION": "13"}[body.kind]
        assert body.credit_code[:2] == prefix, body
        assert body.credit_code[2:8] == (body.region.code or "421200"), body
    for provider in providers:
        if provider.kind != Provider.Kind.OTHER:
            assert Provider.suggested_kind(provider.credit_code) == provider.kind, provider


def test_every_item_passes_model_validation_apart_from_its_frozen_edition(seeded):
    items = CatalogueItem.objects.select_related("edition", "category").prefetch_related("category__children")
    checked = 0
    for item in items:
        assert item.category.is_leaf, item
        assert item.budget is None or item.budget >= 0, item
        assert item.code.startswith(f"{item.category.code}-"), item
        item.edition.status = Catalogue.Status.DRAFT  # in memory only: published editions refuse changes
        item.full_clean()
        checked += 1
    assert checked == CatalogueItem.objects.count() > 0


def test_items_are_complete_enough_to_publish(seeded):
    items = CatalogueItem.objects.current()
    assert not items.filter(content="").exists()
    assert not items.filter(provider_requirements="").exists()
    assert not items.filter(performance_standard="").exists()
    assert not items.filter(purchasing_bodies=None).exists()
    with_budget = items.filter(budget__isnull=False).count()
    assert 0.3 < with_budget / items.count() < 0.8
    assert items.filter(is_pilot=True).exists() and items.filter(is_pilot=False).exists()
    assert set(items.values_list("procurement_method", flat=True)) >= {
        "OPEN_TENDER", "COMPETITIVE_CONSULTATION", "SINGLE_SOURCE", "COMMISSION",
    }
    # An item's buyers belong to its own region.
    links = CatalogueItem.purchasing_bodies.through.objects
    assert not links.exclude(purchasingbody__region=F("catalogueitem__edition__region")).exists()


def test_published_2017_city_edition_covers_every_area_and_leaf(seeded):
    city = Catalogue.objects.published().get(region__slug="xianning", year=2017)
    categories = ServiceCategory.objects.filter(items__edition=city).select_related("parent__parent").distinct()
    assert {category.parent.parent.code for category in categories} == set(
        ServiceCategory.objects.areas().values_list("code", flat=True)
    )
    assert len({category.parent.parent.code for category in categories}) == 8
    assert set(categories.values_list("code", flat=True)) == set(
        ServiceCategory.objects.leaves().values_list("code", flat=True)
    )


def test_counties_cover_only_part_of_the_areas(seeded):
    """The coverage matrix must have gaps to show (the notice's 2017 target is full coverage)."""
    areas = ServiceCategory.objects.areas().count()
    for edition in Catalogue.objects.published().filter(year=2017).exclude(region__slug="xianning"):
        covered = edition.items.values("category__parent__parent").distinct().count()
        assert covered <= areas
    zone = Catalogue.objects.published().get(region__slug="xn-htz", year=2017)
    assert zone.items.values("category__parent__parent").distinct().count() < areas


def test_exactly_one_published_revision_per_region_and_year(seeded):
    published = Counter(Catalogue.objects.published().values_list("region_id", "year"))
    public_years = set(Catalogue.objects.public().values_list("region_id", "year"))
    assert public_years and all(published[key] == 1 for key in public_years)
    assert set(published) == public_years
    assert not Catalogue.objects.published().filter(document_number="").exists()
    assert not Catalogue.objects.published().filter(published_on=None).exists()


def test_city_2017_correction_supersedes_its_first_revision(seeded):
    revisions = Catalogue.objects.filter(region__slug="xianning", year=2017).order_by("revision")
    assert [(e.revision, e.status) for e in revisions] == [(1, "SUPERSEDED"), (2, "PUBLISHED")]
    first, second = revisions
    assert second.items.count() > first.items.count()


def test_demo_shows_a_draft_and_a_withdrawn_edition(seeded):
    draft = Catalogue.objects.get(region__slug="xianning", year=2018)
    assert draft.status == Catalogue.Status.DRAFT
    in_force = Catalogue.objects.published().get(region__slug="xianning", year=2017)
    draft_names = set(draft.items.values_list("name", flat=True))
    assert set(in_force.items.values_list("name", flat=True)) < draft_names
    withdrawn = Catalogue.objects.get(region__slug="tongshan", year=2016)
    assert withdrawn.status == Catalogue.Status.WITHDRAWN
    assert withdrawn.items.exists()
    assert set(Catalogue.objects.values_list("status", flat=True)) == set(Catalogue.Status.values)


@pytest.mark.parametrize("slug", ["xianning", "xianan", "chibi"])
def test_2016_and_2017_editions_differ_item_by_item(seeded, slug):
    def by_code(year):
        edition = Catalogue.objects.published().get(region__slug=slug, year=year)
        return {item.code: item for item in edition.items.all()}

    old, new = by_code(2016), by_code(2017)
    assert set(new) - set(old), "2017 adds items"
    assert any(
        (old[code].name, old[code].content, old[code].procurement_method, old[code].budget)
        != (new[code].name, new[code].content, new[code].procurement_method, new[code].budget)
        for code in set(old) & set(new)
    ), "some items changed"
    # The 2017 transactional services (出版印刷, 软件研发 …) came with 2017.
    assert not CatalogueItem.objects.filter(
        edition__region__slug=slug, edition__year=2016, category__introduced_in__gt=2016
    ).exists()
    assert set(old) - set(new), "2017 drops an item"


@pytest.mark.parametrize(
    ("username", "role", "region", "body"),
    [
        ("shicaizheng", StaffProfile.Role.MUNICIPAL_FINANCE, "咸宁市", None),
        ("xianan", StaffProfile.Role.COUNTY_FINANCE, "咸安区", None),
        ("chibi", StaffProfile.Role.COUNTY_FINANCE, "赤壁市", None),
        ("minzheng", StaffProfile.Role.DEPARTMENT, "咸宁市", "咸宁市民政局"),
    ],
)
def test_demo_staff_log_in_with_their_role_and_scope(seeded, client, username, role, region, body):
    assert client.login(username=username, password=DEMO_PASSWORD)
    user = get_user_model().objects.get(username=username)
    assert user.is_staff and not user.is_superuser
    profile = user.staff_profile
    profile.full_clean()
    assert (profile.role, profile.region.name) == (role, region)
    assert (profile.purchasing_body.name if profile.purchasing_body else None) == body
    assert list(user.groups.values_list("name", flat=True)) == [profile.get_role_display()]


def test_admin_is_a_superuser_with_the_demo_password(seeded, client):
    assert client.login(username="admin", password=DEMO_PASSWORD)
    assert get_user_model().objects.get(username="admin").is_superuser
    assert not client.login(username="admin", password="wrong-password")


def test_groups_grant_what_each_role_needs(seeded):
    users = {user.username: user for user in get_user_model().objects.all()}
    municipal, county, department = users["shicaizheng"], users["xianan"], users["minzheng"]
    assert municipal.has_perms(["catalogue.delete_provider", "catalogue.change_catalogue", "auth.add_user"])
    assert county.has_perms(["catalogue.add_catalogueitem", "catalogue.view_provider"])
    assert not county.has_perm("catalogue.change_provider")
    assert not county.has_perm("auth.add_user")
    assert department.has_perms(["catalogue.view_catalogueitem", "catalogue.change_catalogueitem"])
    assert not department.has_perm("catalogue.add_catalogue")


def test_providers_show_every_qualification_state(seeded):
    states = Counter(Provider.objects.values_list("qualification_status", flat=True))
    assert states["QUALIFIED"] > states["PENDING"] >= 1 and states["SUSPENDED"] == 1
    expired = Provider.objects.filter(qualification_status="QUALIFIED").exclude(
        pk__in=Provider.objects.qualified().values("pk")
    )
    assert expired.count() == 1
    assert Provider.objects.exclude(evaluation_grade="").exists()
    assert not Provider.objects.annotate(n=Count("categories")).filter(n=0).exists()


def test_seed_demo_restores_the_demo_without_a_second_published_revision(seeded, settings):
    settings.DEBUG = True
    city = Catalogue.objects.published().get(region__slug="xianning", year=2017)
    draft = Catalogue.objects.drafts().get(region__slug="xianning", year=2018)
    changed = city.items.get(code="C0201-01")
    CatalogueItem.objects.filter(pk=changed.pk).update(name="已被改动的事项", budget=1)
    stray = CatalogueItem.objects.create(edition=city, category=changed.category, code="C0201-99", name="多余事项")
    staff_added = CatalogueItem.objects.create(edition=draft, category=changed.category, name="工作人员新增事项")

    output = seed()

    changed.refresh_from_db()
    assert (changed.name, changed.budget) == ("咸宁市社区居家养老服务", 1200000)
    assert not CatalogueItem.objects.filter(pk=stray.pk).exists()
    assert CatalogueItem.objects.filter(pk=staff_added.pk).exists()  # a draft keeps what staff added
    city.refresh_from_db()
    assert city.status == Catalogue.Status.PUBLISHED
    assert "更新 updated 2" in output


def test_the_work_queues_have_pilot_items_in_every_waiting_state(seeded):
    from catalogue.models import PilotItem

    states = dict(PilotItem.objects.values_list("name", "status"))
    assert states == {
        "咸安区农村留守儿童关爱服务": PilotItem.Status.SUBMITTED,
        "赤壁市困难群众走访核查": PilotItem.Status.RETURNED,
        "咸安区残疾人居家托养服务": PilotItem.Status.DRAFT,
    }
    returned = PilotItem.objects.get(status=PilotItem.Status.RETURNED)
    assert list(returned.transitions.values_list("action", "by__username")) == [
        ("submit", "chibi"),
        ("return", "shicaizheng"),
    ]
    assert "预算测算依据" in returned.transitions.last().comment
