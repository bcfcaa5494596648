"""Small builders for realistic test data (real regions and categories come from fixtures/)."""

import itertools
from datetime import date

from catalogue.models import Catalogue, CatalogueItem, Provider, PurchasingBody, Region, ServiceCategory
from catalogue.validators import credit_code_check_character

_serial = itertools.count(1)


def credit_code(prefix="1142", region="421200"):
    """A valid 统一社会信用代码: authority+kind, region, a 9-character serial, and its check character."""
    body = f"{prefix[:2]}{region}{next(_serial):09d}"
    return body + credit_code_check_character(body)


def region(slug="xianning"):
    return Region.objects.get(slug=slug)


def category(code="C0201"):
    return ServiceCategory.objects.get(code=code)


def purchasing_body(name="咸宁市民政局", region_slug="xianning", **fields):
    reg = region(region_slug)
    body, _ = PurchasingBody.objects.get_or_create(
        name=name, region=reg, defaults={"credit_code": credit_code("11", reg.code or "421200"), **fields}
    )
    return body


def edition(region_slug="xianning", year=2016, revision=1, status=Catalogue.Status.PUBLISHED, **fields):
    reg = region(region_slug)
    defaults = {"title": Catalogue.default_title(reg, year)}
    if status in (Catalogue.Status.PUBLISHED, Catalogue.Status.SUPERSEDED):
        defaults.update(document_number=f"咸财综发〔{year}〕{revision}号", published_on=date(year, 3, 1))
    defaults.update(fields)
    return Catalogue.objects.create(region=reg, year=year, revision=revision, status=status, **defaults)


def item(edition, category_code="C0201", name="社区居家养老服务", bodies=(), **fields):
    """An item, created while the edition is a draft (published editions are frozen)."""
    status = edition.status
    if status != Catalogue.Status.DRAFT:
        Catalogue.objects.filter(pk=edition.pk).update(status=Catalogue.Status.DRAFT)
        edition.status = Catalogue.Status.DRAFT
    fields.setdefault("content", "为居家老年人提供生活照料、助餐助浴、精神慰藉等上门服务。")
    obj = CatalogueItem(edition=edition, category=category(category_code), name=name, **fields)
    obj.full_clean()
    obj.save()
    if bodies:
        obj.purchasing_bodies.set(bodies)
    if status != Catalogue.Status.DRAFT:
        Catalogue.objects.filter(pk=edition.pk).update(status=status)
        edition.status = status
        published(edition)
    return obj


def published(edition):
    """What publishing records (figures, a new public version), for an edition a builder filled behind the service."""
    from catalogue.services.publication import record_publication

    if edition.status != Catalogue.Status.DRAFT:
        record_publication(edition, files=False)
    return edition


def provider(name="咸宁市阳光社会工作服务中心", kind=Provider.Kind.PRIVATE_NON_ENTERPRISE, categories=("C02",), **fields):
    fields.setdefault("qualification_status", Provider.QualificationStatus.QUALIFIED)
    fields.setdefault("qualified_until", date(2099, 12, 31))
    obj = Provider.objects.create(
        name=name,
        kind=kind,
        registration_authority="咸宁市民政局",
        credit_code=credit_code("52"),
        region=region(fields.pop("region_slug", "xianning")),
        **fields,
    )
    obj.categories.set(ServiceCategory.objects.filter(code__in=categories))
    return obj


def staff_user(username, role=None, region_slug=None, body=None, **fields):
    """A staff account bound to a role and scope (StaffProfile); role None makes a superuser."""
    from django.contrib.auth import get_user_model

    from catalogue.models import StaffProfile

    User = get_user_model()
    if role is None:
        return User.objects.create_superuser(username, f"{username}@xianning.example", "xianning-demo-2015")
    user = User.objects.create_user(username, password="xianning-demo-2015", is_staff=True, **fields)
    StaffProfile.objects.create(
        user=user, role=role, region=region(region_slug) if region_slug else None, purchasing_body=body
    )
    return user


def municipal(username="shicaizheng"):
    from catalogue.models import StaffProfile

    return staff_user(username, StaffProfile.Role.MUNICIPAL_FINANCE, "xianning")


def county(username="xianan", region_slug="xianan"):
    from catalogue.models import StaffProfile

    return staff_user(username, StaffProfile.Role.COUNTY_FINANCE, region_slug)


def department(username="minzheng", body=None):
    from catalogue.models import StaffProfile

    body = body or purchasing_body("咸宁市民政局")
    return staff_user(username, StaffProfile.Role.DEPARTMENT, body.region.slug, body)


def pilot_item(region_slug="xianan", year=2017, **fields):
    from decimal import Decimal

    from catalogue.models import PilotItem

    values = {
        "category": category("C0202"),
        "name": "咸安区农村特困供养机构托管",
        "content": "委托专业养老机构托管乡镇福利院，提供供养人员生活照料、康复护理和安全管理。",
        "provider_requirements": "依法登记的养老服务机构，具有3年以上机构养老运营经验。",
        "planned_budget": Decimal("480000.00"),
        "reason": "乡镇福利院管理力量薄弱，委托专业机构托管可提升供养质量，公益性强。",
        "negative_list_confirmed": True,
    }
    values.update(fields)
    pilot = PilotItem(region=region(region_slug), fiscal_year=year, **values)
    pilot.full_clean()
    pilot.save()
    return pilot
