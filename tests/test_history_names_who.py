"""Every service names who acted in the history it writes, whoever calls it: the admin has a request for
django-simple-history to read the user from, a script or a management command has none."""

from datetime import date
from decimal import Decimal

import pytest

from catalogue.models import Catalogue, CatalogueItem, PilotItem, QualificationCheck
from catalogue.services import (
    approve_pilot_item,
    open_revision,
    record_check,
    save_contract,
    set_evaluation_weights,
    submit_pilot_item,
)
from catalogue.services.editions import save_edition_draft
from catalogue.services.pilots import delete_pilot_draft, save_pilot_draft
from tests import factories as f
from tests.contract_builders import contract, evaluation, published_item

pytestmark = pytest.mark.django_db


def who(record):
    return record.history.latest().history_user


def test_the_edition_services_name_who():
    city, xianan = f.municipal(), f.county("xianan", "xianan")
    draft = save_edition_draft(Catalogue(region=f.region("xianan"), year=2019, title="咸安区2019年目录"), by=xianan)
    assert who(draft) == xianan
    published = f.edition("xianning", 2016)
    f.item(published)
    revision = open_revision(published, by=city, notes="调整养老服务事项")
    assert who(revision) == city


def test_the_pilot_services_name_who():
    city, xianan = f.municipal(), f.county("xianan", "xianan")
    pilot = f.pilot_item("xianan", 2018, created_by=xianan)
    pilot.name = "咸安区社区助浴服务"
    save_pilot_draft(pilot, by=xianan)
    assert who(pilot) == xianan
    submit_pilot_item(pilot, by=xianan)
    approve_pilot_item(pilot, by=city)
    pilot.refresh_from_db()
    assert who(pilot) == city and who(CatalogueItem.objects.get(pk=pilot.catalogue_item_id)) == city
    draft = f.pilot_item("xianan", 2019, created_by=xianan)
    delete_pilot_draft(draft, by=xianan)
    assert PilotItem.history.filter(id=draft.pk).latest().history_user == xianan


def test_the_contract_evaluation_and_qualification_services_name_who():
    city = f.municipal()
    provider = f.provider(qualified_from=date(2016, 1, 1))
    signed = save_contract(contract(published_item(budget=Decimal("100000")), provider), by=city)
    assert who(signed) == city
    from catalogue.services import record_evaluation

    result = record_evaluation(evaluation(signed, 90, 90, 90), by=city)
    assert who(result) == city
    weights = set_evaluation_weights(by=city, self_weight=40, satisfaction_weight=30, third_party_weight=30)
    assert who(weights) == city
    check = record_check(
        QualificationCheck(
            provider=provider,
            condition=QualificationCheck.Condition.values[0],
            result=QualificationCheck.Result.MET,
            reference="咸民登〔2016〕12号",
        ),
        by=city,
    )
    assert who(check) == city
