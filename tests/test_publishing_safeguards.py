"""Publishing is guarded (issue 12, finding 4): the 文号 in its official form, a preview before 确认发布,
a revision's own 说明, fixed identity fields on a draft, and an audited correction of a published 文号 or date."""

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.urls import reverse

from catalogue.admin.editions import preview_url
from catalogue.models import Catalogue, PublicationCorrection
from catalogue.services import open_revision, publish_edition
from catalogue.services.editions import correct_publication
from catalogue.validators import normalise_document_number
from tests import factories as f
from tests.staff_builders import admin_url, demo_roles, edition_post, operation_url


@pytest.fixture
def draft():
    edition = f.edition(year=2018, status=Catalogue.Status.DRAFT)
    f.item(edition)
    return edition


# 文号 --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "咸财综发〔2018〕3号",
        "咸财综发2018年3号",
        "咸财综发[2018]3号",
        "咸财综发（2018）3号",
        "咸财综发(2018)第03号",
        "咸财综发【2018】3号",
        " 咸财综发 〔２０１８〕 ３号 ",
    ],
)
def test_a_document_number_is_kept_in_its_official_form(typed):
    assert normalise_document_number(typed, year=2018) == "咸财综发〔2018〕3号"


@pytest.mark.parametrize(
    "typed, says",
    [
        ("3号", "格式不对"),
        ("咸财综发〔18〕3号", "格式不对"),
        ("咸财综发〔2018〕", "格式不对"),
        ("XCZF〔2018〕3号", "格式不对"),
        ("咸财综发〔2018〕0号", "从1开始"),
        ("咸财综发〔1998〕3号", "年份1998不对"),
        ("咸财综发〔2017〕3号", "不一致"),
    ],
)
def test_a_malformed_document_number_is_refused_saying_why(typed, says):
    with pytest.raises(ValidationError, match=says):
        normalise_document_number(typed, year=2018)


def test_publishing_keeps_the_official_form_of_what_the_clerk_typed(draft, shicaizheng):
    published = publish_edition(draft, by=shicaizheng, document_number="咸财综发2018年3号", published_on=date(2018, 3, 1))
    assert published.document_number == "咸财综发〔2018〕3号"
    manifest = json.loads(storages["publications"].open(published.published_files.get(kind="manifest").name).read())
    assert manifest["edition"]["document_number"] == "咸财综发〔2018〕3号"


def test_publishing_with_a_number_of_another_year_is_refused_on_the_field(draft, shicaizheng):
    with pytest.raises(ValidationError) as refused:
        publish_edition(draft, by=shicaizheng, document_number="咸财综发〔2017〕3号", published_on=date(2018, 3, 1))
    assert set(refused.value.message_dict) == {"document_number"}
    draft.refresh_from_db()
    assert draft.status == Catalogue.Status.DRAFT


# A revision's 说明 -------------------------------------------------------------------------------


def test_a_revision_keeps_the_note_the_clerk_writes_and_its_origin_goes_into_the_history(shicaizheng):
    first = f.edition(year=2017, notes="根据咸政办发〔2015〕39号编制。")
    f.item(first)
    written = open_revision(first, by=shicaizheng, notes="增加农村留守儿童关爱服务。")
    assert written.notes == "增加农村留守儿童关爱服务。"
    assert written.history.first().history_change_reason == "由第1版动态调整"


def test_a_revision_without_a_note_of_its_own_keeps_the_one_it_corrects(shicaizheng):
    first = f.edition(year=2017, notes="根据咸政办发〔2015〕39号编制。")
    f.item(first)
    assert open_revision(first, by=shicaizheng).notes == "根据咸政办发〔2015〕39号编制。"


# Correcting a published 文号 or date --------------------------------------------------------------


@pytest.fixture
def published(draft, shicaizheng):
    return publish_edition(draft, by=shicaizheng, document_number="咸财综发〔2018〕30号", published_on=date(2018, 3, 1))


def test_municipal_finance_corrects_a_published_number_with_a_reason_and_the_files_are_written_again(
    published, shicaizheng
):
    before = {record.kind: record.sha256 for record in published.published_files.all()}
    corrected = correct_publication(
        published,
        by=shicaizheng,
        document_number="咸财综发（2018）3号",
        published_on=date(2018, 3, 2),
        reason="印发稿文号为3号，录入时误为30号。",
    )
    assert (corrected.document_number, corrected.published_on) == ("咸财综发〔2018〕3号", date(2018, 3, 2))
    assert corrected.status == Catalogue.Status.PUBLISHED
    correction = PublicationCorrection.objects.get(edition=published)
    assert (correction.previous_document_number, correction.previous_published_on) == ("咸财综发〔2018〕30号", date(2018, 3, 1))
    assert correction.corrected_by == shicaizheng and correction.previous_files == before
    reason = corrected.history.first().history_change_reason
    assert "咸财综发〔2018〕30号 → 咸财综发〔2018〕3号" in reason and "录入时误为30号" in reason
    after = {record.kind: record.sha256 for record in corrected.published_files.all()}
    assert after["manifest"] != before["manifest"] and after["json"] != before["json"]
    manifest = json.loads(storages["publications"].open(corrected.published_files.get(kind="manifest").name).read())
    assert manifest["edition"]["document_number"] == "咸财综发〔2018〕3号"
    assert manifest["edition"]["published_on"] == "2018-03-02"


def test_a_correction_needs_a_reason_and_a_change(published, shicaizheng):
    with pytest.raises(ValidationError) as refused:
        correct_publication(published, by=shicaizheng, document_number="咸财综发〔2018〕3号", published_on=date(2018, 3, 1), reason=" ")
    assert set(refused.value.message_dict) == {"reason"}
    with pytest.raises(ValidationError, match="没有改变"):
        correct_publication(
            published, by=shicaizheng, document_number="咸财综发〔2018〕30号", published_on=date(2018, 3, 1), reason="核对"
        )
    assert not PublicationCorrection.objects.exists()


def test_only_municipal_finance_corrects_and_only_a_published_edition(published, draft):
    with pytest.raises(PermissionDenied):
        correct_publication(
            published, by=f.county(), document_number="咸财综发〔2018〕3号", published_on=date(2018, 3, 1), reason="误录"
        )
    other_draft = f.edition(region_slug="chibi", year=2018, status=Catalogue.Status.DRAFT)
    with pytest.raises(ValidationError, match="只有已发布"):
        correct_publication(
            other_draft, by=f.municipal("shicaizheng2"), document_number="赤财发〔2018〕3号",
            published_on=date(2018, 3, 1), reason="误录",
        )


# Through the admin ---------------------------------------------------------------------------------


@pytest.fixture
def users():
    roles = demo_roles()
    roles["xianan_minzheng"] = f.department("xianan_minzheng", f.purchasing_body("咸安区民政局", "xianan"))
    return roles


@pytest.fixture
def county_draft():
    """咸安区's 2017 edition in force (two items) and its second revision, a draft: one item changed, one added."""
    in_force = f.edition("xianan", 2017)
    f.item(in_force, name="咸安区社区居家养老服务")
    f.item(in_force, category_code="F0102", name="农村电影放映")
    draft = open_revision(in_force, by=f.municipal("clerk"))
    draft.items.filter(name="农村电影放映").update(budget=120000)
    f.item(draft, category_code="C0401", name="农村留守儿童关爱服务")
    return draft


def test_staff_preview_a_draft_as_the_public_page_will_show_it(client, users, county_draft):
    client.force_login(users["shicaizheng"])
    response = client.get(preview_url(county_draft))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    page = response.getvalue().decode()
    assert county_draft.title in page and 'class="catalogue-table' in page  # the public table itself
    for name in ("咸安区社区居家养老服务", "农村电影放映", "农村留守儿童关爱服务"):
        assert name in page
    assert "与咸安区现行的2017年 第1版（咸财综发〔2017〕1号）相比" in page
    assert "新增 1 项" in page and "变化 1 项" in page and "删除 0 项" in page
    assert operation_url(county_draft, "publish") in page  # 前往确认发布
    client.logout()
    assert client.get(reverse("catalogue:edition", args=[county_draft.pk])).status_code == 404


@pytest.mark.parametrize("who, status", [("xianan", 200), ("chibi", 404), ("minzheng", 404), ("xianan_minzheng", 404)])
def test_the_preview_is_for_finance_offices_of_that_region(client, users, county_draft, who, status):
    client.force_login(users[who])
    response = client.get(preview_url(county_draft))
    assert response.status_code == status
    if status == 200:
        assert operation_url(county_draft, "publish") not in response.getvalue().decode()  # publishing is the city's


def test_the_preview_is_not_for_the_public(client, county_draft):
    response = client.get(preview_url(county_draft))
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_the_publish_page_lists_what_changes_before_confirming(client, users, county_draft):
    client.force_login(users["shicaizheng"])
    page = client.get(operation_url(county_draft, "publish")).getvalue().decode()
    assert "新增 1 项" in page and "农村留守儿童关爱服务" in page
    assert "农村电影放映：预算（元）" in page
    assert preview_url(county_draft) in page
    assert "确认发布" in page


def test_the_publish_form_puts_a_wrong_document_number_on_its_field(client, users, county_draft):
    client.force_login(users["shicaizheng"])
    response = client.post(
        operation_url(county_draft, "publish"), {"document_number": "咸安财发〔2016〕8号", "published_on": "2017-05-10"}
    )
    assert response.status_code == 200
    assert "不一致" in response.context["form"].errors["document_number"][0]
    response = client.post(
        operation_url(county_draft, "publish"), {"document_number": "咸安财发2017年8号", "published_on": "2017-05-10"}
    )
    assert response.status_code == 302
    county_draft.refresh_from_db()
    assert county_draft.document_number == "咸安财发〔2017〕8号"


def test_a_drafts_region_year_and_revision_are_fixed_once_it_exists(client, users):
    draft = f.edition("xianan", 2018, status=Catalogue.Status.DRAFT)
    client.force_login(users["xianan"])
    form = client.get(admin_url(Catalogue, "change", draft.pk)).context["adminform"].form
    assert not {"region", "year", "revision"} & set(form.fields)
    response = client.post(
        admin_url(Catalogue, "change", draft.pk),
        edition_post(draft, region=f.region("chibi").pk, year="2019", revision="3", title="咸安区2018年目录"),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.region.slug, draft.year, draft.revision, draft.title) == ("xianan", 2018, 1, "咸安区2018年目录")
    client.force_login(users["shicaizheng"])
    add = client.get(admin_url(Catalogue, "add")).context["adminform"].form
    assert {"region", "year", "revision"} <= set(add.fields)


def test_opening_a_revision_in_the_admin_keeps_the_note_the_clerk_writes(client, users):
    edition = f.edition("xianan", 2017, notes="原说明")
    f.item(edition)
    client.force_login(users["xianan"])
    assert client.get(operation_url(edition, "revise")).context["form"].initial == {"notes": "原说明"}
    client.post(operation_url(edition, "revise"), {"notes": "增加留守儿童关爱服务"})
    revision = Catalogue.objects.get(region__slug="xianan", year=2017, revision=2)
    assert revision.notes == "增加留守儿童关爱服务"
    assert revision.history.first().history_change_reason == "由第1版动态调整"


def test_municipal_finance_corrects_a_published_number_and_the_public_page_says_so(client, users):
    edition = f.edition("xianan", 2017, document_number="咸安财发〔2017〕30号", published_on=date(2017, 4, 1))
    f.item(edition)
    client.force_login(users["xianan"])
    assert client.get(operation_url(edition, "correct")).status_code == 403
    client.force_login(users["shicaizheng"])
    form = client.get(operation_url(edition, "correct")).context["form"]
    assert form.initial == {"document_number": "咸安财发〔2017〕30号", "published_on": date(2017, 4, 1)}
    response = client.post(
        operation_url(edition, "correct"),
        {"document_number": "咸安财发〔2017〕3号", "published_on": "2017-04-01", "reason": "印发稿为3号，录入误为30号。"},
    )
    assert response.status_code == 302
    client.logout()
    page = client.get(reverse("catalogue:edition", args=[edition.pk])).getvalue().decode()
    assert "咸安财发〔2017〕3号" in page
    assert "文号“咸安财发〔2017〕30号”更正为“咸安财发〔2017〕3号”" in page and "录入误为30号" in page
    assert "（已更正）" in page
