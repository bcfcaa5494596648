"""Contracts, evaluations and qualification: each demo role tries every other scope's records by every admin
route — zero leaks, nothing written (the matrix of tests/test_admin_scope.py, extended).

The world: a published 2017 edition in 咸宁市 (市本级), 咸安区 and 赤壁市; contracts of 咸宁市民政局, 咸宁市教育局,
咸安区民政局 and 赤壁市民政局, each evaluated (two results published). Who sees what (written out here by region
and body, not derived from visible_to, which is under test): municipal finance every contract; a county office
its region's; department staff (minzheng, 咸宁市民政局) its own body's. Each role tries the others' contracts and
evaluations through the changelist, the change view (GET and a valid POST), the delete view (GET and POST), the
history and per-version history pages, the bulk delete, export and publish/withdraw actions with forged ids,
the operation pages, autocomplete and the form's choices; and tries, as a county office or department,
to qualify, suspend or revoke a provider, to check its conditions and to change the evaluation weights.
ATTEMPTS counts the attempts; the module prints the total. Positive controls prove the payloads write
within the scope.
"""

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from catalogue.admin.qualifications import evidence_url
from catalogue.models import (
    Contract,
    Evaluation,
    EvaluationWeights,
    Provider,
    ProviderStatusChange,
    QualificationCheck,
)
from catalogue.services import check_condition, publish_evaluation
from tests import factories as f
from tests.scope_probe import ROLES, Attempts, common_routes
from tests.contract_builders import Condition, Result, check_all, published_item, recorded_evaluation, saved_contract
from tests.staff_builders import admin_url, demo_roles, fingerprint, inline_management, operation_url

User = get_user_model()

ATTEMPTS = Counter()


@pytest.fixture(scope="module", autouse=True)
def _report_attempts():
    yield
    print(f"\n[test_admin_scope_providers] leak attempts: {sum(ATTEMPTS.values())} ({dict(sorted(ATTEMPTS.items()))})")


def everything():
    """The whole database the admin could write: the shared fingerprint plus this issue's tables."""
    state = fingerprint()
    state.update(
        {
            "contracts": list(Contract.objects.order_by("pk").values()),
            "evaluations": list(Evaluation.objects.order_by("pk").values()),
            "weights": list(EvaluationWeights.objects.order_by("pk").values()),
            "checks": list(QualificationCheck.objects.order_by("pk").values()),
            "status_changes": list(ProviderStatusChange.objects.order_by("pk").values()),
            "provider_categories": list(Provider.categories.through.objects.order_by("pk").values()),
            "new_history": [m.history.count() for m in (Contract, Evaluation, EvaluationWeights, QualificationCheck)],
        }
    )
    return state


# The world -----------------------------------------------------------------------------------------------


@pytest.fixture
def world():
    users = demo_roles()
    bodies = {
        "city_civil": f.purchasing_body("咸宁市民政局"),
        "city_edu": f.purchasing_body("咸宁市教育局"),
        "xianan_civil": f.purchasing_body("咸安区民政局", "xianan"),
        "chibi_civil": f.purchasing_body("赤壁市民政局", "chibi"),
    }
    provider = f.provider("咸宁市阳光社会工作服务中心", categories=("C02", "A02"))
    spec = [
        ("city_civil", "xianning", "C0201", "市本级民政居家养老项"),
        ("city_edu", "xianning", "A0202", "市本级教育课后托管项"),
        ("xianan_civil", "xianan", "C0201", "咸安民政居家养老项"),
        ("chibi_civil", "chibi", "C0201", "赤壁民政居家养老项"),
    ]
    contracts, evaluations = {}, {}
    for key, region, category, name in spec:
        item = published_item(region, 2017, category, name, budget=Decimal("500000"), body=bodies[key])
        contracts[key] = saved_contract(item, provider, users["shicaizheng"], number=f"{name}合同")
        evaluations[key] = recorded_evaluation(contracts[key], users["shicaizheng"], 88, 86, 84)
    for key in ("city_edu", "chibi_civil"):
        evaluations[key] = publish_evaluation(evaluations[key], by=users["shicaizheng"], published_on=date(2018, 3, 1))
    pending = f.provider("通山县农村电影放映协会", categories=("F01",), qualification_status="PENDING", qualified_until=None)
    check_all(pending, users["shicaizheng"])
    return {"users": users, "bodies": bodies, "provider": provider, "pending": pending, "contracts": contracts, "evaluations": evaluations}


OWN = {"xianan": {"xianan_civil"}, "chibi": {"chibi_civil"}, "minzheng": {"city_civil"}, "shicaizheng": None}


def outside(world, username):
    """The contracts and evaluations outside a user's scope, by body key (municipal finance: none)."""
    own = OWN[username]
    if own is None:
        return {Contract: [], Evaluation: []}
    keys = [key for key in world["contracts"] if key not in own]
    return {Contract: [world["contracts"][k] for k in keys], Evaluation: [world["evaluations"][k] for k in keys]}


def text_of(obj):
    contract = obj if isinstance(obj, Contract) else obj.contract
    return contract.item.name


def contract_post(contract, **overrides):
    data = {
        "region": contract.region_id,
        "year": str(contract.year),
        "item": contract.item_id,
        "purchasing_body": contract.purchasing_body_id,
        "provider": contract.provider_id,
        "number": contract.number,
        "signed_on": contract.signed_on.isoformat(),
        "value": str(contract.value),
        "period_start": contract.period_start.isoformat(),
        "period_end": contract.period_end.isoformat(),
        "procurement_method": contract.procurement_method,
        "summary": contract.summary,
        "no_subcontracting_confirmed": "on",
        "announced_on": "",
        "_save": "保存",
    }
    data.update(overrides)
    return data


def evaluation_post(evaluation, **overrides):
    data = {
        "contract": evaluation.contract_id,
        "evaluated_on": evaluation.evaluated_on.isoformat(),
        "self_score": "10",
        "satisfaction_score": "10",
        "third_party_score": "10",
        "third_party_name": "",
        "remarks": "篡改",
        "_save": "保存",
    }
    data.update(overrides)
    return data


class ProviderAttempts(Attempts):
    changelist_must_answer = True


@pytest.fixture
def attempts(client, world, request):
    username = request.node.callspec.params["username"]
    client.force_login(world["users"][username])
    probe = ProviderAttempts(client, username, counter=ATTEMPTS, snapshot=everything, describe=text_of)
    return probe, outside(world, username)


@pytest.mark.parametrize("username", ROLES)
def test_no_role_reaches_another_scopes_contracts(attempts, username):
    probe, foreign = attempts
    for contract in foreign[Contract]:
        common_routes(probe, contract, contract_post(contract, value="1", number="篡改的合同"))
        params = {"app_label": "catalogue", "model_name": "contract", "field_name": "purchasing_body", "term": "民政"}
        response = probe.run("autocomplete contract.purchasing_body", contract, lambda: probe.client.get(reverse("admin:autocomplete"), params))
        offered = {int(result["id"]) for result in response.json()["results"]}
        assert contract.purchasing_body_id not in offered
    assert username == "shicaizheng" or len(foreign[Contract]) == 3


@pytest.mark.parametrize("username", ROLES)
def test_no_role_reaches_another_scopes_evaluations(attempts, username):
    probe, foreign = attempts
    for evaluation in foreign[Evaluation]:
        common_routes(probe, evaluation, evaluation_post(evaluation))
        for name, data in [("publish", {"published_on": "2018-05-01"}), ("withdraw", {"reason": "越权撤回"})]:
            probe.operation(evaluation, name, **data)
            probe.bulk(evaluation, f"do_{name}", **data)
    assert username == "shicaizheng" or len(foreign[Evaluation]) == 3


@pytest.mark.parametrize("username", ROLES)
def test_the_forms_offer_no_other_scopes_items_bodies_or_contracts(client, world, username):
    client.force_login(world["users"][username])
    foreign = outside(world, username)[Contract]
    ATTEMPTS["contract form choices"] += 1
    form = client.get(admin_url(Contract, "add")).context["adminform"].form
    items = {value.value for value, _label in form.fields["item"].choices if value} if "item" in form.fields else set()
    for contract in foreign:
        assert contract.item_id not in items
    ATTEMPTS["evaluation form choices"] += 1
    form = client.get(admin_url(Evaluation, "add")).context["adminform"].form
    offered = {value.value for value, _label in form.fields["contract"].choices if value}
    assert offered.isdisjoint({c.pk for c in foreign})


def field_errors(response, field):
    return [str(message) for message in response.context["adminform"].form.errors.get(field, [])]


def test_a_county_office_cannot_forge_another_regions_item_body_or_region(client, world):
    client.force_login(world["users"]["xianan"])
    mine, theirs = world["contracts"]["xianan_civil"], world["contracts"]["chibi_civil"]
    before = everything()
    for field, value in [("item", theirs.item_id), ("purchasing_body", theirs.purchasing_body_id)]:
        ATTEMPTS[f"forged contract {field}"] += 1
        response = client.post(admin_url(Contract, "add"), contract_post(mine, value="1000", **{field: value}))
        assert response.status_code == 200
        assert any("选择一个有效的选项" in message for message in field_errors(response, field))
    assert everything() == before
    ATTEMPTS["forged contract region"] += 1
    response = client.post(admin_url(Contract, "add"), contract_post(mine, value="1000", region=f.region("chibi").pk, number="伪造的赤壁合同"))
    assert response.status_code == 302
    assert Contract.objects.get(number="伪造的赤壁合同").region.slug == "xianan"  # its own region, whatever was posted


def test_department_staff_cannot_forge_another_body(client, world):
    client.force_login(world["users"]["minzheng"])
    mine = world["contracts"]["city_civil"]
    ATTEMPTS["forged contract body"] += 1
    response = client.post(
        admin_url(Contract, "add"),
        contract_post(mine, value="1000", number="伪造的教育局合同", purchasing_body=world["bodies"]["city_edu"].pk),
    )
    assert response.status_code == 302
    assert Contract.objects.get(number="伪造的教育局合同").purchasing_body.name == "咸宁市民政局"


def test_no_role_evaluates_a_contract_beyond_its_scope(client, world):
    for username, key in [("xianan", "chibi_civil"), ("minzheng", "city_edu"), ("chibi", "city_civil")]:
        client.force_login(world["users"][username])
        Evaluation.objects.filter(contract=world["contracts"][key]).delete()
        before = everything()
        ATTEMPTS["forged evaluation contract"] += 1
        response = client.post(admin_url(Evaluation, "add"), evaluation_post(world["evaluations"][key], self_score="90"))
        assert response.status_code == 200
        assert any("选择一个有效的选项" in message for message in field_errors(response, "contract"))
        assert everything() == before


# Qualification and weights: only municipal finance ------------------------------------------------------------


@pytest.mark.parametrize("username", ["xianan", "chibi", "minzheng"])
def test_only_municipal_finance_decides_on_qualification_and_weights(client, world, username):
    client.force_login(world["users"][username])
    probe = ProviderAttempts(client, username, counter=ATTEMPTS, snapshot=everything, describe=text_of)
    qualified, pending = world["provider"], world["pending"]
    until = "2099-12-31"
    for provider, name, data in [
        (pending, "qualify", {"categories": [1], "until": until, "qualified_from": "", "note": ""}),
        (qualified, "qualify", {"categories": [1], "until": until}),
        (qualified, "suspend", {"reason": "越权暂停"}),
        (qualified, "revoke", {"reason": "越权撤销"}),
    ]:
        probe.operation(provider, name, **data)
    payload = {
        "name": pending.name,
        "kind": pending.kind,
        "credit_code": pending.credit_code,
        "registration_authority": pending.registration_authority,
        "region": pending.region_id,
        "_save": "保存",
        **inline_management("qualification_checks", total=1),
        "qualification_checks-0-condition": "1",
        "qualification_checks-0-result": "NOT_MET",
        "qualification_checks-0-reference": "越权核查",
        "qualification_checks-0-provider": pending.pk,
    }
    response = probe.run("condition check POST", pending, lambda: client.post(admin_url(Provider, "change", pending.pk), payload))
    assert response.status_code == 403
    check_condition(pending, Condition.OTHER, by=world["users"]["shicaizheng"], result=Result.NOT_APPLICABLE)
    row = EvaluationWeights.objects.create(self_weight=40, satisfaction_weight=30, third_party_weight=30)
    weights = {"self_weight": "100", "satisfaction_weight": "0", "third_party_weight": "0", "_save": "保存"}
    response = probe.run("weights POST", row, lambda: client.post(admin_url(EvaluationWeights, "change", row.pk), weights))
    assert response.status_code == 403
    response = probe.run("weights delete", row, lambda: client.post(admin_url(EvaluationWeights, "delete", row.pk), {"post": "yes"}))
    assert response.status_code == 403


def test_evidence_is_never_served_to_anonymous_visitors(client, world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("certificate.pdf", b"%PDF-1.4", content_type="application/pdf")
    check = check_condition(world["pending"], Condition.LEGAL_PERSON, by=world["users"]["shicaizheng"], result=Result.MET, evidence=upload)
    ATTEMPTS["evidence anonymous"] += 1
    response = client.get(evidence_url(check))
    assert response.status_code == 302 and "/login/" in response["Location"]
    ATTEMPTS["evidence of another provider's check"] += 1
    client.force_login(world["users"]["xianan"])
    wrong = reverse("admin:catalogue_provider_evidence", args=[world["provider"].pk, check.pk])
    assert client.get(wrong).status_code == 404


# Positive controls --------------------------------------------------------------------------------------------


def test_the_payloads_write_within_the_scope(client, world):
    """If these failed, the refusals above would prove nothing."""
    users, contracts, evaluations = world["users"], world["contracts"], world["evaluations"]

    client.force_login(users["xianan"])
    mine = contracts["xianan_civil"]
    response = client.post(admin_url(Contract, "change", mine.pk), contract_post(mine, number="咸安改号"))
    assert response.status_code == 302
    response = client.post(admin_url(Evaluation, "change", evaluations["xianan_civil"].pk), evaluation_post(evaluations["xianan_civil"]))
    assert response.status_code == 302
    assert client.post(operation_url(evaluations["xianan_civil"], "publish"), {"published_on": "2018-05-01"}).status_code == 302

    for obj in (mine, evaluations["xianan_civil"]):
        version = obj.history.latest("history_date").history_id
        assert client.get(admin_url(type(obj), "simple_history", obj.pk, version)).status_code == 200
        assert client.get(admin_url(type(obj), "history", obj.pk)).status_code == 200

    client.force_login(users["minzheng"])
    own = contracts["city_civil"]
    assert client.post(admin_url(Contract, "change", own.pk), contract_post(own, number="民政改号")).status_code == 302

    client.force_login(users["shicaizheng"])
    listed = client.get(admin_url(Contract, "changelist")).context["cl"].result_list
    assert {c.pk for c in listed} == {c.pk for c in contracts.values()}
    pending = world["pending"]
    data = {"categories": [pending.categories.model.objects.get(code="F01").pk], "until": "2099-12-31"}
    assert client.post(operation_url(pending, "qualify"), data).status_code == 302

    assert Contract.objects.get(pk=mine.pk).number == "咸安改号"
    assert Evaluation.objects.get(pk=evaluations["xianan_civil"].pk).score == Decimal("10.00")
    assert Evaluation.objects.get(pk=evaluations["xianan_civil"].pk).published
    assert Contract.objects.get(pk=own.pk).number == "民政改号"
    assert Provider.objects.get(pk=pending.pk).qualification_status == "QUALIFIED"


def test_each_role_lists_exactly_its_own_contracts_and_evaluations(client, world):
    for username in ROLES:
        client.force_login(world["users"][username])
        own = OWN[username] or set(world["contracts"])
        for model, rows in [(Contract, world["contracts"]), (Evaluation, world["evaluations"])]:
            listed = {row.pk for row in client.get(admin_url(model, "changelist")).context["cl"].result_list}
            assert listed == {rows[key].pk for key in own}, (username, model)
