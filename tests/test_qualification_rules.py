"""A provider's standing as staff read it, decided on the data side (catalogue/models/providers.py), not in the
admin: the directory's status as a filter, the ⚠ flag of a failed newest evaluation and the label staff choose by."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from catalogue.evaluation_rules import Grade
from catalogue.models import Provider
from catalogue.models.providers import grades_text, is_flagged, provider_label
from tests import factories as f
from tests.contract_builders import published_item, recorded_evaluation, saved_contract

Status = Provider.DirectoryStatus


@pytest.fixture
def standings():
    today = date.today()
    Q = Provider.QualificationStatus
    return {
        Status.QUALIFIED: f.provider("在期", qualification_status=Q.QUALIFIED, qualified_until=today),
        Status.EXPIRED: f.provider("过期", qualification_status=Q.QUALIFIED, qualified_until=today - timedelta(1)),
        Status.PENDING: f.provider("待审", qualification_status=Q.PENDING, qualified_until=None),
        Status.SUSPENDED: f.provider("暂停", qualification_status=Q.SUSPENDED, qualified_until=today),
        Status.REVOKED: f.provider("撤销", qualification_status=Q.REVOKED),
    }


@pytest.mark.parametrize("status", list(Status))
def test_each_directory_status_finds_exactly_the_providers_shown_so(standings, status):
    assert list(Provider.objects.in_directory_status(status)) == [standings[status]]
    assert standings[status].current_status == status


def test_the_flag_is_the_newest_grade_failing_and_the_label_says_so():
    provider = f.provider()
    assert not is_flagged([]) and not is_flagged([Grade.GOOD, Grade.FAIL])
    assert is_flagged([Grade.FAIL, Grade.EXCELLENT])
    assert grades_text([]) == "暂无评价" and grades_text([Grade.FAIL, Grade.GOOD]) == "近期评价：不合格、良好"
    assert provider_label(provider, [Grade.FAIL]) == f"⚠ {provider.name} · 已认定至2099-12-31 · 近期评价：不合格"
    assert provider_label(provider, [Grade.GOOD]) == f"{provider.name} · 已认定至2099-12-31 · 近期评价：良好"


def test_the_failed_evaluation_filters_read_the_annotated_grades():
    city = f.municipal()
    item = published_item(budget=Decimal("1000000"))
    failed_once = f.provider("先不合格后优秀", categories=("C02",))
    failing = f.provider("最近不合格", categories=("C02",))
    f.provider("没有评价")
    for provider, scores in ((failed_once, [50, 95]), (failing, [95, 50])):
        for days, score in zip((30, 60), scores, strict=True):  # the second evaluated later: the newest
            contract = saved_contract(item, provider, city, value=Decimal("1000"))
            recorded_evaluation(contract, city, score, score, score, evaluated_on=contract.period_end + timedelta(days))
    annotated = Provider.objects.with_latest_grade()

    def named(which):
        return {p.name for p in annotated.filter(Provider.objects.none().FAILED_EVALUATION[which])}

    assert named("latest") == {"最近不合格"}
    assert named("any") == {"最近不合格", "先不合格后优秀"}
    assert named("none") == {"没有评价"}


def test_the_qualification_file_is_read_by_those_who_decide_on_it():
    from catalogue import permissions

    people = {
        "root": f.staff_user("root"),
        "city": f.municipal(),
        "xianan": f.county("xianan", "xianan"),
        "chibi": f.county("chibi", "chibi"),
        "minzheng": f.department(),
    }
    provider = f.provider(region_slug="xianan")
    readers = {name for name, user in people.items() if permissions.may_read_qualification_file(user, provider)}
    assert readers == {"root", "city", "xianan"}
    new = {name for name, user in people.items() if permissions.may_read_qualification_file(user, None)}
    assert new == {"root", "city"}
