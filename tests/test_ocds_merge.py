"""OCDS that merges right (issue 10): what a later revision drops is sent as null, so a reader who merges every
revision's releases by ocid with ocdsmerge (OCDS's reference implementation, a real client) holds exactly the
revision in force; the record package compiles them the same way; every coded value is in its codelist."""

import csv
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import ocdsmerge
import pytest
from django.conf import settings
from django.urls import reverse
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from catalogue import ocds
from catalogue.models import Catalogue, ProcurementMethod
from catalogue.services import open_revision, publish_edition
from tests import factories as f

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "catalogue" / "ocds_schema"


def load(name):
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def codelist(name):
    with open(SCHEMA_DIR / f"{name}.csv", encoding="utf-8") as handle:
        return {row["Code"] for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def merger():
    return ocdsmerge.Merger(schema=load("release-schema.json"))


@pytest.fixture(scope="module")
def validator():
    schemas = [load("release-package-schema.json"), load("release-schema.json")]
    registry = Registry().with_resources(
        (schema["id"], Resource.from_contents(schema, default_specification=DRAFT4)) for schema in schemas
    )
    return Draft4Validator(schemas[0], registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)


def assert_valid(validator, data):
    errors = sorted(validator.iter_errors(data), key=lambda error: list(error.absolute_path))
    assert not errors, [f"{list(error.absolute_path)}: {error.message}" for error in errors[:5]]


@pytest.fixture(scope="module")
def record_validator():
    schemas = [load(name) for name in ("record-package-schema.json", "release-schema.json",
                                       "versioned-release-validation-schema.json")]
    registry = Registry().with_resources(
        (schema["id"], Resource.from_contents(schema, default_specification=DRAFT4)) for schema in schemas
    )
    return Draft4Validator(schemas[0], registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)


@pytest.fixture
def revisions():
    """咸安区 2017 in three revisions: a budget and a buyer dropped in r2, an item dropped and one added, r3 changes again."""
    municipal, clerk = f.municipal(), f.county("xianan")
    civil = f.purchasing_body("咸安区民政局", "xianan")
    health = f.purchasing_body("咸安区卫生健康局", "xianan")
    first = f.edition("xianan", year=2017, status=Catalogue.Status.DRAFT)
    f.item(first, "C0201", "社区居家养老服务", code="C0201-01", budget=Decimal("300000"), bodies=[civil, health],
           provider_requirements="依法登记的养老服务机构")
    f.item(first, "D0101", "健康教育", code="D0101-01", budget=Decimal("80000"), bodies=[health])
    f.item(first, "F0101", "公益性文化演出", code="F0101-01", bodies=[civil])
    publish_edition(first, by=municipal, document_number="咸财综发〔2017〕1号", published_on=date(2017, 2, 1))

    second = open_revision(first, by=clerk)
    home_care = second.items.get(code="C0201-01")
    home_care.budget = None
    home_care.provider_requirements = ""
    home_care.save()
    home_care.purchasing_bodies.set([civil])  # health no longer buys it
    health_education = second.items.get(code="D0101-01")
    health_education.purchasing_bodies.clear()  # no buyer left
    second.items.get(code="F0101-01").delete()
    f.item(second, "G0101", "残疾人康复训练", code="G0101-01", budget=Decimal("50000"), bodies=[health],
           procurement_method=ProcurementMethod.SINGLE_SOURCE)
    publish_edition(second, by=municipal, document_number="咸财综发〔2017〕5号", published_on=date(2017, 6, 1))

    third = open_revision(Catalogue.objects.get(pk=second.pk), by=clerk)
    home_care = third.items.get(code="C0201-01")
    home_care.budget = Decimal("260000")
    home_care.save()
    publish_edition(third, by=municipal, document_number="咸财综发〔2017〕9号", published_on=date(2017, 9, 1))
    return [Catalogue.objects.get(pk=edition.pk) for edition in (first, second, third)]


def package(client, edition):
    response = client.get(reverse("catalogue:edition_ocds", args=[edition.pk]))
    assert response.status_code == 200
    return json.loads(response.getvalue())


def by_code(releases, code):
    return next(release for release in releases if release["tender"]["items"][0]["id"] == code)


def visible(data):
    """What a reader of a merged record sees: nulls dropped, and an object left holding only its id dropped too."""
    data = ocds.without_nulls(data)

    def prune(value):
        if isinstance(value, dict):
            kept = {key: prune(inner) for key, inner in value.items()}
            return {key: inner for key, inner in kept.items() if not (isinstance(inner, dict) and set(inner) <= {"id"})}
        if isinstance(value, list):
            return [prune(inner) for inner in value if not (isinstance(inner, dict) and set(inner) <= {"id"})]
        return value

    return prune(data)


def test_a_dropped_budget_and_buyer_are_sent_as_null(client, revisions, validator):
    second = package(client, revisions[1])
    assert_valid(validator, second)  # nulls only where the schema allows them
    home_care = by_code(second["releases"], "C0201-01")
    assert home_care["tag"] == ["planningUpdate"]
    assert home_care["planning"]["budget"]["amount"] == {"amount": None, "currency": None}
    assert home_care["tender"]["eligibilityCriteria"] == ""  # an empty text is a value, not a removal
    health = [party for party in home_care["parties"] if party["name"] is None]
    assert len(health) == 1 and health[0]["roles"] is None  # the body that left: its id, everything else null
    assert health[0]["identifier"] == {"scheme": None, "id": None, "legalName": None}
    health_education = by_code(second["releases"], "D0101-01")
    assert health_education["buyer"]["name"] is None  # the reference's id may not be null; its name goes
    assert all(party["roles"] is None for party in health_education["parties"])
    rehabilitation = by_code(second["releases"], "G0101-01")
    assert rehabilitation["tag"] == ["planning"] and None not in rehabilitation["planning"]["budget"].values()


def test_a_first_release_carries_no_null(client, revisions):
    def nulls(data):
        if isinstance(data, dict):
            return any(value is None or nulls(value) for value in data.values())
        if isinstance(data, list):
            return any(nulls(value) for value in data)
        return False

    assert not any(nulls(release) for release in package(client, revisions[0])["releases"])


def test_merging_every_revisions_releases_gives_the_revision_in_force(client, revisions, merger):
    """Each ocid's releases from the three packages, merged by ocdsmerge, equal the revision that lists it last."""
    releases_by_ocid = {}
    for edition in revisions:
        for release in package(client, edition)["releases"]:
            releases_by_ocid.setdefault(release["ocid"], []).append(release)
    assert len(releases_by_ocid) == 4  # 3 items, one dropped in r2, one added in r2
    assert sum(len(releases) for releases in releases_by_ocid.values()) == 3 + 3 + 3
    for ocid, releases in releases_by_ocid.items():
        compiled = visible(merger.create_compiled_release(releases))
        latest = visible(releases[-1])
        for key in ("planning", "tender", "initiationType", "language", "buyer"):
            assert compiled.get(key) == latest.get(key), (ocid, key)
        buyers = sorted(party["id"] for party in compiled.get("parties", []) if party.get("roles"))
        assert buyers == sorted(party["id"] for party in latest.get("parties", []) if party.get("roles")), ocid

    home_care = merger.create_compiled_release(releases_by_ocid[by_code(package(client, revisions[2])["releases"],
                                                                       "C0201-01")["ocid"]])
    assert home_care["planning"]["budget"]["amount"]["amount"] == 260000
    assert "eligibilityCriteria" in home_care["tender"] and home_care["tender"]["eligibilityCriteria"] == ""
    dropped = merger.create_compiled_release(releases_by_ocid[by_code(package(client, revisions[1])["releases"],
                                                                     "D0101-01")["ocid"]])
    assert "name" not in dropped["buyer"]  # without the null, a merged record would still name the old buyer
    assert not any(party.get("roles") for party in dropped["parties"])


def test_the_record_package_compiles_each_ocid_as_ocdsmerge_does(client, revisions, merger, record_validator):
    response = client.get(reverse("catalogue:edition_ocds_records", args=[revisions[2].pk]))
    assert response.status_code == 200
    records = json.loads(response.getvalue())
    assert_valid(record_validator, records)
    assert len(records["records"]) == 3  # the items of revision 3
    assert records["packages"] == [
        settings.PUBLIC_URL + reverse("catalogue:edition_ocds", args=[edition.pk]) for edition in revisions
    ]
    published = {}
    for edition in revisions:
        url = settings.PUBLIC_URL + reverse("catalogue:edition_ocds", args=[edition.pk])
        for release in package(client, edition)["releases"]:
            published[f"{url}#{release['id']}"] = release
    for record in records["records"]:
        releases = [published[link["url"]] for link in record["releases"]]  # every link leads to a published release
        assert {release["ocid"] for release in releases} == {record["ocid"]}
        assert record["compiledRelease"] == merger.create_compiled_release(releases)
    home_care = next(record for record in records["records"] if record["ocid"].endswith("C0201-01"))
    assert [link["tag"] for link in home_care["releases"]] == [["planning"], ["planningUpdate"], ["planningUpdate"]]
    assert home_care["compiledRelease"]["planning"]["budget"]["amount"]["amount"] == 260000


@pytest.mark.parametrize(
    "codelist_name, values",
    [
        ("currency", lambda r: [r["planning"]["budget"].get("amount", {}) and r["planning"]["budget"]["amount"]["currency"]]),
        ("partyRole", lambda r: [role for party in r["parties"] for role in (party.get("roles") or [])]),
        ("releaseTag", lambda r: r["tag"]),
        ("method", lambda r: [r["tender"]["procurementMethod"]]),
        ("tenderStatus", lambda r: [r["tender"]["status"]]),
        ("initiationType", lambda r: [r["initiationType"]]),
        ("procurementCategory", lambda r: [r["tender"]["mainProcurementCategory"]]),
        ("documentType", lambda r: [document["documentType"] for document in r["planning"]["documents"]]),
    ],
)
def test_every_coded_value_is_in_its_codelist(client, revisions, codelist_name, values):
    allowed = codelist(codelist_name)
    seen = set()
    for edition in revisions:
        for release in package(client, edition)["releases"]:
            seen.update(value for value in values(release) if value)
    assert seen, codelist_name
    assert seen <= allowed, (codelist_name, seen - allowed)
