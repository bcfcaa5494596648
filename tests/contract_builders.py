"""Builders for qualification, contract and evaluation tests (the shared ones are tests/factories.py)."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from catalogue.models import Contract, Evaluation, EvaluationWeights, QualificationCheck
from tests import factories as f

Condition = QualificationCheck.Condition
Result = QualificationCheck.Result


def check_all(provider, by, result=Result.MET, skip=()):
    """Check every condition that applies to `provider` (with a reference as evidence)."""
    from catalogue.services import check_condition

    for condition in Condition:
        if condition in skip or not QualificationCheck.applies(condition, provider):
            continue
        check_condition(provider, condition, by=by, result=result, reference=f"鄂民政登字第{100 + condition}号")


def published_item(region_slug="xianning", year=2017, category="C0201", name="社区居家养老服务", budget=Decimal("100000"), body=None, **fields):
    """An item of the published edition of region and year (created when missing), bought by `body`."""
    from catalogue.models import Catalogue

    edition = Catalogue.objects.filter(region__slug=region_slug, year=year, status=Catalogue.Status.PUBLISHED).first()
    edition = edition or f.edition(region_slug, year)
    body = body or f.purchasing_body(_civil_affairs(region_slug), region_slug)
    return f.item(edition, category, name, bodies=[body], budget=budget, **fields)


def _civil_affairs(region_slug):
    return {"xianning": "咸宁市民政局", "xianan": "咸安区民政局", "chibi": "赤壁市民政局"}.get(region_slug, "咸宁市民政局")


def contract(item, provider, **fields):
    """An unsaved contract for `item` (its region, year and first body), signed 2017-03-01, for 2017."""
    edition = item.edition
    values = {
        "region": edition.region,
        "year": edition.year,
        "item": item,
        "provider": provider,
        "purchasing_body": item.purchasing_bodies.first(),
        "number": "",
        "signed_on": date(edition.year, 3, 1),
        "value": Decimal("50000"),
        "period_start": date(edition.year, 4, 1),
        "period_end": date(edition.year, 12, 31),
        "no_subcontracting_confirmed": True,
    }
    values.update(fields)
    return Contract(**values)


def saved_contract(item, provider, by, **fields):
    from catalogue.services import save_contract

    return save_contract(contract(item, provider, **fields), by=by)


def evaluation(contract, self_score, satisfaction, third_party, **fields):
    values = {"evaluated_on": contract.period_end + timedelta(days=30)}
    values.update(fields)
    return Evaluation(
        contract=contract,
        self_score=Decimal(str(self_score)),
        satisfaction_score=Decimal(str(satisfaction)),
        third_party_score=Decimal(str(third_party)),
        **values,
    )


def recorded_evaluation(contract, by, self_score, satisfaction, third_party, **fields):
    from catalogue.services import record_evaluation

    return record_evaluation(evaluation(contract, self_score, satisfaction, third_party, **fields), by=by)


def yesterday():
    return timezone.localdate() - timedelta(days=1)


def with_role_group(user):
    """Put a staff account in its role's group (as setup_roles does), so the admin lets it in."""
    from catalogue.roles import sync_role_group

    sync_role_group(user)
    return user


def municipal(username="shicaizheng"):
    return with_role_group(f.municipal(username))


def county(username="xianan", region_slug="xianan"):
    return with_role_group(f.county(username, region_slug))


def department(username="minzheng", body=None):
    return with_role_group(f.department(username, body))


# One row of each new model, for tests/test_admin.py's one_of_each -------------------------------------


def a_contract():
    """A saved 2016 contract of 咸宁市民政局 for 社区居家养老服务 (its period over)."""
    item = published_item(year=2016, budget=Decimal("200000"))
    provider = f.provider("咸宁市温泉颐养园养老服务中心", categories=("C02",))
    signed = contract(item, provider)
    signed.full_clean()
    signed.save()
    return signed


def an_evaluation(signed):
    recorded = evaluation(signed, 92, 88, 85)
    recorded.full_clean()
    recorded.save()
    return recorded


def the_weights():
    return EvaluationWeights.objects.create(self_weight=40, satisfaction_weight=30, third_party_weight=30)
