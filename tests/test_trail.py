"""One trail, shown one way: a pilot item's steps and a provider's qualification steps give the same facts (who,
when, from → to, the comment or reason) to one table, and a person is named the same way everywhere."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils import timezone

from catalogue.models import QualificationCheck
from catalogue.models.trails import account_name
from catalogue.services import qualify_provider, return_pilot_item, submit_pilot_item, suspend_provider
from catalogue.services.providers import check_condition
from tests import factories as f

User = get_user_model()


def test_a_person_is_named_by_full_name_else_login_else_a_dash():
    named = User(username="xianan", first_name="三", last_name="张")
    assert account_name(named) == named.get_full_name()
    assert account_name(User(username="xianan")) == "xianan"
    assert account_name(None) == "—"


def test_a_pilot_step_gives_who_and_its_comment():
    xianan, city = f.county(), f.municipal()
    pilot = submit_pilot_item(f.pilot_item(), by=xianan, comment="请审核")
    return_pilot_item(pilot, by=city, reason="请补充测算依据")
    steps = list(pilot.transitions.all())
    assert [(step.by_name, step.note) for step in steps] == [("xianan", "请审核"), ("shicaizheng", "请补充测算依据")]


@pytest.fixture
def qualified():
    city = f.municipal()
    provider = f.provider(kind="ENTERPRISE")
    for condition in QualificationCheck.unchecked(provider):  # an enterprise: all but 7 (年检)
        check_condition(provider, condition, by=city, result="MET", reference="证书号 1")
    until = date.today() + timedelta(days=365)
    qualify_provider(provider, by=city, categories=provider.categories.all(), until=until)
    suspend_provider(provider, by=city, reason="合同履约考核不合格")
    return provider


def test_a_qualification_step_gives_its_terms_and_reason(qualified):
    qualify, suspend = qualified.status_changes.all()
    assert qualify.terms.startswith(f"{qualify.qualified_from} — {qualify.qualified_until}")
    assert suspend.terms == "—" and suspend.note == "合同履约考核不合格"
    assert suspend.by_name == "shicaizheng"


def test_both_trails_render_through_one_table(qualified):
    pilot = submit_pilot_item(f.pilot_item(), by=f.county(), comment="请审核")
    pilot_html = render_to_string(
        "admin/catalogue/includes/trail.html",
        {"steps": pilot.transitions.all(), "table_class": "pilot-trail", "note_title": "意见"},
    )
    provider_html = render_to_string(
        "admin/catalogue/includes/trail.html",
        {"steps": qualified.status_changes.all(), "table_class": "pilot-trail", "terms_title": "认定期限与类别"},
    )
    when = timezone.localtime(pilot.transitions.get().at).strftime("%Y-%m-%d %H:%M")
    assert f"<td>{when}</td><td>报送</td><td>xianan</td><td>草稿 → 已报送</td><td>请审核</td>" in pilot_html
    assert "<td>暂停</td><td>shicaizheng</td><td>已认定 → 已暂停</td><td>—</td><td>合同履约考核不合格</td>" in provider_html
    empty = render_to_string("admin/catalogue/includes/trail.html", {"steps": [], "empty": "尚未报送。"})
    assert "<table" not in empty and "尚未报送。" in empty
