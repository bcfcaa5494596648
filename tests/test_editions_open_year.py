"""A county's catalogue for a new year, whichever comes first: an approved pilot item or 编制下一年度目录.

Issue 12, finding 1: approving a pilot item into a year with no catalogue used to open a draft
holding only that item, and 编制下一年度目录 then refused the year as existing. Either order now
ends with the same draft: last year's published items plus the approved pilot items.
"""

import pytest
from django.core.exceptions import ValidationError

from catalogue.models import Catalogue, PilotItem
from catalogue.services import approve_pilot_item, open_next_year, submit_pilot_item
from tests import factories as f


@pytest.fixture
def last_year():
    """咸安区's 2017 catalogue, published, with two items."""
    edition = f.edition(region_slug="xianan", year=2017)
    f.item(edition, name="咸安区社区居家养老服务")
    f.item(edition, category_code="F0102", name="农村电影放映")
    return edition


def approved(pilot, *, county, reviewer):
    return approve_pilot_item(submit_pilot_item(pilot, by=county), by=reviewer)


def names(edition):
    return sorted(edition.items.values_list("name", flat=True))


def test_approving_into_a_year_without_a_catalogue_opens_it_from_last_years(last_year, shicaizheng, xianan):
    pilot = approved(f.pilot_item(year=2018), county=xianan, reviewer=shicaizheng)
    edition = pilot.catalogue_item.edition
    assert (edition.year, edition.revision, edition.status) == (2018, 1, Catalogue.Status.DRAFT)
    assert edition.title == Catalogue.default_title(f.region("xianan"), 2018)
    assert names(edition) == ["农村电影放映", "咸安区农村特困供养机构托管", "咸安区社区居家养老服务"]
    assert list(edition.items.filter(is_pilot=True).values_list("name", flat=True)) == ["咸安区农村特困供养机构托管"]
    assert names(last_year) == ["农村电影放映", "咸安区社区居家养老服务"]  # the published one is untouched


def test_opening_the_year_after_an_approval_merges_last_years_items(last_year, shicaizheng, xianan):
    """The year was first opened by an approval when no catalogue was published yet; 编制下一年度目录 fills it."""
    Catalogue.objects.filter(pk=last_year.pk).update(status=Catalogue.Status.DRAFT)  # nothing published yet
    pilot = approved(f.pilot_item(year=2018), county=xianan, reviewer=shicaizheng)
    draft = pilot.catalogue_item.edition
    assert names(draft) == ["咸安区农村特困供养机构托管"]
    Catalogue.objects.filter(pk=last_year.pk).update(status=Catalogue.Status.PUBLISHED)

    opened = open_next_year(f.region("xianan"), 2018, by=xianan)

    assert opened.pk == draft.pk
    assert names(opened) == ["农村电影放映", "咸安区农村特困供养机构托管", "咸安区社区居家养老服务"]
    assert opened.history.first().history_change_reason.startswith("并入")
    assert Catalogue.objects.filter(region__slug="xianan", year=2018).count() == 1


def test_approving_after_the_year_was_opened_adds_the_item_to_that_draft(last_year, shicaizheng, xianan):
    opened = open_next_year(f.region("xianan"), 2018, by=xianan)
    pilot = approved(f.pilot_item(year=2018), county=xianan, reviewer=shicaizheng)
    assert pilot.catalogue_item.edition_id == opened.pk
    assert names(opened) == ["农村电影放映", "咸安区农村特困供养机构托管", "咸安区社区居家养老服务"]


def test_a_year_with_items_of_its_own_is_still_refused(last_year, xianan):
    draft = f.edition(region_slug="xianan", year=2018, status=Catalogue.Status.DRAFT)
    f.item(draft, name="已编制的事项")
    with pytest.raises(ValidationError, match="已经存在"):
        open_next_year(f.region("xianan"), 2018, by=xianan)
    assert names(draft) == ["已编制的事项"]


def test_merging_twice_copies_last_years_items_once(last_year, shicaizheng, xianan):
    Catalogue.objects.filter(pk=last_year.pk).update(status=Catalogue.Status.DRAFT)
    pilot = approved(f.pilot_item(year=2018), county=xianan, reviewer=shicaizheng)
    Catalogue.objects.filter(pk=last_year.pk).update(status=Catalogue.Status.PUBLISHED)
    open_next_year(f.region("xianan"), 2018, by=xianan)
    with pytest.raises(ValidationError, match="已经存在"):
        open_next_year(f.region("xianan"), 2018, by=xianan)
    assert pilot.catalogue_item.edition.items.count() == 3
    assert PilotItem.objects.get(pk=pilot.pk).catalogue_item.is_pilot
