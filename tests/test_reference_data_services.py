"""Reference data every staff role reads (regions, categories, providers' public data) is kept by municipal
finance: services/records.py's save_shared_record / delete_shared_record refuse anyone else, whoever calls them
(the admin's MunicipalEditsMixin only hides the buttons), and name who in the history."""

import pytest
from django.core.exceptions import PermissionDenied

from catalogue.models import Provider, Region, ServiceCategory
from catalogue.services.records import delete_shared_record, save_shared_record
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["county", "department"])
def test_only_municipal_finance_changes_reference_data(role):
    who = f.county() if role == "county" else f.department("minzheng", f.purchasing_body("咸宁市民政局"))
    region = Region.objects.get(slug="xianan")
    region.name = "改名区"
    with pytest.raises(PermissionDenied, match="只有市财政局可以修改行政区划"):
        save_shared_record(region, by=who)
    assert Region.objects.get(slug="xianan").name == "咸安区"
    category = ServiceCategory.objects.create(code="Z", name="测试领域", order=99)
    with pytest.raises(PermissionDenied):
        delete_shared_record(category, by=who)
    assert ServiceCategory.objects.filter(code="Z").exists()


def test_municipal_finance_saves_and_deletes_and_is_named_in_the_history():
    city = f.municipal()
    provider = f.provider("咸宁市阳光社会工作服务中心")
    provider.phone = "0715-8888888"
    save_shared_record(provider, by=city)
    assert Provider.objects.get(pk=provider.pk).phone == "0715-8888888"
    assert provider.history.latest().history_user == city
    category = ServiceCategory.objects.create(code="Z", name="测试领域", order=99)
    delete_shared_record(category, by=city)
    assert not ServiceCategory.objects.filter(code="Z").exists()
