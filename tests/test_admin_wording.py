"""The admin says things a clerk can act on (issue 12, finding 7): bulk actions that read as Chinese, and a
department told that an item is frozen is sent to its finance office (it may not open a revision itself)."""

import pytest

from catalogue.models import Catalogue, CatalogueItem, PilotItem
from tests import factories as f
from tests.staff_builders import admin_url, demo_roles


@pytest.fixture
def users():
    return demo_roles()


def action_labels(client, model):
    response = client.get(admin_url(model, "changelist"))
    return {name: str(label) for name, label in response.context["action_form"].fields["action"].choices if name}


def test_bulk_actions_on_editions_read_as_chinese(client, users):
    f.edition(year=2017)
    client.force_login(users["shicaizheng"])
    labels = action_labels(client, Catalogue)
    assert labels["do_next-year"] == "为所选目录编制下一年度目录"
    assert labels["do_revise"] == "为所选目录新建修订版次（动态调整）"
    assert labels["do_publish"] == "发布所选目录" and labels["do_withdraw"] == "撤回所选目录"
    assert "do_correct" not in labels  # one edition at a time, from its page
    assert not any("编制下一年度目录所选" in label or "动态调整所选" in label for label in labels.values())


def test_bulk_actions_on_pilot_items_read_as_chinese(client, users):
    client.force_login(users["xianan"])
    labels = action_labels(client, PilotItem)
    assert labels["do_submit"] == "报送所选试点事项"
    assert labels["do_withdraw"] == "撤回所选试点事项的报送"


def test_a_department_told_an_item_is_frozen_is_sent_to_its_finance_office(client, users):
    body = f.purchasing_body("咸宁市民政局")
    item = f.item(f.edition(year=2017), bodies=[body])
    client.force_login(users["minzheng"])
    page = client.get(admin_url(CatalogueItem, "change", item.pk)).getvalue().decode()
    assert "请联系本级财政部门" in page
    assert "请新建修订版次（动态调整）" not in page
    client.force_login(users["shicaizheng"])
    assert "请新建修订版次（动态调整）" in client.get(admin_url(CatalogueItem, "change", item.pk)).getvalue().decode()


def test_a_long_return_reason_wraps_in_its_own_column_on_the_admin_home(client, users):
    from catalogue.services import return_pilot_item, submit_pilot_item

    pilot = submit_pilot_item(f.pilot_item(), by=users["xianan"])
    return_pilot_item(pilot, by=users["shicaizheng"], reason="请补充预算测算依据：按服务人数、单价和服务时长分项列明。")
    client.force_login(users["xianan"])
    page = client.get("/admin/").getvalue().decode()
    assert '<td class="work-queue-text">请补充预算测算依据：按服务人数、单价和服务时长分项列明。</td>' in page


def test_every_staff_page_links_the_staff_stylesheet_once(client, users):
    """css/admin-extra.css comes from admin/base_site.html for every admin page; no admin lists it again."""
    edition = f.edition(year=2017)
    item = f.item(edition)
    client.force_login(users["shicaizheng"])
    pages = [
        "/admin/",
        admin_url(Catalogue, "changelist"),
        admin_url(Catalogue, "change", edition.pk),
        admin_url(CatalogueItem, "change", item.pk),
        admin_url(PilotItem, "changelist"),
        f"/admin/catalogue/catalogue/{edition.pk}/do/revise/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.decode().count("css/admin-extra.css") == 1, url
