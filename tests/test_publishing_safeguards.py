"""Publishing is guarded (issue 12, finding 4): the 文号 in its official form, a preview before 确认发布,
a revision's own 说明, fixed identity fields on a draft, and an audited correction of a published 文号 or date."""

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages

from catalogue.models import Catalogue, PublicationCorrection
from catalogue.services import open_revision, publish_edition
from catalogue.services.editions import correct_publication
from catalogue.validators import normalise_document_number
from tests import factories as f


@pytest.fixture
def shicaizheng():
    return f.municipal()


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
