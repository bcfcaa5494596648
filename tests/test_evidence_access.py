"""Issue 9: evidence is for those who decide. Every role tries every evidence file, condition check, status
trail and history page; uploads are judged by their content; a replaced or deleted file leaves the disk.

The world: providers in every state in 咸宁市 (市本级), 咸安区 and 赤壁市, each with an evidence file and a
status trail. Written out here, not derived from the code under test: the qualification file (evidence,
checks, trail, history) is open to municipal finance (and superusers) for every provider and to a county
office for the providers of its own region; department staff and other counties see a provider only
while it is qualified, and then only its public data (tests/test_public_providers.py: what the public sees).
"""

import io
import zipfile
from collections import Counter
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from catalogue.admin.qualifications import evidence_url
from catalogue.models import Provider, QualificationCheck
from catalogue.services import check_condition, qualify_provider, revoke_provider, suspend_provider
from tests import factories as f
from tests.contract_builders import Condition, Result, check_all, municipal
from tests.scope_probe import Attempts
from tests.staff_builders import admin_url, demo_roles, fingerprint
from tests.test_qualification import provider_post

Status = Provider.QualificationStatus
ATTEMPTS = Counter()

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def zipped(*names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


DOCX, XLSX, OFD = zipped("word/document.xml"), zipped("xl/workbook.xml"), zipped("OFD.xml")


@pytest.fixture(scope="module", autouse=True)
def _report_attempts():
    yield
    print(f"\n[test_evidence_access] attempts: {sum(ATTEMPTS.values())} ({dict(sorted(ATTEMPTS.items()))})")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(media):
    return sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file())


# The world --------------------------------------------------------------------------------------------------


@pytest.fixture
def world(media, django_capture_on_commit_callbacks):
    users = demo_roles()
    users["admin"] = f.staff_user("admin")  # a superuser
    boss = users["shicaizheng"]
    spec = [
        # key, region, final state
        ("city_pending", "xianning", "pending"),
        ("city_qualified", "xianning", "qualified"),
        ("xianan_pending", "xianan", "pending"),
        ("xianan_qualified", "xianan", "qualified"),
        ("xianan_expired", "xianan", "expired"),
        ("chibi_suspended", "chibi", "suspended"),
        ("chibi_revoked", "chibi", "revoked"),
        ("chibi_qualified", "chibi", "qualified"),
    ]
    providers, checks = {}, {}
    with django_capture_on_commit_callbacks(execute=True):
        for key, region, state in spec:
            provider = f.provider(f"{key}服务中心", region_slug=region, qualification_status=Status.PENDING, qualified_until=None)
            check_all(provider, boss)
            checks[key] = check_condition(
                provider, Condition.LEGAL_PERSON, by=boss, result=Result.MET, evidence=SimpleUploadedFile(f"{key}.pdf", PDF + key.encode())
            )
            if state != "pending":
                qualify_provider(provider, by=boss, categories=[f.category("C02")], until=date(2099, 12, 31), note=f"{key}认定意见")
            if state == "suspended":
                suspend_provider(provider, by=boss, reason=f"{key}暂停理由")
            if state == "revoked":
                revoke_provider(provider, by=boss, reason=f"{key}撤销理由")
            if state == "expired":
                Provider.objects.filter(pk=provider.pk).update(qualified_from=date(2015, 1, 1), qualified_until=date(2016, 12, 31))
            providers[key] = Provider.objects.get(pk=provider.pk)
    return {"users": users, "providers": providers, "checks": checks}


PUBLIC = {"city_qualified", "xianan_qualified", "chibi_qualified"}
REGION = {"xianan": "xianan", "chibi": "chibi"}


def file_open(username, key):
    """The qualification file: everything for municipal finance and superusers, the own region for a county."""
    if username in ("admin", "shicaizheng"):
        return True
    return username in REGION and key.startswith(REGION[username])


def visible(username, key):
    return file_open(username, key) or key in PUBLIC


ROLES = ["admin", "shicaizheng", "xianan", "chibi", "minzheng"]


# Every role, every evidence file ------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ROLES)
def test_every_role_against_every_evidence_file(client, world, username):
    client.force_login(world["users"][username])
    for key, check in world["checks"].items():
        ATTEMPTS["evidence download"] += 1
        response = client.get(evidence_url(check))
        if file_open(username, key):
            assert response.status_code == 200, (username, key)
            assert response.getvalue() == PDF + key.encode()
            assert response["Content-Disposition"].startswith("attachment;")
            assert response["Content-Type"] == "application/pdf"
            assert response["X-Content-Type-Options"] == "nosniff"
        else:
            assert response.status_code == 404, f"{username} downloads the evidence of {key}"
        # The same check under another provider's id is never served.
        other = world["providers"]["chibi_qualified" if key != "chibi_qualified" else "city_qualified"]
        ATTEMPTS["evidence under another provider"] += 1
        assert client.get(reverse("admin:catalogue_provider_evidence", args=[other.pk, check.pk])).status_code == 404


def test_evidence_is_never_served_to_visitors_or_staff_without_a_role(client, world):
    for check in world["checks"].values():
        ATTEMPTS["evidence anonymous"] += 1
        response = client.get(evidence_url(check))
        assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(f.staff_user("visitor", role=""))
    for check in world["checks"].values():
        ATTEMPTS["evidence staff without a role"] += 1
        assert client.get(evidence_url(check)).status_code == 404


@pytest.mark.parametrize("username", ROLES)
def test_every_role_sees_the_checks_and_the_trail_only_where_it_decides(client, world, username):
    client.force_login(world["users"][username])
    listed = {row.pk for row in client.get(admin_url(Provider, "changelist")).context["cl"].result_list}
    ATTEMPTS["changelist"] += 1
    for key, provider in world["providers"].items():
        assert (provider.pk in listed) == visible(username, key), (username, key)
        ATTEMPTS["change page"] += 1
        response = client.get(admin_url(Provider, "change", provider.pk))
        if not visible(username, key):
            assert response.status_code == 404, f"{username} opens {key}"
            continue
        assert response.status_code == 200
        page = response.getvalue().decode()
        shown_checks = bool(response.context["inline_admin_formsets"])
        assert shown_checks == file_open(username, key), f"{username} sees the checks of {key}: {shown_checks}"
        assert ("field-status_trail" in page) == file_open(username, key)  # the 资质变更记录 row
        assert ("field-unmet_conditions" in page) == file_open(username, key)  # 待核查的资质条件
        assert (f"{key}认定意见" in page) == (file_open(username, key) and "pending" not in key)
        assert (evidence_url(world["checks"][key]) in page) == file_open(username, key)

        version = provider.history.latest("history_date").history_id
        for route, url in [
            ("history", admin_url(Provider, "history", provider.pk)),
            ("history version", admin_url(Provider, "simple_history", provider.pk, version)),
        ]:
            ATTEMPTS[route] += 1
            answer = client.get(url).status_code
            assert answer == (200 if file_open(username, key) else 403), f"{username} {route} of {key}: {answer}"


@pytest.mark.parametrize("username", ["xianan", "chibi", "minzheng"])
def test_providers_beyond_the_public_ones_leak_through_no_admin_route(client, world, username):
    client.force_login(world["users"][username])
    probe = Attempts(client, username, counter=ATTEMPTS, snapshot=fingerprint, describe=lambda provider: provider.name)
    for key, provider in world["providers"].items():
        if visible(username, key):
            continue
        probe.changelist(provider)
        probe.change(provider, provider_post(provider, name="篡改"))
        probe.delete(provider)
        probe.history(provider)
        probe.history_version(provider)
        probe.bulk(provider, "export_selected_xlsx")
        probe.bulk(provider, "delete_selected")


def test_department_staff_see_public_data_only(client, world):
    client.force_login(world["users"]["minzheng"])
    listed = client.get(admin_url(Provider, "changelist")).context["cl"].result_list
    assert sorted(p.name for p in listed) == sorted(f"{key}服务中心" for key in PUBLIC)
    assert not any(Provider.objects.qualification_files_open_to(world["users"]["minzheng"]))


# Content, not names ------------------------------------------------------------------------------------------


@pytest.fixture
def boss():
    return municipal()


@pytest.fixture
def applicant(media):
    return f.provider("咸安区夕阳红养老服务中心", region_slug="xianan", qualification_status=Status.PENDING, qualified_until=None)


@pytest.mark.parametrize(
    ("name", "content"),
    [("证书.pdf", HTML), ("证书.pdf", PNG), ("照片.jpg", PNG), ("照片.png", JPEG), ("表格.xlsx", DOCX), ("文档.docx", zipped()),
     ("文档.doc", PDF), ("电子证照.ofd", XLSX), ("表格.xls", b"")],
    ids=["html-as-pdf", "png-as-pdf", "png-as-jpg", "jpeg-as-png", "docx-as-xlsx", "empty-zip-as-docx", "pdf-as-doc", "xlsx-as-ofd", "empty"],
)
def test_an_upload_whose_content_is_not_what_its_name_says_is_refused(boss, applicant, media, name, content):
    with pytest.raises(ValidationError) as refusal:
        check_condition(applicant, Condition.LEGAL_PERSON, by=boss, result=Result.MET, evidence=SimpleUploadedFile(name, content))
    assert refusal.value.message_dict["evidence"]
    assert stored_files(media) == []
    assert not QualificationCheck.objects.filter(provider=applicant).exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("证书.pdf", PDF, "application/pdf"),
        ("照片.JPG", JPEG, "image/jpeg"),
        ("照片.jpeg", JPEG, "image/jpeg"),
        ("照片.png", PNG, "image/png"),
        ("文档.doc", OLE, "application/msword"),
        ("表格.xls", OLE, "application/vnd.ms-excel"),
        ("文档.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("表格.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("电子证照.ofd", OFD, "application/ofd"),
    ],
)
def test_every_accepted_format_is_stored_and_served_as_what_it_is(client, boss, applicant, media, name, content, content_type):
    check = check_condition(applicant, Condition.LEGAL_PERSON, by=boss, result=Result.MET, evidence=SimpleUploadedFile(name, content))
    client.force_login(boss)
    response = client.get(evidence_url(check))
    assert response.status_code == 200 and response.getvalue() == content
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")


def test_the_admin_names_the_mismatch_on_the_condition_row(client, boss, applicant, media):
    client.force_login(boss)
    rows = [{"condition": "1", "result": "MET", "evidence": SimpleUploadedFile("营业执照.pdf", HTML), "reference": "", "note": ""}]
    response = client.post(admin_url(Provider, "change", applicant.pk), provider_post(applicant, rows))
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors[0]["evidence"]
    assert errors == ["“营业执照.pdf”的内容不是 PDF 文件（按文件内容判断，而不是扩展名），请上传原始的 PDF、OFD、图片或 Office 文件。"]
    assert stored_files(media) == []


def test_a_file_stored_before_the_content_check_is_served_as_a_bare_download(client, boss, applicant, media):
    check = check_condition(applicant, Condition.LEGAL_PERSON, by=boss, result=Result.MET, evidence=SimpleUploadedFile("a.pdf", PDF))
    (media / check.evidence.name).write_bytes(HTML)  # what an HTML page renamed .pdf left on disk before this check
    client.force_login(boss)
    response = client.get(evidence_url(check))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_an_evidence_file_over_the_limit_is_refused_while_it_is_received(client, boss, applicant, media, settings, tmp_path_factory):
    received = tmp_path_factory.mktemp("uploads")
    settings.UPLOAD_MAX_BYTES = 64 * 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    settings.FILE_UPLOAD_TEMP_DIR = str(received)
    client.force_login(boss)
    big = SimpleUploadedFile("证书.pdf", PDF + b"0" * (200 * 1024))
    rows = [{"condition": "1", "result": "MET", "evidence": big, "reference": "", "note": ""}]
    response = client.post(admin_url(Provider, "change", applicant.pk), provider_post(applicant, rows))
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[0]["evidence"] == ["证明材料文件不能超过0.0625 MB。"]
    assert stored_files(media) == [] and list(received.iterdir()) == []


# Files follow their records -------------------------------------------------------------------------------------


def test_a_replaced_evidence_file_is_deleted_once_the_change_is_committed(boss, applicant, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = check_condition(applicant, Condition.LEGAL_PERSON, by=boss, result=Result.MET, evidence=SimpleUploadedFile("a.pdf", PDF))
    old = first.evidence.name
    assert stored_files(media) == [old]
    with django_capture_on_commit_callbacks(execute=True):
        second = check_condition(applicant, Condition.LEGAL_PERSON, by=boss, result=Result.MET, evidence=SimpleUploadedFile("b.png", PNG))
    assert second.pk == first.pk
    assert stored_files(media) == [second.evidence.name] and second.evidence.name != old


def test_a_change_that_rolls_back_keeps_the_file_it_would_have_replaced(boss, applicant, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = check_condition(applicant, Condition.LEGAL_PERSON, by=boss, result=Result.MET, evidence=SimpleUploadedFile("a.pdf", PDF))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            check_condition(applicant, Condition.LEGAL_PERSON, by=boss, result=Result.MET, evidence=SimpleUploadedFile("b.pdf", PDF))
            raise RuntimeError("rolled back")
    assert callbacks == []
    assert first.evidence.name in stored_files(media)
    assert QualificationCheck.objects.get(pk=first.pk).evidence.name == first.evidence.name


def test_replacing_evidence_in_the_admin_deletes_the_old_file(client, boss, applicant, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        check = check_condition(applicant, Condition.LEGAL_PERSON, by=boss, result=Result.MET, evidence=SimpleUploadedFile("a.pdf", PDF))
    client.force_login(boss)
    rows = [{"id": check.pk, "condition": "1", "result": "MET", "evidence": SimpleUploadedFile("新证书.pdf", PDF + b"new"), "reference": "", "note": "换新证"}]
    data = provider_post(applicant, rows)
    data["qualification_checks-INITIAL_FORMS"] = "1"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(admin_url(Provider, "change", applicant.pk), data)
    assert response.status_code == 302
    check.refresh_from_db()
    assert stored_files(media) == [check.evidence.name]
    assert (media / check.evidence.name).read_bytes() == PDF + b"new"


def test_deleting_a_provider_or_a_check_deletes_its_evidence_files(boss, applicant, media, django_capture_on_commit_callbacks):
    other = f.provider("嘉鱼县助残服务中心", region_slug="jiayu", qualification_status=Status.PENDING, qualified_until=None)
    with django_capture_on_commit_callbacks(execute=True):
        kept = check_condition(other, Condition.LEGAL_PERSON, by=boss, result=Result.MET, evidence=SimpleUploadedFile("k.pdf", PDF))
        check_condition(applicant, Condition.LEGAL_PERSON, by=boss, result=Result.MET, evidence=SimpleUploadedFile("a.pdf", PDF))
        lone = check_condition(applicant, Condition.GOVERNANCE, by=boss, result=Result.MET, evidence=SimpleUploadedFile("b.jpg", JPEG))
    assert len(stored_files(media)) == 3
    with django_capture_on_commit_callbacks(execute=True):
        lone.delete()
    assert len(stored_files(media)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        applicant.delete()
    assert stored_files(media) == [kept.evidence.name]
