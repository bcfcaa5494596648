"""Who may do what (catalogue/permissions.py): every role tries each rule at its one home.

Roles: a superuser, municipal finance (市财政局), the 咸安区 and 赤壁市 county offices, department staff
of 咸宁市民政局, staff without a profile, an inactive municipal account and an anonymous visitor.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from catalogue import permissions as p
from catalogue.models import Catalogue, Contract, PilotItem, Region
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    body = f.purchasing_body("咸宁市民政局")
    inactive = f.municipal("retired")
    inactive.is_active = False
    inactive.save()
    return {
        "root": f.staff_user("root"),
        "city": f.municipal(),
        "xianan": f.county("xianan", "xianan"),
        "chibi": f.county("chibi", "chibi"),
        "minzheng": f.department("minzheng", body),
        "bare": _bare_staff(),
        "inactive": inactive,
        "anonymous": AnonymousUser(),
        "body": body,
    }


def _bare_staff():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("bare", password="x", is_staff=True)


def _region(slug):
    return Region.objects.get(slug=slug).pk


def _who(people, answer):
    return {name for name in ("root", "city", "xianan", "chibi", "minzheng", "bare", "inactive", "anonymous") if answer(people[name])}


def test_only_municipal_finance_reviews(people):
    assert _who(people, p.may_review) == {"root", "city"}
    pilot = PilotItem(region_id=_region("xianan"))
    assert _who(people, lambda user: p.may_act_on(user, pilot, p.REVIEW)) == {"root", "city"}
    edition = Catalogue(region_id=_region("xianan"))
    assert _who(people, lambda user: p.may_act_on(user, edition, p.PUBLISH)) == {"root", "city"}


def test_finance_is_the_city_or_a_county_office(people):
    assert _who(people, p.is_finance) == {"root", "city", "xianan", "chibi"}


def test_a_county_office_acts_for_its_own_region_only(people):
    xianan = _region("xianan")
    assert _who(people, lambda user: p.acts_for_region(user, xianan)) == {"root", "city", "xianan"}
    edition = Catalogue(region_id=xianan)
    for action in (p.PREVIEW, p.OPEN):
        assert _who(people, lambda user: p.may_act_on(user, edition, action)) == {"root", "city", "xianan"}


def test_a_contract_is_changed_within_its_region_or_by_its_own_body(people):
    body = people["body"]
    city_contract = Contract(region_id=body.region_id, purchasing_body_id=body.pk)
    assert _who(people, lambda user: p.may_act_on(user, city_contract, p.CHANGE)) == {"root", "city", "minzheng"}
    county_contract = Contract(region_id=_region("chibi"), purchasing_body_id=None)
    assert _who(people, lambda user: p.may_act_on(user, county_contract, p.CHANGE)) == {"root", "city", "chibi"}
    assert _who(people, lambda user: p.may_act_on(user, county_contract, p.PUBLISH)) == {"root", "city", "chibi"}


def test_a_county_office_submits_its_own_regions_pilot_items_and_municipal_finance_does_not(people):
    pilot = PilotItem(region_id=_region("xianan"))
    assert _who(people, lambda user: p.may_act_on(user, pilot, p.SUBMIT)) == {"root", "xianan"}
    assert _who(people, p.may_submit_pilots) == {"root", "xianan", "chibi"}


def test_import_into_an_edition_follows_the_editions_scope(people):
    xianan_edition = f.edition("xianan", 2017, status=Catalogue.Status.DRAFT)
    assert _who(people, lambda user: p.may_act_on(user, xianan_edition, p.IMPORT)) == {"root", "city", "xianan"}


def test_an_action_no_rule_names_is_refused(people):
    pilot = PilotItem(region_id=_region("xianan"))
    assert _who(people, lambda user: p.may_act_on(user, pilot, "delete_everything")) == set()
    assert _who(people, lambda user: p.may_act_on(user, people["body"], p.CHANGE)) == set()
