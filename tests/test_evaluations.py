"""绩效评价: three scores, weights that sum to 100 in one place, a combined score and grade computed (never typed)
at every band edge, only after the contract ends; only published results are public."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from catalogue import evaluation_rules as rules
from catalogue.evaluation_rules import Grade
from catalogue.models import Evaluation, EvaluationWeights
from catalogue.services import publish_evaluation, record_evaluation, set_evaluation_weights, withdraw_evaluation
from tests import factories as f
from tests.contract_builders import (
    county,
    department,
    evaluation,
    municipal,
    published_item,
    recorded_evaluation,
    saved_contract,
)
from tests.staff_builders import admin_url, messages_of, operation_url


@pytest.fixture
def shicaizheng():
    return municipal()


@pytest.fixture
def signed(shicaizheng):
    """A 2017 contract of 咸宁市民政局 with 阳光, ended 2017-12-31."""
    item = published_item(budget=Decimal("1000000"))
    provider = f.provider("咸宁市阳光社会工作服务中心", categories=("C02",))
    return saved_contract(item, provider, shicaizheng, value=Decimal("100000"))


def another(signed, by, **fields):
    return saved_contract(signed.item, signed.provider, by, value=Decimal("1000"), **fields)


# The rules, in one place ---------------------------------------------------------------------------------

EDGES = [
    ("59.99", Grade.FAIL),
    ("60", Grade.PASS),
    ("79.99", Grade.PASS),
    ("80", Grade.GOOD),
    ("89.99", Grade.GOOD),
    ("90", Grade.EXCELLENT),
    ("100", Grade.EXCELLENT),
    ("0", Grade.FAIL),
]


@pytest.mark.parametrize("score, grade", EDGES, ids=[edge for edge, _grade in EDGES])
def test_grade_bands_at_every_edge(score, grade):
    assert rules.grade_for(Decimal(score)) == grade


@pytest.mark.parametrize("weights", [(40, 30, 30), (50, 25, 25), (20, 20, 60)], ids=["40-30-30", "50-25-25", "20-20-60"])
@pytest.mark.parametrize("score, grade", EDGES, ids=[edge for edge, _grade in EDGES])
def test_equal_scores_combine_to_themselves_under_any_weights(score, grade, weights):
    keys = ("self", "satisfaction", "third_party")
    combined = rules.combined_score(dict.fromkeys(keys, Decimal(score)), dict(zip(keys, weights)))
    assert combined == Decimal(score)
    assert rules.grade_for(combined) == grade


# Unequal scores that land exactly on an edge, or one hundredth below it.
WEIGHTED_EDGES = [
    ((40, 30, 30), ("100", "50", "20"), "61.00", Grade.PASS),
    ((40, 30, 30), ("60", "59.97", "60"), "59.99", Grade.FAIL),
    ((40, 30, 30), ("95", "80", "70"), "83.00", Grade.GOOD),
    ((40, 30, 30), ("85", "75", "78.30"), "79.99", Grade.PASS),
    ((40, 30, 30), ("85", "75", "78.33"), "80.00", Grade.GOOD),  # 79.999
    ((40, 30, 30), ("89.99", "90", "90"), "90.00", Grade.EXCELLENT),  # 89.996 rounds half up to 90.00
    ((40, 30, 30), ("89.98", "90", "90"), "89.99", Grade.GOOD),  # 89.992
    ((50, 25, 25), ("100", "60", "60"), "80.00", Grade.GOOD),
    ((50, 25, 25), ("99.98", "60", "60"), "79.99", Grade.PASS),
    ((50, 25, 25), ("80", "100", "80"), "85.00", Grade.GOOD),
    ((50, 25, 25), ("100", "100", "60"), "90.00", Grade.EXCELLENT),
    ((50, 25, 25), ("40", "80", "80"), "60.00", Grade.PASS),
]


@pytest.mark.parametrize("weights, scores, combined, grade", WEIGHTED_EDGES)
def test_weighted_scores_at_the_band_edges(weights, scores, combined, grade):
    keys = ("self", "satisfaction", "third_party")
    result = rules.combined_score(dict(zip(keys, map(Decimal, scores))), dict(zip(keys, weights)))
    assert (result, rules.grade_for(result)) == (Decimal(combined), grade)


def test_the_default_weights_are_40_30_30_and_the_bands_are_the_policys():
    assert rules.DEFAULT_WEIGHTS == {"self": 40, "satisfaction": 30, "third_party": 30}
    assert EvaluationWeights.current().as_dict() == rules.DEFAULT_WEIGHTS
    assert not EvaluationWeights.objects.exists()  # reading the weights writes nothing
    assert [rules.band_label(g) for g in Grade] == ["优秀（≥ 90）", "良好（≥ 80）", "合格（≥ 60）", "不合格（< 60）"]


# Recording an evaluation ---------------------------------------------------------------------------------


@pytest.mark.parametrize("score, grade", EDGES, ids=[edge for edge, _grade in EDGES])
def test_a_recorded_evaluation_computes_its_score_and_grade(signed, shicaizheng, score, grade):
    recorded = recorded_evaluation(signed, shicaizheng, score, score, score)
    recorded.refresh_from_db()
    assert (recorded.score, recorded.grade) == (Decimal(score), grade)
    assert (recorded.weight_self, recorded.weight_satisfaction, recorded.weight_third_party) == (40, 30, 30)
    assert recorded.created_by == shicaizheng


def test_an_evaluation_under_other_weights_uses_them(signed, shicaizheng):
    set_evaluation_weights(by=shicaizheng, self_weight=50, satisfaction_weight=25, third_party_weight=25)
    recorded = recorded_evaluation(signed, shicaizheng, "99.98", "60", "60")
    assert (recorded.score, recorded.grade, recorded.weight_self) == (Decimal("79.99"), Grade.PASS, 50)


def test_changing_the_weights_does_not_rewrite_an_earlier_result(signed, shicaizheng):
    earlier = recorded_evaluation(signed, shicaizheng, 100, 50, 20)  # 61.00 under 40/30/30
    set_evaluation_weights(by=shicaizheng, self_weight=20, satisfaction_weight=20, third_party_weight=60)
    earlier.remarks = "补充评价意见"
    earlier = record_evaluation(earlier, by=shicaizheng)  # a correction is computed with its own weights
    earlier.refresh_from_db()
    assert (earlier.score, earlier.grade, earlier.weight_third_party) == (Decimal("61.00"), Grade.PASS, 30)
    later = recorded_evaluation(another(signed, shicaizheng), shicaizheng, 100, 50, 20)
    assert (later.score, later.grade) == (Decimal("42.00"), Grade.FAIL)


@pytest.mark.parametrize(
    "weights, message",
    [
        ((40, 30, 20), "三项权重之和应为100%，现为90%。"),
        ((50, 30, 30), "三项权重之和应为100%，现为110%。"),
        ((0, 0, 0), "三项权重之和应为100%，现为0%。"),
    ],
)
def test_weights_that_do_not_sum_to_100_are_refused(shicaizheng, weights, message):
    with pytest.raises(ValidationError) as exc:
        set_evaluation_weights(by=shicaizheng, self_weight=weights[0], satisfaction_weight=weights[1], third_party_weight=weights[2])
    assert exc.value.messages == [message]
    assert not EvaluationWeights.objects.exists()


def test_weights_out_of_range_are_refused(shicaizheng):
    with pytest.raises(ValidationError) as exc:
        set_evaluation_weights(by=shicaizheng, self_weight=120, satisfaction_weight=-10, third_party_weight=-10)
    assert "权重应在0至100之间。" in exc.value.message_dict["self_weight"]


def test_only_municipal_finance_changes_the_weights():
    with pytest.raises(PermissionDenied):
        set_evaluation_weights(by=county(), self_weight=50, satisfaction_weight=25, third_party_weight=25)
    assert not EvaluationWeights.objects.exists()


@pytest.mark.parametrize(
    "scores, field, message",
    [
        ((-1, 80, 80), "self_score", "自评得分应在0至100分之间。"),
        ((80, "100.01", 80), "satisfaction_score", "服务对象满意度得分应在0至100分之间。"),
        ((80, 80, 101), "third_party_score", "第三方评价得分应在0至100分之间。"),
    ],
    ids=["self", "satisfaction", "third-party"],
)
def test_scores_out_of_range_are_refused_on_their_field(signed, shicaizheng, scores, field, message):
    with pytest.raises(ValidationError) as exc:
        recorded_evaluation(signed, shicaizheng, *scores)
    assert exc.value.message_dict[field] == [message]
    assert not Evaluation.objects.exists()


def test_a_contract_cannot_be_evaluated_before_its_period_ends(signed, shicaizheng):
    ongoing = another(signed, shicaizheng, period_end=date.today() + timedelta(days=10))
    with pytest.raises(ValidationError) as exc:
        recorded_evaluation(ongoing, shicaizheng, 90, 90, 90, evaluated_on=date.today())
    assert exc.value.message_dict["contract"] == [
        f"该合同的服务期至{ongoing.period_end.isoformat()}，服务期结束后才能进行绩效评价。"
    ]
    ends_today = another(signed, shicaizheng, period_end=date.today())
    with pytest.raises(ValidationError, match="服务期结束后才能进行绩效评价"):
        recorded_evaluation(ends_today, shicaizheng, 90, 90, 90, evaluated_on=date.today())
    assert not Evaluation.objects.exists()


def test_the_evaluation_date_falls_after_the_period_and_not_in_the_future(signed, shicaizheng):
    with pytest.raises(ValidationError) as exc:
        recorded_evaluation(signed, shicaizheng, 90, 90, 90, evaluated_on=date(2017, 12, 31))
    assert exc.value.message_dict["evaluated_on"] == ["评价日期应在合同服务期结束（2017-12-31）之后。"]
    with pytest.raises(ValidationError) as exc:
        recorded_evaluation(signed, shicaizheng, 90, 90, 90, evaluated_on=date.today() + timedelta(days=1))
    assert exc.value.message_dict["evaluated_on"] == ["评价日期不能晚于今天。"]


def test_a_contract_is_evaluated_once(signed, shicaizheng):
    recorded_evaluation(signed, shicaizheng, 90, 90, 90)
    with pytest.raises(ValidationError) as exc:
        recorded_evaluation(signed, shicaizheng, 70, 70, 70)
    assert "contract" in exc.value.message_dict
    assert Evaluation.objects.count() == 1


def test_department_staff_evaluate_their_own_bodys_contracts_only(signed):
    own = department()
    assert recorded_evaluation(signed, own, 90, 88, 86).grade == Grade.GOOD
    other_body = department("jiaoyu", f.purchasing_body("咸宁市教育局"))
    with pytest.raises(PermissionDenied):
        recorded_evaluation(another(signed, municipal("shicaizheng2")), other_body, 90, 90, 90)


# Publication --------------------------------------------------------------------------------------------


def test_only_published_evaluations_are_public(signed, shicaizheng):
    hidden = recorded_evaluation(signed, shicaizheng, 70, 70, 70)
    shown = recorded_evaluation(another(signed, shicaizheng), shicaizheng, 95, 95, 95)
    assert not Evaluation.objects.published().exists()
    publish_evaluation(shown, by=shicaizheng, published_on=date(2018, 3, 1))
    assert list(Evaluation.objects.published()) == [Evaluation.objects.get(pk=shown.pk)]
    assert list(Evaluation.objects.published().for_provider(signed.provider)) == [shown]
    assert list(Evaluation.objects.published().for_item(signed.item)) == [shown]
    assert hidden not in Evaluation.objects.published()


def test_a_published_result_is_frozen_until_withdrawn(signed, shicaizheng):
    recorded = publish_evaluation(recorded_evaluation(signed, shicaizheng, 70, 70, 70), by=shicaizheng)
    assert recorded.published_on == date.today()
    recorded.self_score = Decimal("100")
    with pytest.raises(ValidationError, match="已公开，不能修改"):
        record_evaluation(recorded, by=shicaizheng)
    with pytest.raises(ValidationError) as exc:
        withdraw_evaluation(recorded, by=shicaizheng, reason="")
    assert exc.value.message_dict == {"reason": ["撤回公开须说明理由。"]}
    withdrawn = withdraw_evaluation(recorded, by=shicaizheng, reason="第三方得分录入有误")
    assert (withdrawn.published, withdrawn.published_on) == (False, None)
    assert withdrawn.history.first().history_change_reason == "撤回公开：第三方得分录入有误"
    corrected = Evaluation.objects.get(pk=recorded.pk)
    corrected.third_party_score = Decimal("90")
    assert record_evaluation(corrected, by=shicaizheng).score == Decimal("76.00")


def test_departments_do_not_publish_their_own_results_and_county_offices_only_their_regions(signed, shicaizheng):
    recorded = recorded_evaluation(signed, shicaizheng, 70, 70, 70)
    with pytest.raises(PermissionDenied):
        publish_evaluation(recorded, by=department())
    with pytest.raises(PermissionDenied):
        publish_evaluation(recorded, by=county())
    assert not Evaluation.objects.published().exists()


def test_queryset_helpers_for_the_public_side(signed, shicaizheng):
    recorded = publish_evaluation(recorded_evaluation(signed, shicaizheng, 50, 50, 50), by=shicaizheng)
    row = Evaluation.objects.published().with_contract().with_area().get()
    assert (row.area_code, row.contract.provider.name, row.grade) == ("C", "咸宁市阳光社会工作服务中心", Grade.FAIL)
    assert Evaluation.objects.recent_grades([signed.provider_id]) == {signed.provider_id: [Grade.FAIL]}
    assert recorded.is_failed


# The admin ---------------------------------------------------------------------------------------------


def evaluation_post(contract, **overrides):
    data = {
        "contract": contract.pk,
        "evaluated_on": "2018-02-01",
        "self_score": "92",
        "satisfaction_score": "88",
        "third_party_score": "85",
        "third_party_name": "咸宁香城会计师事务所有限责任公司",
        "remarks": "",
        "_save": "保存",
    }
    data.update(overrides)
    return data


def test_the_admin_computes_the_grade_and_ignores_a_typed_one(client, signed, shicaizheng):
    client.force_login(shicaizheng)
    response = client.post(admin_url(Evaluation, "add"), evaluation_post(signed, score="100", grade="EXCELLENT", published="on"))
    assert response.status_code == 302
    saved = Evaluation.objects.get()
    assert (saved.score, saved.grade, saved.published) == (Decimal("88.70"), Grade.GOOD, False)
    page = client.get(admin_url(Evaluation, "change", saved.pk)).getvalue().decode()
    assert "88.70 · 良好" in page and "自评40%、服务对象满意度30%、第三方评价30%" in page


def test_the_admin_refuses_out_of_range_scores_and_an_unended_contract_in_chinese(client, signed, shicaizheng):
    client.force_login(shicaizheng)
    response = client.post(admin_url(Evaluation, "add"), evaluation_post(signed, self_score="120"))
    assert response.context["adminform"].form.errors["self_score"] == ["自评得分应在0至100分之间。"]
    ongoing = another(signed, shicaizheng, period_end=date.today() + timedelta(days=10))
    response = client.post(admin_url(Evaluation, "add"), evaluation_post(ongoing, evaluated_on=date.today().isoformat()))
    assert "服务期结束后才能进行绩效评价" in response.context["adminform"].form.errors["contract"][0]
    assert not Evaluation.objects.exists()


def test_a_failed_grade_warns_and_is_flagged_in_the_list(client, signed, shicaizheng):
    client.force_login(shicaizheng)
    response = client.post(
        admin_url(Evaluation, "add"),
        evaluation_post(signed, self_score="50", satisfaction_score="55", third_party_score="52"),
        follow=True,
    )
    assert any("绩效评价为不合格" in message for message in messages_of(response))
    assert "⚠ 不合格" in client.get(admin_url(Evaluation, "changelist")).getvalue().decode()


def test_publishing_through_the_admin_button_freezes_the_page(client, signed, shicaizheng):
    recorded = recorded_evaluation(signed, shicaizheng, 90, 90, 90)
    client.force_login(shicaizheng)
    response = client.post(operation_url(recorded, "publish"), {"published_on": "2018-03-01"})
    assert response.status_code == 302
    recorded.refresh_from_db()
    assert (recorded.published, recorded.published_on) == (True, date(2018, 3, 1))
    page = client.get(admin_url(Evaluation, "change", recorded.pk))
    assert page.context["has_change_permission"] is False
    assert client.post(admin_url(Evaluation, "change", recorded.pk), evaluation_post(signed, self_score="10")).status_code == 403
    assert Evaluation.objects.get(pk=recorded.pk).self_score == Decimal("90")


def test_weights_not_summing_to_100_are_refused_in_the_admin(client, shicaizheng):
    client.force_login(shicaizheng)
    data = {"self_weight": "40", "satisfaction_weight": "30", "third_party_weight": "20", "_save": "保存"}
    response = client.post(admin_url(EvaluationWeights, "add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == ["三项权重之和应为100%，现为90%。"]
    assert not EvaluationWeights.objects.exists()
    data["third_party_weight"] = "30"
    data["self_weight"] = "40"
    assert client.post(admin_url(EvaluationWeights, "add"), {**data, "satisfaction_weight": "30"}).status_code == 302
    row = EvaluationWeights.objects.get()
    assert (row.as_dict(), row.updated_by) == ({"self": 40, "satisfaction": 30, "third_party": 30}, shicaizheng)
    assert client.get(admin_url(EvaluationWeights, "add")).status_code == 403  # one row only


def test_county_staff_read_but_cannot_change_the_weights(client, shicaizheng):
    set_evaluation_weights(by=shicaizheng, self_weight=50, satisfaction_weight=25, third_party_weight=25)
    row = EvaluationWeights.objects.get()
    client.force_login(county())
    assert client.get(admin_url(EvaluationWeights, "change", row.pk)).status_code == 200
    data = {"self_weight": "100", "satisfaction_weight": "0", "third_party_weight": "0", "_save": "保存"}
    assert client.post(admin_url(EvaluationWeights, "change", row.pk), data).status_code == 403
    assert EvaluationWeights.current().as_dict() == {"self": 50, "satisfaction": 25, "third_party": 25}


def test_an_evaluation_built_in_memory_still_computes(signed):
    unsaved = evaluation(signed, 90, 80, 70)
    unsaved.full_clean()
    assert (unsaved.score, unsaved.grade) == (Decimal("81.00"), Grade.GOOD)


def test_the_latest_grade_annotation_can_leave_out_unpublished_results(signed, shicaizheng):
    publish_evaluation(recorded_evaluation(signed, shicaizheng, 95, 95, 95), by=shicaizheng)
    later = another(signed, shicaizheng, period_end=date(2018, 6, 30))
    recorded_evaluation(later, shicaizheng, 40, 40, 40, evaluated_on=date(2018, 8, 1))  # recorded, not published
    from catalogue.models import Provider

    staff = Provider.objects.with_latest_grade().get(pk=signed.provider_id)
    public = Provider.objects.with_latest_grade(published_only=True).get(pk=signed.provider_id)
    assert (staff.latest_grade, staff.has_failed_evaluation) == (Grade.FAIL, True)
    assert (public.latest_grade, public.has_failed_evaluation) == (Grade.EXCELLENT, False)
