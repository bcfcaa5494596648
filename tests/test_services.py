"""The edition lifecycle and the pilot-item review, through the services every path calls."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from catalogue.models import Catalogue, CatalogueItem, PilotItem
from catalogue.services import (
    approve_pilot_item,
    open_next_year,
    open_revision,
    publish_edition,
    return_pilot_item,
    submit_pilot_item,
    withdraw_edition,
)
from tests import factories as f


def test_publishing_a_correction_supersedes_the_revision_in_force(shicaizheng):
    first = f.edition(year=2017)
    f.item(first)
    second = open_revision(first, by=shicaizheng)
    assert (second.revision, second.status, second.items.count()) == (2, Catalogue.Status.DRAFT, 1)
    publish_edition(second, by=shicaizheng, document_number="咸财综发〔2017〕21号", published_on=date(2017, 9, 1))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Catalogue.Status.SUPERSEDED
    assert second.status == Catalogue.Status.PUBLISHED
    assert list(Catalogue.objects.published()) == [second]


def test_a_county_office_cannot_publish(xianan):
    draft = f.edition(region_slug="xianan", status=Catalogue.Status.DRAFT)
    f.item(draft)
    with pytest.raises(PermissionDenied):
        publish_edition(draft, by=xianan, document_number="咸安财发〔2017〕3号", published_on=date(2017, 4, 1))
    draft.refresh_from_db()
    assert draft.status == Catalogue.Status.DRAFT


def test_publishing_needs_a_number_and_items(shicaizheng):
    draft = f.edition(status=Catalogue.Status.DRAFT)
    with pytest.raises(ValidationError) as exc:
        publish_edition(draft, by=shicaizheng, document_number=" ", published_on=None)
    assert set(exc.value.message_dict) == {"document_number", "published_on"}
    with pytest.raises(ValidationError, match="还没有事项"):
        publish_edition(draft, by=shicaizheng, document_number="咸财综发〔2016〕1号", published_on=date(2016, 3, 1))


def test_a_published_edition_cannot_be_published_again(shicaizheng):
    edition = f.edition()
    f.item(edition)
    with pytest.raises(ValidationError, match="只有草稿可以发布"):
        publish_edition(edition, by=shicaizheng, document_number="咸财综发〔2016〕9号", published_on=date(2016, 3, 1))


def test_withdrawing_needs_a_reason_and_hides_the_edition(shicaizheng):
    edition = f.edition()
    with pytest.raises(ValidationError):
        withdraw_edition(edition, by=shicaizheng, reason="")
    withdraw_edition(edition, by=shicaizheng, reason="文号有误，重新印发")
    assert not Catalogue.objects.public().exists()
    assert edition.history.first().history_change_reason == "文号有误，重新印发"


def test_only_one_draft_revision_at_a_time(shicaizheng):
    edition = f.edition()
    open_revision(edition, by=shicaizheng)
    with pytest.raises(ValidationError, match="已有草稿版次"):
        open_revision(edition, by=shicaizheng)


def test_next_year_starts_from_the_newest_published_revision(xianan):
    old = f.edition(region_slug="xianan", year=2016)
    f.item(old, name="咸安区社区居家养老服务")
    f.item(old, category_code="F0102", name="农村电影放映")
    new = open_next_year(f.region("xianan"), 2017, by=xianan)
    assert new.status == Catalogue.Status.DRAFT
    assert sorted(new.items.values_list("name", flat=True)) == ["农村电影放映", "咸安区社区居家养老服务"]
    assert old.items.count() == 2


def test_a_county_office_cannot_open_another_countys_year(xianan):
    with pytest.raises(PermissionDenied):
        open_next_year(f.region("chibi"), 2018, by=xianan)


def test_the_whole_pilot_path_places_a_pilot_item_in_a_new_revision(shicaizheng, xianan):
    published = f.edition(region_slug="xianan", year=2017)
    f.item(published, name="咸安区社区居家养老服务")
    pilot = f.pilot_item()
    pilot = submit_pilot_item(pilot, by=xianan)
    assert pilot.status == PilotItem.Status.SUBMITTED
    pilot = return_pilot_item(pilot, by=shicaizheng, reason="请补充托管机构的服务标准和考核办法。")
    assert pilot.status == PilotItem.Status.RETURNED
    pilot.performance_standard = "供养人员满意度不低于90%，安全责任事故为零。"
    pilot.save()
    pilot = submit_pilot_item(pilot, by=xianan, comment="已补充绩效评价标准")
    pilot = approve_pilot_item(pilot, by=shicaizheng)
    assert pilot.status == PilotItem.Status.APPROVED
    item = pilot.catalogue_item
    assert item.is_pilot and item.edition.region.slug == "xianan"
    assert (item.edition.revision, item.edition.status) == (2, Catalogue.Status.DRAFT)
    assert item.edition.items.count() == 2
    trail = list(pilot.transitions.values_list("action", "from_status", "to_status", "by__username"))
    assert trail == [
        ("submit", "DRAFT", "SUBMITTED", "xianan"),
        ("return", "SUBMITTED", "RETURNED", "shicaizheng"),
        ("submit", "RETURNED", "SUBMITTED", "xianan"),
        ("approve", "SUBMITTED", "APPROVED", "shicaizheng"),
    ]


def test_a_returned_item_cannot_be_approved_without_resubmission(shicaizheng, xianan):
    pilot = submit_pilot_item(f.pilot_item(), by=xianan)
    return_pilot_item(pilot, by=shicaizheng, reason="预算依据不足")
    with pytest.raises(ValidationError, match="已退回"):
        approve_pilot_item(pilot, by=shicaizheng)
    assert not CatalogueItem.objects.exists()


def test_returning_needs_a_reason(shicaizheng, xianan):
    pilot = submit_pilot_item(f.pilot_item(), by=xianan)
    with pytest.raises(ValidationError):
        return_pilot_item(pilot, by=shicaizheng, reason="  ")
    pilot.refresh_from_db()
    assert pilot.status == PilotItem.Status.SUBMITTED


def test_another_countys_office_cannot_submit(xianan):
    chibi = f.county("chibi", "chibi")
    pilot = f.pilot_item(region_slug="xianan")
    with pytest.raises(PermissionDenied):
        submit_pilot_item(pilot, by=chibi)
    assert not pilot.transitions.exists()


def test_a_county_office_cannot_approve_its_own_item(xianan):
    pilot = submit_pilot_item(f.pilot_item(), by=xianan)
    with pytest.raises(PermissionDenied):
        approve_pilot_item(pilot, by=xianan)


def test_the_negative_list_must_be_confirmed_before_submission(xianan):
    pilot = f.pilot_item()
    type(pilot).objects.filter(pk=pilot.pk).update(negative_list_confirmed=False)
    pilot.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        submit_pilot_item(pilot, by=xianan)
    assert "负面清单" in exc.value.message_dict["negative_list_confirmed"][0]
    pilot.refresh_from_db()
    assert pilot.status == PilotItem.Status.DRAFT and not pilot.transitions.exists()


def test_scopes_show_each_role_only_its_own():
    from catalogue.models import PurchasingBody

    city = f.edition(year=2017)
    xianan_edition = f.edition(region_slug="xianan", year=2017)
    chibi_edition = f.edition(region_slug="chibi", year=2017)
    minzheng_body = f.purchasing_body("咸宁市民政局")
    jiaoyu = f.purchasing_body("咸宁市教育局")
    bought = f.item(city, bodies=[minzheng_body])
    f.item(city, category_code="A0101", name="公共教育资讯收集与统计分析", bodies=[jiaoyu])
    f.item(xianan_edition, name="咸安区社区居家养老服务")
    f.item(chibi_edition, name="赤壁市社区居家养老服务")
    users = {
        "shicaizheng": f.municipal(),
        "xianan": f.county(),
        "chibi": f.county("chibi", "chibi"),
        "minzheng": f.department(body=minzheng_body),
    }
    assert CatalogueItem.objects.visible_to(users["shicaizheng"]).count() == 4
    assert set(CatalogueItem.objects.visible_to(users["xianan"]).values_list("edition__region__slug", flat=True)) == {
        "xianan"
    }
    assert set(Catalogue.objects.visible_to(users["chibi"])) == {chibi_edition}
    assert list(CatalogueItem.objects.visible_to(users["minzheng"])) == [bought]
    assert list(PurchasingBody.objects.visible_to(users["minzheng"])) == [minzheng_body]
    assert not CatalogueItem.objects.editable_by(users["minzheng"]).exists()  # the city edition is published
