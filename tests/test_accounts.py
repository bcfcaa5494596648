"""Accounts: municipal finance creates, binds and disables county and department accounts without being
a superuser, and cannot make anyone more than the three roles; staff change their own password in Chinese."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.roles import ROLE_GROUPS, ROLE_PERMISSIONS
from catalogue.models import StaffProfile
from tests import factories as f
from tests.staff_builders import admin_url, demo_roles, fingerprint, messages_of

User = get_user_model()
PASSWORD = "xianning-demo-2015"


@pytest.fixture
def users():
    return demo_roles()


@pytest.fixture
def municipal_client(client, users):
    client.force_login(users["shicaizheng"])
    return client


def profile_inline(role="", region="", body="", profile=None, user=None):
    data = {
        "staff_profile-TOTAL_FORMS": "1",
        "staff_profile-INITIAL_FORMS": "1" if profile else "0",
        "staff_profile-MIN_NUM_FORMS": "1",
        "staff_profile-MAX_NUM_FORMS": "1",
        "staff_profile-0-role": role,
        "staff_profile-0-region": region,
        "staff_profile-0-purchasing_body": body,
    }
    if profile:
        data["staff_profile-0-id"] = profile.pk
        data["staff_profile-0-user"] = user.pk
    return data


def new_account(username, **profile):
    return {
        "username": username,
        "password1": "jiayu-caizheng-2016",
        "password2": "jiayu-caizheng-2016",
        "_save": "保存",
        **profile_inline(**profile),
    }


def account_change(user, **overrides):
    profile = user.staff_profile
    data = {
        "username": user.username,
        "last_name": user.last_name,
        "first_name": user.first_name,
        "email": user.email,
        "is_active": "on",
        "_save": "保存",
        **profile_inline(
            profile.role, profile.region_id or "", profile.purchasing_body_id or "", profile=profile, user=user
        ),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_municipal_finance_creates_and_binds_a_county_account(municipal_client):
    jiayu = f.region("jiayu")
    response = municipal_client.post(
        admin_url(User, "add"), new_account("jiayu", role="COUNTY_FINANCE", region=jiayu.pk)
    )
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    account = User.objects.get(username="jiayu")
    assert (account.is_staff, account.is_superuser, account.is_active) == (True, False, True)
    assert (account.staff_profile.role, account.staff_profile.region) == (StaffProfile.Role.COUNTY_FINANCE, jiayu)
    assert list(account.groups.values_list("name", flat=True)) == ["县级财政部门"]

    # The new account works at once, within its county.
    other = municipal_client.__class__()
    assert other.login(username="jiayu", password="jiayu-caizheng-2016")
    assert other.get(reverse("admin:index")).status_code == 200
    assert other.get(admin_url(f.edition("jiayu", 2016)._meta.model, "changelist")).status_code == 200


def test_municipal_finance_binds_a_department_account_to_its_body(municipal_client):
    body = f.purchasing_body("咸宁市教育局")
    response = municipal_client.post(admin_url(User, "add"), new_account("jiaoyu", role="DEPARTMENT", body=body.pk))
    assert response.status_code == 302
    account = User.objects.get(username="jiaoyu")
    assert (account.staff_profile.purchasing_body, account.staff_profile.region) == (body, body.region)
    assert list(account.groups.values_list("name", flat=True)) == ["部门"]


def test_an_account_must_be_bound_to_what_its_role_needs(municipal_client):
    before = fingerprint()
    response = municipal_client.post(admin_url(User, "add"), new_account("weibangding", role="COUNTY_FINANCE"))
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors[0]
    assert errors["region"] == ["县级财政部门账号须绑定行政区划。"]
    response = municipal_client.post(
        admin_url(User, "add"), new_account("shibenji", role="COUNTY_FINANCE", region=f.region("xianning").pk)
    )
    errors = response.context["inline_admin_formsets"][0].formset.errors[0]
    assert errors["region"] == ["县级财政部门账号应绑定县（市、区）或功能区，不能绑定市本级。"]
    response = municipal_client.post(admin_url(User, "add"), new_account("wujuese"))
    assert response.status_code == 200
    assert fingerprint() == before


def test_municipal_finance_disables_a_county_account(municipal_client, users):
    chibi = users["chibi"]
    response = municipal_client.post(admin_url(User, "change", chibi.pk), account_change(chibi, is_active=None))
    assert response.status_code == 302
    chibi.refresh_from_db()
    assert chibi.is_active is False
    assert not municipal_client.__class__().login(username="chibi", password=PASSWORD)
    # An account is disabled, never deleted.
    assert municipal_client.post(admin_url(User, "delete", chibi.pk), {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=chibi.pk).exists()


def test_municipal_finance_cannot_create_a_superuser_or_grant_more_than_a_role(municipal_client):
    everything = list(Permission.objects.values_list("pk", flat=True))
    municipal_group = Group.objects.get(name="市财政局")
    data = new_account("jiayu", role="COUNTY_FINANCE", region=f.region("jiayu").pk)
    data.update(
        {"is_superuser": "on", "groups": [municipal_group.pk], "user_permissions": everything}
    )
    assert municipal_client.post(admin_url(User, "add"), data).status_code == 302
    account = User.objects.get(username="jiayu")
    assert account.is_superuser is False
    assert list(account.groups.values_list("name", flat=True)) == ["县级财政部门"]
    assert account.user_permissions.count() == 0

    before = fingerprint()
    response = municipal_client.post(
        admin_url(User, "add"), new_account("caizheng2", role="MUNICIPAL_FINANCE", region=f.region("xianning").pk)
    )
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors[0]
    assert any("选择一个有效的选项" in message for message in errors["role"])
    assert fingerprint() == before


def test_municipal_finance_cannot_escalate_an_existing_account(municipal_client, users):
    chibi = users["chibi"]
    before = fingerprint()
    data = account_change(chibi, is_superuser="on", is_staff="on")
    data["staff_profile-0-role"] = "MUNICIPAL_FINANCE"
    data["groups"] = [Group.objects.get(name="市财政局").pk]
    response = municipal_client.post(admin_url(User, "change", chibi.pk), data)
    assert response.status_code == 200
    assert fingerprint() == before
    data["staff_profile-0-role"] = "COUNTY_FINANCE"
    assert municipal_client.post(admin_url(User, "change", chibi.pk), data).status_code == 302
    chibi.refresh_from_db()
    assert chibi.is_superuser is False
    assert list(chibi.groups.values_list("name", flat=True)) == ["县级财政部门"]


def test_municipal_finance_cannot_touch_superusers_its_peers_or_itself(municipal_client, users):
    admin = f.staff_user("admin")
    peer = f.municipal("shicaizheng2")
    me = users["shicaizheng"]
    before = fingerprint()
    assert municipal_client.get(admin_url(User, "change", admin.pk)).status_code == 404
    assert municipal_client.get(reverse("admin:auth_user_password_change", args=[admin.pk])).status_code == 404
    listing = municipal_client.get(admin_url(User, "changelist"))
    assert admin.pk not in {user.pk for user in listing.context["cl"].result_list}

    for account in (peer, me):
        page = municipal_client.get(admin_url(User, "change", account.pk))
        assert page.status_code == 200 and page.context["has_change_permission"] is False
        data = {"username": account.username, "is_superuser": "on", "_save": "保存", **profile_inline()}
        assert municipal_client.post(admin_url(User, "change", account.pk), data).status_code == 403
        url = reverse("admin:auth_user_password_change", args=[account.pk])
        response = municipal_client.post(url, {"password1": "x-taken-2015", "password2": "x-taken-2015"})
        assert response.status_code == 403
    # Groups are the role's, not the clerk's to edit.
    assert municipal_client.get(admin_url(Group, "changelist")).status_code == 403
    assert fingerprint() == before


def test_a_county_user_changes_their_own_password_in_chinese(client, users):
    assert client.login(username="xianan", password=PASSWORD)
    page = client.get(reverse("admin:password_change"))
    assert page.status_code == 200
    text = page.getvalue().decode()
    for words in ["修改密码", "旧密码", "新密码"]:
        assert words in text
    wrong = client.post(
        reverse("admin:password_change"),
        {"old_password": "wrong", "new_password1": "xianan-caizheng-2017", "new_password2": "xianan-caizheng-2017"},
    )
    assert "你的旧密码不正确" in wrong.getvalue().decode() or "旧密码不正确" in wrong.getvalue().decode()
    response = client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": "xianan-caizheng-2017", "new_password2": "xianan-caizheng-2017"},
        follow=True,
    )
    assert response.status_code == 200
    assert "密码修改成功" in response.getvalue().decode() or "你的密码已修改" in response.getvalue().decode()
    client.logout()
    assert client.login(username="xianan", password="xianan-caizheng-2017")


def test_each_group_holds_exactly_its_roles_permissions(users):
    for role, name in ROLE_GROUPS.items():
        granted = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=name).permissions.select_related("content_type")
        }
        expected = {
            f"{label.split('.')[0]}.{action}_{label.split('.')[1]}"
            for label, actions in ROLE_PERMISSIONS[role].items()
            for action in actions
        }
        assert granted == expected
    county = Group.objects.get(name="县级财政部门")
    assert not county.permissions.filter(content_type__app_label="auth").exists()
    assert not county.permissions.filter(codename__in=["change_provider", "change_region"]).exists()


def test_setup_roles_is_idempotent_and_writes_nothing_the_second_time(users):
    before = fingerprint()
    with CaptureQueriesContext(connection) as queries:
        call_command("setup_roles", verbosity=0, stdout=open("/dev/null", "w"))
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert fingerprint() == before


def test_setup_roles_puts_each_profiled_account_in_its_roles_group(db):
    account = f.county("tongshan", "tongshan")
    assert not account.groups.exists()
    call_command("setup_roles", verbosity=0, stdout=open("/dev/null", "w"))
    assert list(account.groups.values_list("name", flat=True)) == ["县级财政部门"]


def test_changing_a_role_moves_the_account_to_the_new_group(municipal_client, users):
    chibi = users["chibi"]
    body = f.purchasing_body("赤壁市民政局", "chibi")
    data = account_change(chibi)
    data.update({"staff_profile-0-role": "DEPARTMENT", "staff_profile-0-purchasing_body": body.pk})
    response = municipal_client.post(admin_url(User, "change", chibi.pk), data)
    assert response.status_code == 302, messages_of(response)
    assert list(chibi.groups.values_list("name", flat=True)) == ["部门"]
