"""Builders for the public side of issue 5: evaluated contracts, published or not, and many of them fast."""

from datetime import date, timedelta
from decimal import Decimal

from catalogue.models import Contract, Evaluation
from catalogue.services import publish_evaluation, withdraw_evaluation
from tests.contract_builders import published_item, recorded_evaluation, saved_contract


def evaluated(item, provider, by, scores, *, state="published", published_on=None, **contract_fields):
    """A contract for `item` with `provider`, evaluated with `scores` (自评, 满意度, 第三方) through the services.

    state: "published" (公开), "unpublished" (recorded only) or "withdrawn" (published, then 撤回公开).
    """
    contract = saved_contract(item, provider, by, **contract_fields)
    evaluation = recorded_evaluation(contract, by, *scores)
    if state in ("published", "withdrawn"):
        evaluation = publish_evaluation(evaluation, by=by, published_on=published_on)
    if state == "withdrawn":
        evaluation = withdraw_evaluation(evaluation, by=by, reason="评分录入有误，更正后重新公开。")
    return Evaluation.objects.get(pk=evaluation.pk)


def many_results(provider, count, *, year=2017, region_slug="xianning", category="C0201", published=True):
    """`count` evaluated contracts of `provider` for one budgeted item, written in bulk (for query counts).

    The rows are what the services would write: the scores vary, the combined score and grade are
    computed by Evaluation.compute(), every result is published (or none is).
    """
    item = published_item(
        region_slug, year, category, name=f"批量评价事项{count}", budget=Decimal(count * 1000 + 1000)
    )
    body = item.purchasing_bodies.first()
    contracts = Contract.objects.bulk_create(
        Contract(
            region=item.edition.region,
            year=year,
            item=item,
            provider=provider,
            purchasing_body=body,
            number=f"XN-{year}-{index:03d}",
            signed_on=date(year, 3, 1),
            value=Decimal("1000"),
            period_start=date(year, 4, 1),
            period_end=date(year, 12, 31),
            no_subcontracting_confirmed=True,
            announced=index % 2 == 0,
            announced_on=date(year, 3, 5) if index % 2 == 0 else None,
        )
        for index in range(count)
    )
    evaluations = []
    for index, contract in enumerate(contracts):
        evaluation = Evaluation(
            contract=contract,
            evaluated_on=date(year + 1, 1, 10) + timedelta(days=index),
            self_score=Decimal(55 + index % 45),
            satisfaction_score=Decimal(60 + index % 40),
            third_party_score=Decimal(50 + index % 50),
            published=published,
            published_on=date(year + 1, 3, 1) if published else None,
        )
        evaluation.compute()
        evaluations.append(evaluation)
    Evaluation.objects.bulk_create(evaluations)
    return item
