"""Open data (issue 5): a public edition as an OCDS 1.1.5 release package, validated offline against the
schema vendored in catalogue/ocds_schema/ and its codelists; drafts and withdrawn editions answer 404."""

import csv
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from catalogue import ocds
from catalogue.models import Catalogue, ProcurementMethod
from tests import factories as f
from tests.public_builders import bulk_items

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "catalogue" / "ocds_schema"


def load(name):
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def codes(name):
    with open(SCHEMA_DIR / name, encoding="utf-8") as handle:
        return {row["Code"] for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def validator():
    """Draft 4 validator of the vendored package schema; its $ref to the release schema resolves locally."""
    package_schema = load("release-package-schema.json")
    release_schema = load("release-schema.json")
    registry = Registry().with_resources(
        (schema["id"], Resource.from_contents(schema, default_specification=DRAFT4))
        for schema in (package_schema, release_schema)
    )
    Draft4Validator.check_schema(package_schema)
    return Draft4Validator(package_schema, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)


def assert_valid(validator, package):
    errors = sorted(validator.iter_errors(package), key=lambda error: list(error.absolute_path))
    assert not errors, "\n".join(f"{list(error.absolute_path)}: {error.message}" for error in errors[:10])


def ocds_url(edition):
    return reverse("catalogue:edition_ocds", args=[edition.pk])


def fetch(client, edition):
    response = client.get(ocds_url(edition))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.getvalue())


@pytest.fixture
def bodies():
    return [
        f.purchasing_body("咸宁市民政局", short_name="市民政局"),
        f.purchasing_body("咸宁市卫生健康委员会", short_name="市卫健委"),
    ]


@pytest.fixture
def city(bodies):
    edition = f.edition(year=2016, document_number="咸财综发〔2016〕12号", published_on=date(2016, 4, 8))
    f.item(
        edition, "C0201", "社区居家养老服务", bodies=bodies, budget=Decimal("120000"), code="C0201-01",
        provider_requirements="依法登记的养老服务类社会组织，具有2年以上居家养老服务经验。",
    )
    f.item(edition, "C0202", "农村特困供养机构托管", bodies=[bodies[0]], code="C0202-01",
           procurement_method=ProcurementMethod.SINGLE_SOURCE, budget=Decimal("1234.50"))
    f.item(edition, "H0101", "会议服务", code="H0101-01", procurement_method=ProcurementMethod.INVITED_TENDER)
    return edition


def release_for(package, code):
    return next(release for release in package["releases"] if release["tender"]["items"][0]["id"] == code)


# -- valid OCDS, by the vendored schema and codelists -----------------------------------------------------


def test_the_vendored_schema_is_the_unchanged_ocds_1_1_5_with_its_licence_notice():
    release_id = load("release-schema.json")["id"]
    assert release_id == "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"
    assert load("release-package-schema.json")["properties"]["releases"]["items"]["$ref"] == release_id
    readme = (SCHEMA_DIR / "README.md").read_text(encoding="utf-8")
    assert "Apache License 2.0" in readme and "1.1.5" in readme


def test_a_published_edition_is_a_valid_release_package(client, city, validator):
    package = fetch(client, city)
    assert_valid(validator, package)
    assert len(package["releases"]) == 3


def test_the_validator_really_checks_the_releases(validator, client, city):
    """A broken release must fail: the $ref to the release schema is resolved, not skipped."""
    package = fetch(client, city)
    package["releases"][0]["tender"]["procurementMethod"] = "auction"
    package["releases"][1]["tag"] = ["planing"]
    del package["releases"][2]["ocid"]
    messages = [error.message for error in validator.iter_errors(package)]
    assert any("auction" in message for message in messages)
    assert any("planing" in message for message in messages)
    assert any("'ocid' is a required property" in message for message in messages)


def test_codes_come_from_the_vendored_codelists(client, city):
    package = fetch(client, city)
    methods, statuses, tags = codes("method.csv"), codes("tenderStatus.csv"), codes("releaseTag.csv")
    for release in package["releases"]:
        assert release["tender"]["procurementMethod"] in methods
        assert release["tender"]["status"] in statuses
        assert set(release["tag"]) <= tags


@pytest.mark.parametrize("method", [value for value, _label in ProcurementMethod.choices])
def test_every_procurement_method_maps_to_the_ocds_method_codelist(method):
    assert ocds.METHODS[method] in codes("method.csv")


def test_methods_map_by_how_competitive_they_are():
    assert ocds.METHODS[ProcurementMethod.OPEN_TENDER] == "open"
    assert ocds.METHODS[ProcurementMethod.INVITED_TENDER] == "selective"
    assert ocds.METHODS[ProcurementMethod.COMPETITIVE_CONSULTATION] == "limited"
    assert ocds.METHODS[ProcurementMethod.SINGLE_SOURCE] == "direct"


def test_dates_are_rfc3339_date_times_in_china_time(client, city):
    package = fetch(client, city)
    assert package["publishedDate"] == "2016-04-08T00:00:00+08:00"
    for release in package["releases"]:
        assert datetime.fromisoformat(release["date"]).utcoffset().total_seconds() == 8 * 3600


# -- the mapping ----------------------------------------------------------------------------------------------


def test_the_package_names_its_publisher_uri_and_version(client, city):
    package = fetch(client, city)
    assert package["version"] == "1.1"
    assert package["publisher"]["name"] == "咸宁市财政局"
    assert package["uri"] == f"{settings.PUBLIC_URL}{ocds_url(city)}"  # the site's own address, whoever asks
    assert "license" not in package  # none chosen yet: settings.OCDS_LICENSE


def test_a_licence_is_published_when_configured(client, city, settings, validator):
    settings.OCDS_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
    package = fetch(client, city)
    assert package["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert_valid(validator, package)


def test_an_item_is_a_planning_release_with_a_stable_ocid(client, city, bodies):
    release = release_for(fetch(client, city), "C0201-01")
    assert release["ocid"] == "ocds-xnzfgm-421200-2016-C0201-01"
    assert release["id"] == "421200-2016-r1-C0201-01"
    assert release["tag"] == ["planning"]
    assert release["initiationType"] == "tender" and release["language"] == "zh"
    assert release["date"] == "2016-04-08T00:00:00+08:00"


def test_every_purchasing_body_is_a_buyer_party_with_its_credit_code(client, city, bodies):
    release = release_for(fetch(client, city), "C0201-01")
    item = city.items.get(code="C0201-01")
    assert [party["name"] for party in release["parties"]] == [body.name for body in item.purchasing_bodies.all()]
    by_name = {party["name"]: party for party in release["parties"]}
    civil = by_name["咸宁市民政局"]
    assert civil["roles"] == ["buyer"]
    assert civil["identifier"] == {"scheme": "XN-USCC", "id": bodies[0].credit_code, "legalName": "咸宁市民政局"}
    assert civil["id"] == f"XN-USCC-{bodies[0].credit_code}"
    first = release["parties"][0]
    assert release["buyer"] == {"id": first["id"], "name": first["name"]}


def test_planning_holds_the_budget_and_the_content(client, city):
    package = fetch(client, city)
    release = release_for(package, "C0201-01")
    assert release["planning"]["budget"]["amount"] == {"amount": 120000, "currency": "CNY"}
    assert "咸财综发〔2016〕12号" in release["planning"]["budget"]["description"]
    assert release["planning"]["rationale"] == "为居家老年人提供生活照料、助餐助浴、精神慰藉等上门服务。"
    assert release_for(package, "C0202-01")["planning"]["budget"]["amount"]["amount"] == 1234.5
    no_budget = release_for(package, "H0101-01")["planning"]["budget"]
    assert "amount" not in no_budget and no_budget["description"]
    links = [document["url"] for document in release["planning"]["documents"]]
    item = city.items.get(code="C0201-01")
    assert links == [f"{settings.PUBLIC_URL}{item.get_absolute_url()}", f"{settings.PUBLIC_URL}{city.get_absolute_url()}"]


def test_tender_describes_the_service_its_method_and_who_may_bid(client, city):
    tender = release_for(fetch(client, city), "C0201-01")["tender"]
    assert tender["id"] == "421200-2016-C0201-01"
    assert tender["title"] == "社区居家养老服务"
    assert tender["status"] == "planning" and tender["mainProcurementCategory"] == "services"
    assert (tender["procurementMethod"], tender["procurementMethodDetails"]) == ("open", "公开招标")
    assert tender["eligibilityCriteria"] == "依法登记的养老服务类社会组织，具有2年以上居家养老服务经验。"
    item = tender["items"][0]
    assert item["classification"] == {"scheme": "XN-ZFGM", "id": "C0201", "description": "社区居家养老服务"}
    assert [c["id"] for c in item["additionalClassifications"]] == ["C", "C02"]
    single = release_for(fetch(client, city), "C0202-01")["tender"]
    assert (single["procurementMethod"], single["procurementMethodDetails"]) == ("direct", "单一来源")


def test_method_details_stay_chinese_for_an_english_visitor(client, city, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Invited tender" in client.get(city.get_absolute_url()).getvalue().decode()  # the visitor reads English
    tender = release_for(fetch(client, city), "H0101-01")["tender"]
    assert tender["procurementMethodDetails"] == "邀请招标"


def test_an_item_without_purchasing_bodies_has_no_buyer(client, city, validator):
    package = fetch(client, city)
    release = release_for(package, "H0101-01")
    assert release["parties"] == [] and "buyer" not in release


def test_a_revision_keeps_the_ocid_and_tags_known_items_as_planning_updates(client, city, validator):
    Catalogue.objects.filter(pk=city.pk).update(status=Catalogue.Status.SUPERSEDED)
    revised = f.edition(year=2016, revision=2, published_on=date(2016, 9, 1))
    f.item(revised, "C0201", "社区居家养老服务", code="C0201-01", budget=Decimal("150000"))
    f.item(revised, "C0301", "城乡低保对象入户调查", code="C0301-01")
    package = fetch(client, revised)
    assert_valid(validator, package)
    kept, added = release_for(package, "C0201-01"), release_for(package, "C0301-01")
    assert kept["ocid"] == release_for(fetch(client, city), "C0201-01")["ocid"]
    assert kept["id"] == "421200-2016-r2-C0201-01"
    assert kept["tag"] == ["planningUpdate"] and added["tag"] == ["planning"]


def test_a_zone_without_a_region_code_uses_its_slug(client, validator):
    zone = f.edition("xn-htz", 2017)
    f.item(zone, "H0101", "会议服务", code="H0101-01")
    package = fetch(client, zone)
    assert package["releases"][0]["ocid"] == "ocds-xnzfgm-xn-htz-2017-H0101-01"
    assert_valid(validator, package)


def test_the_ocid_prefix_is_a_setting(client, city, settings):
    settings.OCDS_OCID_PREFIX = "ocds-abc123-"
    assert release_for(fetch(client, city), "C0201-01")["ocid"] == "ocds-abc123-421200-2016-C0201-01"


# -- who may see it ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Catalogue.Status.DRAFT, Catalogue.Status.WITHDRAWN])
def test_a_draft_or_withdrawn_edition_has_no_open_data(client, city, status):
    Catalogue.objects.filter(pk=city.pk).update(status=status)
    assert client.get(ocds_url(city)).status_code == 404


def test_a_superseded_edition_keeps_its_open_data(client, city, validator):
    Catalogue.objects.filter(pk=city.pk).update(status=Catalogue.Status.SUPERSEDED)
    assert_valid(validator, fetch(client, city))


def test_an_edition_without_items_or_an_unknown_one_is_404(client):
    empty = f.edition(year=2018)
    assert client.get(ocds_url(empty)).status_code == 404
    assert client.get(reverse("catalogue:edition_ocds", args=[999999])).status_code == 404


def test_an_html_item_name_is_data_not_markup(client, bodies, validator):
    edition = f.edition(year=2019)
    f.item(edition, "C0201", '<script>alert("x")</script>社区养老', code="C0201-01", bodies=bodies)
    response = client.get(ocds_url(edition))
    package = json.loads(response.getvalue())
    assert package["releases"][0]["tender"]["title"] == '<script>alert("x")</script>社区养老'
    assert_valid(validator, package)


# -- a fixed number of queries ----------------------------------------------------------------------------------


def test_the_open_data_of_a_500_item_edition_runs_a_fixed_number_of_queries(
    client, bodies, validator, django_assert_max_num_queries
):
    edition = f.edition(year=2017, revision=2, published_on=date(2017, 5, 1))
    bulk_items(edition, 500, bodies=bodies)
    # the public version, the edition, its published file (none: built behind the service), then the items
    # with their categories, editions and bodies (catalogue.models.items.SharedColumnsIterable), earlier codes
    with django_assert_max_num_queries(9):
        response = client.get(ocds_url(edition))
    package = json.loads(response.getvalue())
    assert len(package["releases"]) == 500
    assert len({release["ocid"] for release in package["releases"]}) == 500
    assert_valid(validator, package)


def test_the_edition_page_links_its_open_data(client, city):
    page = client.get(city.get_absolute_url()).getvalue().decode()
    assert f'href="{ocds_url(city)}"' in page
