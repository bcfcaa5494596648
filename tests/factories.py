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
    return obj


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
