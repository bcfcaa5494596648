"""Contracts: only a budgeted item of the published catalogue of the region and year, from a provider qualified
on the signing date, within the budget, without 转包; and the admin's choice of provider."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from catalogue.evaluation_rules import Grade
from catalogue.models import Catalogue, CatalogueItem, Contract, Evaluation, Provider
from catalogue.services import open_revision, publish_edition, save_contract, suspend_provider
from tests import factories as f
from tests.contract_builders import (
    contract,
    county,
    department,
    municipal,
    published_item,
    recorded_evaluation,
    saved_contract,
)
from tests.staff_builders import admin_url, messages_of

Status = Provider.QualificationStatus


@pytest.fixture
def shicaizheng():
    return municipal()


@pytest.fixture
def item():
    """咸宁市 2017 (published): 社区居家养老服务, budget 100,000 元, bought by 咸宁市民政局."""
    return published_item(budget=Decimal("100000"))


@pytest.fixture
def sunshine():
    """Qualified for 养老服务 (C02, the parent of the item's C0201) since 2016."""
    return f.provider("咸宁市阳光社会工作服务中心", categories=("C02",), qualified_from=date(2016, 1, 1))


def refused(candidate, by, field):
    """The service refuses the contract with an error on `field`; nothing is saved. Returns the messages."""
    before = Contract.objects.count()
    with pytest.raises(ValidationError) as exc:
        save_contract(candidate, by=by)
    assert Contract.objects.count() == before
    assert field in exc.value.message_dict, exc.value.message_dict
    return exc.value.message_dict[field]


def test_a_valid_contract_is_recorded_with_who_recorded_it(item, sunshine, shicaizheng):
    saved = saved_contract(item, sunshine, shicaizheng, number="咸民政采〔2017〕12号")
    assert saved.pk and saved.created_by == shicaizheng
    assert str(saved) == "社区居家养老服务 · 咸宁市阳光社会工作服务中心（咸民政采〔2017〕12号）"
    assert saved.history.first().history_change_reason == "录入合同"


# The item: published catalogue of the region and year ---------------------------------------------


def test_an_item_of_a_draft_edition_is_refused(sunshine, shicaizheng):
    draft = f.edition(year=2018, status=Catalogue.Status.DRAFT)
    draft_item = f.item(draft, "C0201", bodies=[f.purchasing_body()], budget=Decimal("100000"))
    messages = refused(contract(draft_item, sunshine), shicaizheng, "item")
    assert messages == [
        "所选事项不在咸宁市2018年现行发布的指导性目录中（它属于“咸宁市 2018年 第1版”，草稿）；只能购买本行政区划本年度已发布目录中的事项。"
    ]


def test_an_item_of_another_region_or_year_is_refused(item, sunshine, shicaizheng):
    assert "不在咸安区2017年现行发布的指导性目录中" in refused(
        contract(item, sunshine, region=f.region("xianan")), shicaizheng, "item"
    )[0]
    assert "不在咸宁市2016年现行发布的指导性目录中" in refused(contract(item, sunshine, year=2016), shicaizheng, "item")[0]


def correct(item, by):
    """Publish revision 2 of the item's edition (动态调整); return (the item reloaded, its copy in force)."""
    second = publish_edition(
        open_revision(item.edition, by=by), by=by, document_number="咸财综发〔2017〕21号", published_on=date(2017, 8, 15)
    )
    return CatalogueItem.objects.get(pk=item.pk), second.items.get(code=item.code)


def test_an_item_of_a_superseded_revision_is_refused_for_a_new_contract(item, sunshine, shicaizheng):
    item, in_force = correct(item, shicaizheng)
    assert "已被替代" in refused(contract(item, sunshine), shicaizheng, "item")[0]
    assert saved_contract(in_force, sunshine, shicaizheng).pk


def test_a_contract_keeps_its_item_when_the_edition_is_later_superseded(item, sunshine, shicaizheng):
    signed = saved_contract(item, sunshine, shicaizheng)
    correct(item, shicaizheng)
    signed = Contract.objects.get(pk=signed.pk)
    signed.announced, signed.announced_on = True, date(2017, 3, 5)
    save_contract(signed, by=shicaizheng)  # editing it later is not a new purchase
    assert Contract.objects.get(pk=signed.pk).announced


# The budget --------------------------------------------------------------------------------------------


def test_an_item_without_a_budget_cannot_be_bought(sunshine, shicaizheng):
    unbudgeted = published_item(category="C0202", name="农村特困供养机构托管", budget=None)
    assert refused(contract(unbudgeted, sunshine), shicaizheng, "item") == [
        "“农村特困供养机构托管”没有安排预算。按政策只能购买列入指导性目录且有预算的事项，不能签订合同。"
    ]


def test_contracts_of_an_item_may_not_exceed_its_budget(item, sunshine, shicaizheng):
    saved_contract(item, sunshine, shicaizheng, value=Decimal("60000"))
    assert refused(contract(item, sunshine, value=Decimal("40000.01")), shicaizheng, "value") == [
        "合同金额超出该事项的预算：预算100,000.00元，本年度已签订合同60,000.00元，尚余40,000.00元。"
    ]
    assert saved_contract(item, sunshine, shicaizheng, value=Decimal("40000")).pk  # exactly the budget is allowed


def test_raising_a_contracts_value_above_the_budget_is_refused(item, sunshine, shicaizheng):
    signed = saved_contract(item, sunshine, shicaizheng, value=Decimal("90000"))
    signed.value = Decimal("100000")
    assert save_contract(signed, by=shicaizheng).value == Decimal("100000")  # its own value is not counted twice
    signed.value = Decimal("100000.01")
    assert "尚余100,000.00元" in refused(signed, shicaizheng, "value")[0]


def test_the_budget_counts_contracts_under_an_earlier_revision_of_the_same_service(item, sunshine, shicaizheng):
    saved_contract(item, sunshine, shicaizheng, value=Decimal("80000"))
    _item, in_force = correct(item, shicaizheng)
    assert "本年度已签订合同80,000.00元" in refused(contract(in_force, sunshine, value=Decimal("30000")), shicaizheng, "value")[0]


# The provider -------------------------------------------------------------------------------------------


def test_an_expired_qualification_is_refused(item, shicaizheng):
    lapsed = f.provider("咸宁市心理咨询师协会", categories=("C02",), qualified_until=date(2017, 2, 28))
    assert refused(contract(item, lapsed), shicaizheng, "provider") == [
        "“咸宁市心理咨询师协会”的认定有效期至2017-02-28，签订日期2017-03-01时已过期。"
    ]


def test_a_provider_qualified_only_after_the_signing_date_is_refused(item, shicaizheng):
    late = f.provider("咸宁市老年服务协会", categories=("C02",), qualified_from=date(2017, 6, 1))
    assert "自2017-06-01起才被认定" in refused(contract(item, late), shicaizheng, "provider")[0]


def test_a_pending_provider_is_refused(item, shicaizheng):
    waiting = f.provider("通山县农村电影放映协会", categories=("C02",), qualification_status=Status.PENDING, qualified_until=None)
    assert "尚未认定（待审核）" in refused(contract(item, waiting), shicaizheng, "provider")[0]


def test_a_suspended_provider_gets_no_new_contract_but_keeps_the_earlier_one(item, sunshine, shicaizheng):
    earlier = saved_contract(item, sunshine, shicaizheng, value=Decimal("30000"))
    suspend_provider(sunshine, by=shicaizheng, reason="合同履约考核不合格")
    today = date.today()
    late = contract(item, Provider.objects.get(pk=sunshine.pk), signed_on=today, value=Decimal("1000"))
    assert refused(late, shicaizheng, "provider") == ["“咸宁市阳光社会工作服务中心”的资质已暂停（合同履约考核不合格），不能签订合同。"]
    # A contract signed before the suspension was valid when signed, and is recorded as such.
    backdated = contract(item, Provider.objects.get(pk=sunshine.pk), signed_on=date(2017, 5, 1), value=Decimal("1000"))
    assert save_contract(backdated, by=shicaizheng).pk
    earlier.number = "补录编号"
    assert save_contract(earlier, by=shicaizheng).number == "补录编号"


def test_a_provider_not_qualified_for_the_items_category_is_refused(item, shicaizheng):
    printer = f.provider("咸宁市鄂南印务有限公司", kind=Provider.Kind.ENTERPRISE, categories=("H03",))
    assert refused(contract(item, printer), shicaizheng, "provider") == ["“咸宁市鄂南印务有限公司”未被认定可承接“社区居家养老服务”类服务。"]
    exact = f.provider("咸宁市温泉颐养园养老服务中心", categories=("C0201",))
    area = f.provider("咸宁市慈善基金会", kind=Provider.Kind.FOUNDATION, categories=("C",))
    assert saved_contract(item, exact, shicaizheng, value=Decimal("1000")).pk
    assert saved_contract(item, area, shicaizheng, value=Decimal("1000")).pk


# The other terms ------------------------------------------------------------------------------------------


def test_the_purchasing_body_must_be_one_of_the_items(item, sunshine, shicaizheng):
    other = f.purchasing_body("咸宁市教育局")
    assert refused(contract(item, sunshine, purchasing_body=other), shicaizheng, "purchasing_body") == [
        "“咸宁市教育局”不是该事项的购买主体（该事项的购买主体：咸宁市民政局）。"
    ]


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"value": Decimal("0")}, "value", "合同金额须大于0元。"),
        ({"value": Decimal("-5")}, "value", "合同金额须大于0元。"),
        ({"period_end": date(2017, 3, 31)}, "period_end", "服务期限的结束日期不能早于开始日期。"),
        ({"no_subcontracting_confirmed": False}, "no_subcontracting_confirmed", "请确认承接主体不得将服务项目整体转包（政策禁止转包）。"),
        ({"announced": True}, "announced_on", "已公告的合同须填写公告日期。"),
    ],
    ids=["zero", "negative", "period", "subcontracting", "announcement"],
)
def test_bad_terms_are_refused_in_chinese(item, sunshine, shicaizheng, fields, field, message):
    assert message in refused(contract(item, sunshine, **fields), shicaizheng, field)


# Who may record ---------------------------------------------------------------------------------------------


def test_county_offices_and_departments_record_only_their_own_contracts(item, sunshine):
    xianan_item = published_item("xianan", budget=Decimal("50000"))
    xianan = county()
    with pytest.raises(PermissionDenied):
        save_contract(contract(item, sunshine), by=xianan)
    assert save_contract(contract(xianan_item, sunshine, value=Decimal("1000")), by=xianan).pk
    minzheng = department()
    with pytest.raises(PermissionDenied):
        save_contract(contract(xianan_item, sunshine, value=Decimal("1000")), by=minzheng)
    assert save_contract(contract(item, sunshine, value=Decimal("1000")), by=minzheng).pk
    assert Contract.objects.count() == 2


# The admin: picking a provider ---------------------------------------------------------------------------------


@pytest.fixture
def graded(item, sunshine, shicaizheng):
    """阳光 graded 优秀 then 良好 (newest first: 优秀); 通达 graded 不合格 last."""
    older = saved_contract(item, sunshine, shicaizheng, value=Decimal("10000"), period_end=date(2017, 6, 30))
    recorded_evaluation(older, shicaizheng, 85, 85, 85)
    newer = saved_contract(item, sunshine, shicaizheng, value=Decimal("10000"))
    recorded_evaluation(newer, shicaizheng, 95, 92, 90)
    tongda = f.provider("咸宁市通达汽车租赁有限公司", kind=Provider.Kind.ENTERPRISE, categories=("C02",), qualified_until=date(2027, 12, 31))
    failed = saved_contract(item, tongda, shicaizheng, value=Decimal("10000"))
    recorded_evaluation(failed, shicaizheng, 50, 55, 52)
    return tongda


def contract_post(item, provider, **overrides):
    data = {
        "region": item.edition.region_id,
        "year": str(item.edition.year),
        "item": item.pk,
        "purchasing_body": item.purchasing_bodies.first().pk,
        "provider": provider.pk,
        "number": "",
        "signed_on": "2017-03-01",
        "value": "1000",
        "period_start": "2017-04-01",
        "period_end": "2017-12-31",
        "procurement_method": "OPEN_TENDER",
        "summary": "",
        "no_subcontracting_confirmed": "on",
        "announced_on": "",
        "_save": "保存",
    }
    data.update(overrides)
    return data


def test_the_provider_choice_shows_each_candidates_state_and_recent_grades(client, shicaizheng, graded):
    f.provider("咸宁市心理咨询师协会", categories=("C04",), qualified_until=date(2025, 6, 30))
    client.force_login(shicaizheng)
    response = client.get(admin_url(Contract, "add"))
    labels = [label for _value, label in response.context["adminform"].form.fields["provider"].choices][1:]
    assert labels == [
        "咸宁市心理咨询师协会 · 已过期（有效期至2025-06-30） · 暂无评价",
        "⚠ 咸宁市通达汽车租赁有限公司 · 已认定至2027-12-31 · 近期评价：不合格",
        "咸宁市阳光社会工作服务中心 · 已认定至2099-12-31 · 近期评价：优秀、良好",
    ]
    page = response.getvalue().decode()
    assert "标有 ⚠ 的，最近一次绩效评价为不合格" in page


def test_a_department_is_offered_no_pending_or_suspended_provider_of_another_region(client, graded):
    from django.core.management import call_command

    f.provider("赤壁市待认定养老服务中心", region_slug="chibi", qualification_status=Provider.QualificationStatus.PENDING)
    f.provider("赤壁市暂停承接社工中心", region_slug="chibi", qualification_status=Provider.QualificationStatus.SUSPENDED)
    department = f.department()
    call_command("setup_roles", verbosity=0)  # the department's group and its permissions
    client.force_login(department)
    response = client.get(admin_url(Contract, "add"))
    assert response.status_code == 200
    labels = " ".join(label for _value, label in response.context["adminform"].form.fields["provider"].choices)
    assert "咸宁市阳光社会工作服务中心" in labels  # qualified: public data
    assert "待认定" not in labels and "暂停承接" not in labels


def test_the_provider_choice_reads_grades_in_a_fixed_number_of_queries(client, shicaizheng, graded, django_assert_max_num_queries):
    for n in range(30):
        f.provider(f"咸宁市第{n}社会工作服务中心", categories=("C02",))
    client.force_login(shicaizheng)
    with django_assert_max_num_queries(16):
        response = client.get(admin_url(Contract, "add"))
    assert response.status_code == 200


def test_saving_a_contract_with_a_flagged_provider_warns(client, shicaizheng, item, graded):
    client.force_login(shicaizheng)
    response = client.post(admin_url(Contract, "add"), contract_post(item, graded), follow=True)
    assert response.status_code == 200
    assert any("最近一次绩效评价为不合格" in message for message in messages_of(response))
    assert Contract.objects.filter(provider=graded).count() == 2


def test_saving_with_a_well_graded_provider_does_not_warn(client, shicaizheng, item, sunshine, graded):
    client.force_login(shicaizheng)
    response = client.post(admin_url(Contract, "add"), contract_post(item, sunshine), follow=True)
    assert not any("不合格" in message for message in messages_of(response))


def test_the_contract_list_flags_and_filters_flagged_providers(client, shicaizheng, graded):
    client.force_login(shicaizheng)
    response = client.get(admin_url(Contract, "changelist"), {"flagged": "yes"})
    assert {c.provider.name for c in response.context["cl"].result_list} == {"咸宁市通达汽车租赁有限公司"}
    assert "⚠ 咸宁市通达汽车租赁有限公司" in response.getvalue().decode()
    others = client.get(admin_url(Contract, "changelist"), {"flagged": "no"}).context["cl"].result_list
    assert {c.provider.name for c in others} == {"咸宁市阳光社会工作服务中心"}


def test_the_provider_list_flags_and_filters_a_failed_latest_evaluation(client, shicaizheng, graded):
    client.force_login(shicaizheng)
    url = admin_url(Provider, "changelist")
    response = client.get(url, {"failed": "latest"})
    assert [p.name for p in response.context["cl"].result_list] == ["咸宁市通达汽车租赁有限公司"]
    assert "⚠ 不合格" in response.getvalue().decode()
    assert [p.name for p in client.get(url, {"failed": "none"}).context["cl"].result_list] == ["咸宁市阳光社会工作服务中心"]


def test_a_refused_contract_shows_the_reason_on_the_field_in_the_admin(client, shicaizheng, item, sunshine):
    client.force_login(shicaizheng)
    response = client.post(admin_url(Contract, "add"), contract_post(item, sunshine, value="100000.01"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["value"] == [
        "合同金额超出该事项的预算：预算100,000.00元，本年度已签订合同0.00元，尚余100,000.00元。"
    ]
    assert not Contract.objects.exists()


def test_the_item_choice_offers_items_in_force_with_region_year_and_budget(client, shicaizheng, item):
    f.item(f.edition(year=2018, status=Catalogue.Status.DRAFT), "C0201", "草稿中的养老服务", budget=Decimal("1"))
    client.force_login(shicaizheng)
    labels = [label for _v, label in client.get(admin_url(Contract, "add")).context["adminform"].form.fields["item"].choices][1:]
    assert labels == ["咸宁市 2017年 · C0201-01 社区居家养老服务 · 预算100,000.00元"]


def test_department_staff_record_contracts_of_their_own_body(client, item, sunshine):
    minzheng = department()
    client.force_login(minzheng)
    data = contract_post(item, sunshine, region=f.region("chibi").pk, purchasing_body=f.purchasing_body("咸宁市教育局").pk)
    response = client.post(admin_url(Contract, "add"), data)
    assert response.status_code == 302
    saved = Contract.objects.get()
    assert (saved.region.slug, saved.purchasing_body.name, saved.created_by) == ("xianning", "咸宁市民政局", minzheng)


def test_the_contract_page_offers_an_evaluation_once_the_period_is_over(client, shicaizheng, item, sunshine):
    ongoing = saved_contract(item, sunshine, shicaizheng, period_end=date.today() + timedelta(days=30))
    client.force_login(shicaizheng)
    assert "结束后可评价" in client.get(admin_url(Contract, "change", ongoing.pk)).getvalue().decode()
    ended = saved_contract(item, sunshine, shicaizheng, value=Decimal("1000"))
    assert f"?contract={ended.pk}" in client.get(admin_url(Contract, "change", ended.pk)).getvalue().decode()


@pytest.mark.parametrize("model", [Contract, Evaluation, Provider], ids=["contracts", "evaluations", "providers"])
def test_big_lists_run_a_bounded_number_of_queries(client, shicaizheng, item, django_assert_max_num_queries, model):
    """Flags, grades and names come from annotations and joins, not a query per row."""
    from tests.contract_builders import evaluation

    for n in range(30):
        provider = f.provider(f"咸宁市第{n}社会工作服务中心", categories=("C02",))
        signed = saved_contract(item, provider, shicaizheng, value=Decimal("100"))
        result = evaluation(signed, 50 + n, 60, 70)
        result.full_clean()
        result.save()
    client.force_login(shicaizheng)
    with django_assert_max_num_queries(12):  # measured: at most 11 with 30 rows (filters, counts, rows)
        response = client.get(admin_url(model, "changelist"))
    assert len(response.context["cl"].result_list) >= 30


# The demo ---------------------------------------------------------------------------------------------------

from tests.test_seed_demo import seeded  # noqa: E402,F401  (seed once for this module, flush afterwards)


def test_the_demo_contracts_and_evaluations_obey_every_rule(seeded):
    contracts = list(Contract.objects.with_related())
    assert len(contracts) >= 10
    for signed in contracts:
        signed._loaded_terms = None  # checked as if recorded today: published item, budget, qualification
        signed.full_clean()
    evaluations = list(Evaluation.objects.with_contract())
    for result in evaluations:
        result.full_clean()
        assert result.weights == {"self": 40, "satisfaction": 30, "third_party": 30}
    published = Evaluation.objects.published()
    assert 0 < published.count() < len(evaluations)
    assert published.filter(grade=Grade.FAIL).count() == 1
    flagged = Provider.objects.with_latest_grade().get(latest_grade=Grade.FAIL)
    assert flagged.is_qualified  # still qualified: the admin flags it, it does not refuse it
    assert {c.region.slug for c in contracts} >= {"xianning", "xianan", "chibi"}


def test_the_demo_shows_conditions_and_a_trail_for_each_state(seeded):
    from catalogue.models import ProviderStatusChange, unmet_conditions

    for provider in Provider.objects.qualified():
        assert unmet_conditions(provider) == [], provider
        assert provider.qualified_from and provider.status_changes.filter(action="qualify").exists()
    pending = Provider.objects.filter(qualification_status=Status.PENDING)
    assert pending and all(unmet_conditions(p) for p in pending)
    suspended = Provider.objects.get(qualification_status=Status.SUSPENDED)
    assert suspended.status_changes.filter(action=ProviderStatusChange.Action.SUSPEND).exists()
    assert Provider.objects.expired().count() == 1
