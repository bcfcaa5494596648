"""Everything the admin does to an edition, a pilot item and a provider, done by a script under the same rules.

Run by tests/test_services_without_admin.py as `python -m tests.scripted.run_services`; prints one line a
step and "ok" at the end, and fails (non-zero exit) on the first rule that did not hold.
"""

import os
import sys
from datetime import date, timedelta
from decimal import Decimal

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.scripted.settings"

import django  # noqa: E402

django.setup()

from django.core.exceptions import PermissionDenied, ValidationError  # noqa: E402
from django.core.management import call_command  # noqa: E402


def refused(call, *exceptions):
    try:
        call()
    except exceptions or (PermissionDenied, ValidationError):
        return True
    return False


def main():
    from django.apps import apps

    assert not apps.is_installed("django.contrib.admin")
    call_command("migrate", verbosity=0)
    call_command("loaddata", "fixtures/regions.json", "fixtures/categories.json", verbosity=0)

    from catalogue import permissions, services
    from catalogue.models import Catalogue, PilotItem, Provider, ServiceCategory
    from tests import factories as f

    city, xianan, chibi = f.municipal(), f.county("xianan", "xianan"), f.county("chibi", "chibi")

    # An edition: a county office opens its own year, not another county's; only municipal finance publishes.
    draft = services.open_next_year(f.region("xianan"), 2017, by=xianan)
    assert draft.is_draft and draft.region.slug == "xianan"
    assert refused(lambda: services.open_next_year(f.region("xianan"), 2018, by=chibi))
    f.item(draft, name="社区居家养老服务")
    assert refused(lambda: services.publish_edition(draft, by=xianan, document_number="咸安财〔2017〕1号", published_on=date(2017, 3, 1)))
    published = services.publish_edition(draft, by=city, document_number="咸安财〔2017〕1号", published_on=date(2017, 3, 1))
    assert published.status == Catalogue.Status.PUBLISHED
    assert refused(lambda: services.publish_edition(published, by=city, document_number="咸安财〔2017〕2号", published_on=date(2017, 3, 2)))
    print("edition: opened, refused to the wrong roles, published, refused twice")

    # A pilot item: the county submits its own, municipal finance returns and approves.
    pilot = f.pilot_item("xianan", 2018, created_by=xianan)
    assert refused(lambda: services.submit_pilot_item(pilot, by=chibi))
    assert refused(lambda: services.submit_pilot_item(pilot, by=city))
    services.submit_pilot_item(pilot, by=xianan)
    assert refused(lambda: services.approve_pilot_item(pilot, by=xianan))
    services.return_pilot_item(pilot, by=city, reason="请补充服务对象范围。")
    services.submit_pilot_item(pilot, by=xianan, comment="已补充。")
    services.approve_pilot_item(pilot, by=city)
    pilot.refresh_from_db()
    assert pilot.status == PilotItem.Status.APPROVED
    assert [step.action for step in pilot.transitions.order_by("pk")] == ["submit", "return", "submit", "approve"]
    print("pilot item: submitted by its county only, returned, approved by municipal finance")

    # A provider: only municipal finance qualifies it, and only once every condition is met.
    provider = f.provider(categories=("C02",))
    until = date.today() + timedelta(days=365)
    categories = list(ServiceCategory.objects.filter(code="C02"))
    assert refused(lambda: services.qualify_provider(provider, by=xianan, categories=categories, until=until))
    assert refused(lambda: services.qualify_provider(provider, by=city, categories=categories, until=until))
    from tests.contract_builders import check_all

    check_all(provider, city)
    services.qualify_provider(provider, by=city, categories=categories, until=until)
    provider.refresh_from_db()
    assert provider.qualification_status == Provider.QualificationStatus.QUALIFIED
    print("provider: refused to a county and before its checks, then qualified")

    # Items: added, changed and deleted in a draft; refused in a published edition, to a department for
    # another body's item, and 试点 to anyone but municipal finance.
    from catalogue.models import CatalogueItem, PurchasingBody
    from catalogue.services.bodies import save_purchasing_body
    from catalogue.services.editions import save_edition_draft
    from catalogue.services.items import delete_item, save_item

    body = save_purchasing_body(
        PurchasingBody(name="咸安区民政局", region=f.region("xianan"), credit_code=f.credit_code("11", "421202")),
        by=xianan,
    )
    assert refused(lambda: save_purchasing_body(
        PurchasingBody(name="赤壁市民政局", region=f.region("chibi"), credit_code=f.credit_code("11", "421281")),
        by=xianan,
    ))
    print("purchasing body: saved by its county, refused in another county")

    opened = save_edition_draft(Catalogue(region=f.region("xianan"), year=2019, title="咸安区2019年目录"), by=xianan)
    assert opened.is_draft and opened.created_by == xianan
    assert refused(lambda: save_edition_draft(Catalogue(region=f.region("xianan"), year=2020, title="咸安"), by=chibi))
    opened.year = 2020
    assert refused(lambda: save_edition_draft(opened, by=xianan))
    opened.refresh_from_db()
    print("edition draft: opened by its county, refused to another, its year fixed")

    category = ServiceCategory.objects.get(code="C0201")
    item = save_item(CatalogueItem(edition=opened, category=category, name="社区助餐"), by=xianan, purchasing_bodies=[body])
    assert item.code == "C0201-01" and list(item.purchasing_bodies.all()) == [body]
    item.budget = Decimal("80000")
    save_item(item, by=xianan)
    assert CatalogueItem.objects.get(pk=item.pk).budget == Decimal("80000")
    pilot_flag = CatalogueItem(edition=opened, category=category, name="试点", is_pilot=True)
    assert refused(lambda: save_item(pilot_flag, by=xianan))
    assert refused(lambda: save_item(item, by=chibi))
    delete_item(item, by=xianan)
    assert not CatalogueItem.objects.filter(pk=item.pk).exists()
    frozen = published.items.get()
    frozen.name = "改名"
    assert refused(lambda: save_item(frozen, by=city))
    assert refused(lambda: delete_item(frozen, by=city))
    assert refused(lambda: save_item(CatalogueItem(edition=published, category=category, name="迟到"), by=city))

    minzheng, weijian = f.purchasing_body("咸宁市民政局"), f.purchasing_body("咸宁市卫生健康委员会")
    department = f.department("minzheng", minzheng)
    city_draft = services.open_next_year(f.region("xianning"), 2017, by=city)
    shared = f.item(city_draft, name="医养结合居家服务", bodies=[minzheng, weijian])
    other = f.item(city_draft, "C0202", name="特困供养", bodies=[weijian])
    assert refused(lambda: save_item(shared, by=department, purchasing_bodies=[minzheng]))
    assert refused(lambda: save_item(other, by=department))
    shared.is_pilot = True
    assert refused(lambda: save_item(shared, by=department))
    shared.is_pilot, shared.edition = False, opened
    assert refused(lambda: save_item(shared, by=department))
    shared.edition, shared.notes = city_draft, "部门补充说明"
    save_item(shared, by=department)
    assert CatalogueItem.objects.get(pk=shared.pk).notes == "部门补充说明"
    assert set(shared.purchasing_bodies.all()) == {minzheng, weijian}
    print("items: added, changed and deleted in a draft; refused when published, to a department and for 试点")

    # A pilot draft: written and deleted by its own county only; once sent, kept.
    from catalogue.models import Region
    from catalogue.services.pilots import delete_pilot_draft, save_pilot_draft
    from catalogue.services.records import save_shared_record

    draft_pilot = f.pilot_item("xianan", 2019, created_by=xianan)
    draft_pilot.name = "社区助浴服务"
    assert refused(lambda: save_pilot_draft(draft_pilot, by=chibi))
    assert refused(lambda: save_pilot_draft(draft_pilot, by=city))
    save_pilot_draft(draft_pilot, by=xianan)
    assert PilotItem.objects.get(pk=draft_pilot.pk).name == "社区助浴服务"
    assert refused(lambda: delete_pilot_draft(pilot, by=xianan))  # approved above: kept with its trail
    delete_pilot_draft(draft_pilot, by=xianan)
    assert not PilotItem.objects.filter(pk=draft_pilot.pk).exists()
    print("pilot draft: saved and deleted by its county only; a sent item kept")

    # Reference data: municipal finance keeps it.
    region = Region.objects.get(slug="xianan")
    region.order += 1
    assert refused(lambda: save_shared_record(region, by=xianan))
    save_shared_record(region, by=city)
    print("reference data: refused to a county office, saved by municipal finance")

    # A contract and its evaluation: recorded, published by finance, and the contract frozen behind it.
    from tests.contract_builders import published_item, recorded_evaluation, saved_contract

    serving = f.provider("咸宁市康乐养老服务中心", qualified_from=date(2016, 1, 1))
    signed = saved_contract(published_item("xianan", 2017), serving, city)
    result = recorded_evaluation(signed, city, 90, 85, 88)
    assert refused(lambda: services.publish_evaluation(result, by=department))
    services.publish_evaluation(result, by=city)
    signed.number = "咸民政采〔2017〕7号"
    assert refused(lambda: services.save_contract(signed, by=city))
    print("contract: recorded, its evaluation published by finance only, then frozen")

    assert permissions.may_act_on(xianan, published, permissions.PREVIEW)
    # The admin app is not installed and the project's admin never loaded (simple_history imports Django's
    # admin package for its own admin class, which registers nothing here).
    assert not apps.is_installed("django.contrib.admin")
    assert not any(name == "catalogue.admin" or name.startswith("catalogue.admin.") for name in sys.modules)
    print("ok")


if __name__ == "__main__":
    main()
