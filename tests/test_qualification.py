"""A provider's qualification: conditions checked with evidence, 认定 until a date, lapse, 暂停, 恢复, 撤销."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from catalogue.admin.qualifications import evidence_url
from catalogue.models import Provider, ProviderStatusChange, QualificationCheck, ServiceCategory, unmet_conditions
from catalogue.services import (
    check_condition,
    qualify_provider,
    reinstate_provider,
    revoke_provider,
    suspend_provider,
)
from tests import factories as f
from tests.contract_builders import Condition, Result, check_all, county, department, municipal, yesterday
from tests.staff_builders import admin_url, inline_management, messages_of, operation_url

Status = Provider.QualificationStatus
TODAY = timezone.localdate


@pytest.fixture
def shicaizheng():
    return municipal()


@pytest.fixture
def pending():
    """A social organisation applying: 民办非企业单位, not yet qualified."""
    return f.provider(
        "咸宁市阳光社会工作服务中心", qualification_status=Status.PENDING, qualified_until=None, categories=()
    )


@pytest.fixture
def firm():
    return f.provider(
        "湖北香城物业服务有限公司",
        kind=Provider.Kind.ENTERPRISE,
        qualification_status=Status.PENDING,
        qualified_until=None,
        categories=(),
    )


def categories(*codes):
    return list(ServiceCategory.objects.filter(code__in=codes))


def in_two_years():
    return TODAY() + timedelta(days=730)


def qualified(provider, by, until=None, codes=("C02",)):
    check_all(provider, by)
    return qualify_provider(provider, by=by, categories=categories(*codes), until=until or in_two_years(), note="材料齐全")


# Conditions ----------------------------------------------------------------------------------------


def test_qualifying_lists_every_condition_not_yet_checked_as_met(shicaizheng, pending):
    check_all(pending, shicaizheng, skip={Condition.TAX_AND_INSURANCE, Condition.ANNUAL_INSPECTION})
    check_condition(pending, Condition.TAX_AND_INSURANCE, by=shicaizheng, result=Result.NOT_MET, reference="欠缴社保")
    with pytest.raises(ValidationError) as exc:
        qualify_provider(pending, by=shicaizheng, categories=categories("C02"), until=in_two_years())
    message = exc.value.messages[0]
    assert "5. 依法缴纳税收和社会保险的记录良好" in message
    assert "7. 社会组织：年检合格（或年报已公示）" in message
    assert "1. 依法设立" not in message
    pending.refresh_from_db()
    assert pending.qualification_status == Status.PENDING
    assert not ProviderStatusChange.objects.exists()


def test_annual_inspection_applies_only_to_social_organisations(shicaizheng, pending, firm):
    check_all(firm, shicaizheng)  # conditions 1-6 and 8: 年检 is not asked of a firm
    assert unmet_conditions(firm) == []
    assert not firm.qualification_checks.filter(condition=Condition.ANNUAL_INSPECTION).exists()
    check_all(pending, shicaizheng, skip={Condition.ANNUAL_INSPECTION})
    assert unmet_conditions(pending) == [Condition.ANNUAL_INSPECTION]
    with pytest.raises(ValidationError) as exc:
        check_condition(pending, Condition.ANNUAL_INSPECTION, by=shicaizheng, result=Result.NOT_APPLICABLE)
    assert exc.value.message_dict["result"] == ["“社会组织：年检合格（或年报已公示）”适用于该承接主体，不能选择“不适用”。"]
    check_condition(firm, Condition.OTHER, by=shicaizheng, result=Result.NOT_APPLICABLE)
    assert unmet_conditions(firm) == []  # 不适用 answers condition 8 when there are no other conditions


def test_a_condition_checked_as_met_needs_evidence_or_a_reference(shicaizheng, pending):
    with pytest.raises(ValidationError) as exc:
        check_condition(pending, Condition.LEGAL_PERSON, by=shicaizheng, result=Result.MET, reference="  ")
    assert exc.value.message_dict["evidence"] == ["核查结果为“符合”的，须上传证明材料或填写证明材料编号。"]
    assert not QualificationCheck.objects.exists()


def test_a_check_records_who_checked_it_and_when(shicaizheng, pending):
    check = check_condition(
        pending, Condition.LEGAL_PERSON, by=shicaizheng, result=Result.MET, reference="民证字第420100号"
    )
    assert check.checked_by == shicaizheng
    assert timezone.now() - check.checked_at < timedelta(minutes=1)
    again = check_condition(pending, Condition.LEGAL_PERSON, by=shicaizheng, result=Result.NOT_MET, reference="证书过期")
    assert again.pk == check.pk and QualificationCheck.objects.count() == 1


def test_evidence_files_are_stored_under_media_evidence_with_a_random_name(shicaizheng, pending, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("登记证书.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    check = check_condition(pending, Condition.LEGAL_PERSON, by=shicaizheng, result=Result.MET, evidence=upload)
    assert check.evidence.name.startswith(f"evidence/{pending.pk}/") and check.evidence.name.endswith(".pdf")
    assert "登记证书" not in check.evidence.name
    assert (tmp_path / check.evidence.name).read_bytes() == b"%PDF-1.4 demo"


def test_evidence_of_an_unaccepted_type_is_refused(shicaizheng, pending, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("证明.html", b"<script>alert(1)</script>", content_type="text/html")
    with pytest.raises(ValidationError) as exc:
        check_condition(pending, Condition.LEGAL_PERSON, by=shicaizheng, result=Result.MET, evidence=upload)
    assert "证明材料只接受以下格式" in exc.value.message_dict["evidence"][0]


def test_only_municipal_finance_checks_conditions_and_qualifies(pending):
    xianan = county()
    with pytest.raises(PermissionDenied):
        check_condition(pending, Condition.LEGAL_PERSON, by=xianan, result=Result.MET, reference="x")
    with pytest.raises(PermissionDenied):
        qualify_provider(pending, by=xianan, categories=categories("C02"), until=in_two_years())
    with pytest.raises(PermissionDenied):
        suspend_provider(pending, by=department(), reason="x")


# 认定 -----------------------------------------------------------------------------------------------


def test_qualifying_sets_categories_dates_and_records_who_when_why(shicaizheng, pending):
    until = in_two_years()
    provider = qualified(pending, shicaizheng, until=until, codes=("C02", "C04"))
    assert provider.qualification_status == Status.QUALIFIED
    assert (provider.qualified_from, provider.qualified_until) == (TODAY(), until)
    assert set(provider.categories.values_list("code", flat=True)) == {"C02", "C04"}
    assert provider.current_status == Provider.DirectoryStatus.QUALIFIED
    assert provider.qualification_label == f"已认定至{until.isoformat()}"
    change = provider.status_changes.get()
    assert (change.action, change.from_status, change.to_status, change.by) == ("qualify", "PENDING", "QUALIFIED", shicaizheng)
    assert change.reason == "材料齐全" and "C02 养老服务" in change.categories
    assert (change.qualified_from, change.qualified_until) == (TODAY(), until)
    assert list(Provider.objects.qualified()) == [provider]
    assert "认定至" in provider.history.first().history_change_reason


def test_qualifying_needs_categories_and_a_date_not_in_the_past(shicaizheng, pending):
    check_all(pending, shicaizheng)
    with pytest.raises(ValidationError) as exc:
        qualify_provider(pending, by=shicaizheng, categories=[], until=yesterday())
    assert exc.value.message_dict == {"categories": ["请选择认定可承接的服务类别。"], "until": ["认定有效期不能早于今天。"]}
    with pytest.raises(ValidationError) as exc:
        qualify_provider(
            pending, by=shicaizheng, categories=categories("C02"), until=TODAY(), qualified_from=TODAY() + timedelta(days=5)
        )
    assert "认定有效期不能早于认定日期" in exc.value.message_dict["until"][0]
    pending.refresh_from_db()
    assert pending.qualification_status == Status.PENDING


# Lapse by date ---------------------------------------------------------------------------------------


def test_a_qualification_lapses_the_day_after_its_date_and_reads_expired(client):
    lapsed = f.provider("咸宁市心理咨询师协会", qualified_until=yesterday())
    current = f.provider("咸宁市老年服务协会", qualified_until=TODAY())
    assert current.is_qualified and not lapsed.is_qualified
    assert lapsed.qualification_status == Status.QUALIFIED  # nothing was written: the date did it
    assert lapsed.current_status == Provider.DirectoryStatus.EXPIRED
    assert lapsed.current_status_label == "已过期"
    assert lapsed.qualification_label == f"已过期（有效期至{yesterday().isoformat()}）"
    assert list(Provider.objects.qualified()) == [current]
    assert list(Provider.objects.expired()) == [lapsed]
    assert client.get(reverse("catalogue:provider", args=[lapsed.pk])).status_code == 404
    assert client.get(reverse("catalogue:provider", args=[current.pk])).status_code == 200


def test_the_admin_shows_and_filters_expired_providers(client, shicaizheng):
    lapsed = f.provider("咸宁市心理咨询师协会", qualified_until=yesterday())
    f.provider("咸宁市老年服务协会")
    client.force_login(shicaizheng)
    response = client.get(admin_url(Provider, "changelist"), {"status": "EXPIRED"})
    assert [p.name for p in response.context["cl"].result_list] == ["咸宁市心理咨询师协会"]
    assert f"已过期（有效期至{lapsed.qualified_until.isoformat()}）" in response.getvalue().decode()
    qualified_only = client.get(admin_url(Provider, "changelist"), {"status": "QUALIFIED"}).context["cl"].result_list
    assert [p.name for p in qualified_only] == ["咸宁市老年服务协会"]


# 暂停, 恢复, 撤销 -------------------------------------------------------------------------------------


def test_suspension_takes_the_provider_out_until_it_is_reinstated(shicaizheng, pending):
    provider = qualified(pending, shicaizheng)
    with pytest.raises(ValidationError) as exc:
        suspend_provider(provider, by=shicaizheng, reason=" ")
    assert exc.value.message_dict == {"reason": ["暂停资质须说明理由。"]}
    provider = suspend_provider(provider, by=shicaizheng, reason="合同履约考核不合格，限期整改")
    assert provider.current_status == Provider.DirectoryStatus.SUSPENDED
    assert not provider.is_qualified and not Provider.objects.qualified().exists()
    with pytest.raises(ValidationError, match="当前为“已暂停”，不能暂停"):
        suspend_provider(provider, by=shicaizheng, reason="再次暂停")
    provider = reinstate_provider(provider, by=shicaizheng, reason="整改完成，复核合格")
    assert provider.current_status == Provider.DirectoryStatus.QUALIFIED
    assert list(Provider.objects.qualified()) == [provider]
    trail = list(provider.status_changes.values_list("action", "from_status", "to_status", "reason"))
    assert trail[1:] == [
        ("suspend", "QUALIFIED", "SUSPENDED", "合同履约考核不合格，限期整改"),
        ("reinstate", "SUSPENDED", "QUALIFIED", "整改完成，复核合格"),
    ]


def test_a_suspended_provider_whose_date_passed_cannot_be_reinstated(shicaizheng, pending):
    provider = suspend_provider(qualified(pending, shicaizheng), by=shicaizheng, reason="整改")
    Provider.objects.filter(pk=provider.pk).update(qualified_until=yesterday())
    with pytest.raises(ValidationError, match="认定有效期已于.*届满，不能恢复"):
        reinstate_provider(provider, by=shicaizheng, reason="整改完成")
    provider.refresh_from_db()
    assert provider.qualification_status == Status.SUSPENDED


def test_revocation_ends_the_qualification_and_only_a_new_review_restores_it(shicaizheng, pending):
    provider = revoke_provider(qualified(pending, shicaizheng), by=shicaizheng, reason="提供虚假材料")
    assert provider.current_status_label == "已撤销"
    with pytest.raises(ValidationError, match="当前为“已撤销”，不能恢复"):
        reinstate_provider(provider, by=shicaizheng, reason="申请恢复")
    QualificationCheck.objects.filter(provider=provider, condition=Condition.NO_VIOLATION).update(result=Result.NOT_MET)
    with pytest.raises(ValidationError, match="6. 前三年内无重大违法记录"):
        qualify_provider(provider, by=shicaizheng, categories=categories("C02"), until=in_two_years())
    check_all(provider, shicaizheng)
    provider = qualify_provider(provider, by=shicaizheng, categories=categories("C02"), until=in_two_years())
    assert provider.current_status == Provider.DirectoryStatus.QUALIFIED
    assert [c.action for c in provider.status_changes.all()] == ["qualify", "revoke", "qualify"]


def test_a_pending_provider_cannot_be_suspended_or_revoked(shicaizheng, pending):
    for service in (suspend_provider, revoke_provider):
        with pytest.raises(ValidationError, match="当前为“待审核”"):
            service(pending, by=shicaizheng, reason="测试")
    assert not ProviderStatusChange.objects.exists()


# The admin -----------------------------------------------------------------------------------------


def test_the_provider_page_offers_a_row_for_every_unchecked_condition(client, shicaizheng, pending, firm):
    client.force_login(shicaizheng)
    check_condition(pending, Condition.LEGAL_PERSON, by=shicaizheng, result=Result.MET, reference="民证字第1号")
    response = client.get(admin_url(Provider, "change", pending.pk))
    formset = response.context["inline_admin_formsets"][0].formset
    assert [form.instance.condition for form in formset.initial_forms] == [Condition.LEGAL_PERSON]
    assert [form.initial["condition"] for form in formset.extra_forms] == list(range(2, 9))
    page = response.getvalue().decode()
    assert "待核查的资质条件" in page and "7. 社会组织：年检合格" in page
    firm_forms = client.get(admin_url(Provider, "change", firm.pk)).context["inline_admin_formsets"][0].formset
    assert Condition.ANNUAL_INSPECTION not in [form.initial["condition"] for form in firm_forms.extra_forms]


def provider_post(provider, checks=(), **overrides):
    data = {
        "name": provider.name,
        "kind": provider.kind,
        "credit_code": provider.credit_code,
        "registration_authority": provider.registration_authority,
        "region": provider.region_id,
        "evaluation_grade": provider.evaluation_grade,
        "address": "",
        "phone": "",
        "introduction": "",
        "_save": "保存",
        **inline_management("qualification_checks", total=len(checks)),
    }
    for n, check in enumerate(checks):
        data.update({f"qualification_checks-{n}-{key}": value for key, value in check.items()})
        data[f"qualification_checks-{n}-provider"] = provider.pk
    data.update(overrides)
    return data


def test_checking_a_condition_with_evidence_in_the_admin_records_the_checker(client, shicaizheng, pending, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(shicaizheng)
    upload = SimpleUploadedFile("certificate.pdf", b"%PDF-1.4 certificate", content_type="application/pdf")
    rows = [{"condition": "1", "result": "MET", "evidence": upload, "reference": "", "note": "原件已核"}]
    response = client.post(admin_url(Provider, "change", pending.pk), provider_post(pending, rows))
    assert response.status_code == 302
    check = pending.qualification_checks.get()
    assert (check.result, check.checked_by, check.note) == ("MET", shicaizheng, "原件已核")
    download = client.get(evidence_url(check))
    assert download.status_code == 200 and download.getvalue() == b"%PDF-1.4 certificate"
    assert "attachment" in download["Content-Disposition"]


def test_a_met_condition_without_evidence_is_refused_on_the_inline(client, shicaizheng, pending):
    client.force_login(shicaizheng)
    rows = [{"condition": "1", "result": "MET", "reference": "", "note": ""}]
    response = client.post(admin_url(Provider, "change", pending.pk), provider_post(pending, rows))
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors[0]
    assert errors["evidence"] == ["核查结果为“符合”的，须上传证明材料或填写证明材料编号。"]
    assert not QualificationCheck.objects.exists()


def test_the_county_office_of_the_providers_region_reads_the_conditions_but_cannot_check_them(client, shicaizheng, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    local = f.provider("咸安区夕阳红养老服务中心", region_slug="xianan", qualification_status=Status.PENDING, qualified_until=None)
    upload = SimpleUploadedFile("c.pdf", b"%PDF-1.4", content_type="application/pdf")
    check = check_condition(local, Condition.LEGAL_PERSON, by=shicaizheng, result=Result.MET, evidence=upload)
    client.force_login(county())
    response = client.get(admin_url(Provider, "change", local.pk))
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0]
    assert not formset.has_change_permission and not formset.has_add_permission
    assert operation_url(local, "qualify") not in response.getvalue().decode()
    assert client.get(evidence_url(check)).status_code == 200
    client.logout()
    assert client.get(evidence_url(check)).status_code == 302  # to the login page, never the file
    client.force_login(county("chibi", "chibi"))
    assert client.get(evidence_url(check)).status_code == 404  # another county's provider: not its file
    assert client.get(reverse("admin:catalogue_provider_evidence", args=[local.pk, check.pk + 99])).status_code == 404


def test_qualifying_through_the_admin_button(client, shicaizheng, pending):
    check_all(pending, shicaizheng)
    client.force_login(shicaizheng)
    page = client.get(admin_url(Provider, "change", pending.pk)).getvalue().decode()
    assert operation_url(pending, "qualify") in page and operation_url(pending, "suspend") not in page
    until = in_two_years()
    response = client.post(
        operation_url(pending, "qualify"),
        {"categories": [c.pk for c in categories("C02", "C0401")], "until": until.isoformat(), "qualified_from": "", "note": "同意"},
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.qualification_status, pending.qualified_until) == (Status.QUALIFIED, until)
    response = client.post(operation_url(pending, "suspend"), {"reason": ""})
    assert response.status_code == 200 and response.context["form"].errors["reason"] == ["请说明理由。"]
    response = client.post(operation_url(pending, "suspend"), {"reason": "投诉核查"}, follow=True)
    assert "已暂停" in " ".join(messages_of(response))
    assert Provider.objects.get(pk=pending.pk).qualification_status == Status.SUSPENDED


def test_qualifying_with_conditions_missing_says_which_in_the_admin(client, shicaizheng, pending):
    client.force_login(shicaizheng)
    response = client.post(
        operation_url(pending, "qualify"),
        {"categories": [categories("C02")[0].pk], "until": in_two_years().isoformat()},
        follow=True,
    )
    text = " ".join(messages_of(response))
    assert "以下资质条件尚未核查为“符合”，不能认定" in text and "1. 依法设立，能独立承担民事责任" in text
    assert Provider.objects.get(pk=pending.pk).qualification_status == Status.PENDING


def test_county_staff_cannot_run_a_qualification_operation(client, shicaizheng, pending):
    check_all(pending, shicaizheng)
    client.force_login(county())
    data = {"categories": [categories("C02")[0].pk], "until": in_two_years().isoformat()}
    assert client.post(operation_url(pending, "qualify"), data).status_code == 404  # a pending provider of the city: not even shown
    local = f.provider("咸安区夕阳红养老服务中心", region_slug="xianan", qualification_status=Status.PENDING, qualified_until=None)
    check_all(local, shicaizheng)
    assert client.post(operation_url(local, "qualify"), data).status_code == 403  # its own region's: shown, not decided
    assert Provider.objects.get(pk=local.pk).qualification_status == Status.PENDING
    assert Provider.objects.get(pk=pending.pk).qualification_status == Status.PENDING


def test_status_fields_are_read_only_for_municipal_staff(client, shicaizheng, pending):
    client.force_login(shicaizheng)
    response = client.post(
        admin_url(Provider, "change", pending.pk),
        provider_post(pending, qualification_status="QUALIFIED", qualified_until="2099-12-31"),
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.qualification_status, pending.qualified_until) == (Status.PENDING, None)


def test_the_provider_page_shows_the_trail(client, shicaizheng, pending):
    provider = suspend_provider(qualified(pending, shicaizheng), by=shicaizheng, reason="合同履约考核不合格")
    client.force_login(shicaizheng)
    page = client.get(admin_url(Provider, "change", provider.pk)).getvalue().decode()
    assert "资质变更记录" in page and "合同履约考核不合格" in page and "已认定 → 已暂停" in page
    assert operation_url(provider, "reinstate") in page and operation_url(provider, "revoke") in page


def test_qualified_from_before_until_is_checked_on_the_model():
    provider = f.provider(qualified_until=date(2030, 1, 1))
    provider.qualified_from = date(2031, 1, 1)
    with pytest.raises(ValidationError) as exc:
        provider.full_clean()
    assert exc.value.message_dict["qualified_until"] == ["认定有效期不能早于认定日期。"]
