"""What a staff account is bound to, and who keeps it: rules of the data and of catalogue/permissions.py, not of
the user admin, so an account made by a script or the shell obeys them too (DOMAIN.md §11)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from catalogue.models import StaffProfile
from catalogue.permissions import may_manage_account
from catalogue.services.accounts import save_staff_account
from tests import factories as f

Role = StaffProfile.Role


def account(username):
    return get_user_model().objects.create_user(username, is_staff=True)


def test_a_county_finance_account_must_be_bound_to_a_region():
    profile = StaffProfile(user=account("x"), role=Role.COUNTY_FINANCE)
    with pytest.raises(ValidationError) as refused:
        profile.full_clean()
    assert refused.value.message_dict == {"region": ["县级财政部门账号须绑定行政区划。"]}


def test_a_county_finance_account_is_never_bound_to_the_city_even_from_a_script():
    profile = StaffProfile(user=account("x"), role=Role.COUNTY_FINANCE, region=f.region("xianning"))
    with pytest.raises(ValidationError) as refused:
        profile.full_clean()
    assert refused.value.message_dict == {"region": ["县级财政部门账号应绑定县（市、区）或功能区，不能绑定市本级。"]}
    with pytest.raises(ValidationError):
        profile.save()
    assert not StaffProfile.objects.exists()


def test_a_county_finance_account_acts_for_its_region_never_for_a_body():
    body = f.purchasing_body("咸安区民政局", region_slug="xianan")
    profile = StaffProfile.objects.create(
        user=account("x"), role=Role.COUNTY_FINANCE, region=f.region("xianan"), purchasing_body=body
    )
    profile.refresh_from_db()
    assert profile.purchasing_body is None and profile.region.slug == "xianan"


def test_a_department_account_must_be_bound_to_its_body():
    profile = StaffProfile(user=account("x"), role=Role.DEPARTMENT, region=f.region("xianan"))
    with pytest.raises(ValidationError) as refused:
        profile.full_clean()
    assert refused.value.message_dict == {"purchasing_body": ["部门账号须绑定购买主体。"]}


def test_a_department_accounts_region_follows_its_body():
    body = f.purchasing_body("赤壁市民政局", region_slug="chibi")
    profile = StaffProfile.objects.create(
        user=account("x"), role=Role.DEPARTMENT, region=f.region("xianning"), purchasing_body=body
    )
    profile.refresh_from_db()
    assert profile.region.slug == "chibi"


def test_municipal_finance_keeps_county_department_and_unbound_accounts_only():
    municipal = f.municipal()
    county = f.county()
    department = f.department()
    unbound = account("new")
    peer = f.municipal("shicaizheng2")
    superuser = f.staff_user("admin")
    assert may_manage_account(municipal, county)
    assert may_manage_account(municipal, department)
    assert may_manage_account(municipal, unbound)
    assert not may_manage_account(municipal, peer)
    assert not may_manage_account(municipal, municipal)
    assert not may_manage_account(municipal, superuser)
    assert all(may_manage_account(superuser, other) for other in (municipal, peer, county, superuser))


def test_an_account_municipal_finance_keeps_is_staff_and_never_a_superuser():
    municipal = f.municipal()
    forged = get_user_model()(username="new", is_staff=False, is_superuser=True)
    save_staff_account(forged, by=municipal)
    forged.refresh_from_db()
    assert forged.is_staff and not forged.is_superuser


def test_municipal_finance_cannot_save_a_peers_account_a_superuser_can():
    municipal, peer = f.municipal(), f.municipal("shicaizheng2")
    peer.email = "x@xianning.example"
    with pytest.raises(PermissionDenied):
        save_staff_account(peer, by=municipal)
    superuser = f.staff_user("admin")
    peer.is_superuser = True
    save_staff_account(peer, by=superuser)
    peer.refresh_from_db()
    assert peer.is_superuser and peer.email == "x@xianning.example"


def test_an_accounts_scope_is_named_by_its_body_its_region_or_the_city():
    assert f.department().staff_profile.scope_name == "咸宁市民政局"
    assert f.county().staff_profile.scope_name == "咸安区"
    unbound = StaffProfile(user=account("x"), role=Role.MUNICIPAL_FINANCE)
    assert unbound.scope_name == "全市"


def test_only_municipal_finance_and_superusers_keep_accounts():
    county, department = f.county(), f.department()
    assert not may_manage_account(county, account("new"))
    assert not may_manage_account(department, county)
    with pytest.raises(PermissionDenied):
        save_staff_account(get_user_model()(username="new2"), by=county)
