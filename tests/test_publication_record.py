"""Publishing records an edition once: its figures per service area and its official files with checksums."""

import hashlib
import json
from datetime import date
from io import StringIO

import pytest
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.urls import reverse

from catalogue.models import Catalogue, EditionFigures, PublishedFile
from catalogue.services import open_revision, publish_edition, withdraw_edition
from tests import factories as f
from tests.public_builders import bulk_items


@pytest.fixture
def municipal():
    return f.municipal()


@pytest.fixture
def published(municipal):
    edition = f.edition("xianan", year=2017, status=Catalogue.Status.DRAFT)
    bulk_items(edition, 40, bodies=[f.purchasing_body("咸安区民政局", "xianan")])
    return publish_edition(edition, by=municipal, document_number="咸财综发〔2017〕8号", published_on=date(2017, 4, 1))


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def test_publishing_writes_every_official_file_with_its_checksum(published):
    records = {record.kind: record for record in published.published_files.all()}
    assert set(records) == set(PublishedFile.Kind.values)
    storage = storages["publications"]
    for record in records.values():
        with storage.open(record.name, "rb") as handle:
            content = handle.read()
        assert sha256(content) == record.sha256
        assert len(content) == record.size


def test_the_manifest_names_the_document_number_the_date_the_publisher_and_each_checksum(published, municipal):
    records = {record.kind: record for record in published.published_files.all()}
    with storages["publications"].open(records[PublishedFile.Kind.MANIFEST].name, "rb") as handle:
        manifest = json.load(handle)
    assert manifest["edition"]["document_number"] == "咸财综发〔2017〕8号"
    assert manifest["edition"]["published_on"] == "2017-04-01"
    assert manifest["edition"]["published_by"]["username"] == municipal.username
    assert manifest["edition"]["published_by"]["office"] == "咸宁市财政局"
    listed = {entry["kind"]: entry["sha256"] for entry in manifest["files"]}
    assert listed == {kind: record.sha256 for kind, record in records.items() if kind != PublishedFile.Kind.MANIFEST}


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_the_export_links_serve_the_published_files_byte_for_byte(client, published, fmt):
    response = client.get(reverse("catalogue:edition_export", args=[published.pk, fmt]))
    assert response.status_code == 200
    assert sha256(response.getvalue()) == published.published_files.get(kind=fmt).sha256
    assert response["ETag"] == f'"{published.published_files.get(kind=fmt).sha256}"'
    assert "attachment" in response["Content-Disposition"]


def test_the_ocds_link_serves_the_published_package(client, published):
    response = client.get(reverse("catalogue:edition_ocds", args=[published.pk]))
    assert sha256(response.getvalue()) == published.published_files.get(kind=PublishedFile.Kind.OCDS).sha256
    package = json.loads(response.getvalue())
    assert len(package["releases"]) == 40


def test_the_ocds_record_package_link_serves_the_published_file(client, published):
    response = client.get(reverse("catalogue:edition_ocds_records", args=[published.pk]))
    assert response.status_code == 200
    record = published.published_files.get(kind=PublishedFile.Kind.OCDS_RECORDS)
    assert sha256(response.getvalue()) == record.sha256
    assert len(json.loads(response.getvalue())["records"]) == 40


def test_a_repeated_download_of_a_published_file_costs_one_query(client, published):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("catalogue:edition_export", args=[published.pk, "xlsx"])
    first = client.get(url).getvalue()
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert len(queries.captured_queries) == 1  # the public version; the cache knows which file it is
    assert again.getvalue() == first
    assert again["ETag"] == f'"{published.published_files.get(kind="xlsx").sha256}"'
    assert "attachment" in again["Content-Disposition"]


def test_a_downloaded_copy_that_still_matches_answers_304(client, published):
    url = reverse("catalogue:edition_export", args=[published.pk, "csv"])
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_edition_page_shows_each_files_checksum(client, published):
    page = client.get(reverse("catalogue:edition", args=[published.pk])).getvalue().decode()
    for record in published.published_files.all():
        assert record.sha256 in page


def test_a_filtered_export_is_written_for_the_filter_not_served_from_the_file(client, published):
    url = reverse("catalogue:edition_export", args=[published.pk, "csv"]) + "?pilot=on"
    response = client.get(url)
    assert response.streaming  # a CSV streams as it is written
    body = response.getvalue()
    assert sha256(body) != published.published_files.get(kind="csv").sha256
    pilots = published.items.filter(is_pilot=True).count()
    assert body.decode("utf-8-sig").count("\n") == pilots + 1


def test_a_superseded_edition_keeps_serving_what_it_published(client, published, municipal):
    correction = open_revision(published, by=f.county("xianan"))
    publish_edition(correction, by=municipal, document_number="咸财综发〔2017〕9号", published_on=date(2017, 6, 1))
    old = Catalogue.objects.get(pk=published.pk)
    assert old.status == Catalogue.Status.SUPERSEDED
    response = client.get(reverse("catalogue:edition_export", args=[old.pk, "json"]))
    assert sha256(response.getvalue()) == old.published_files.get(kind="json").sha256
    assert json.loads(response.getvalue())["edition"]["document_number"] == "咸财综发〔2017〕8号"


def test_a_withdrawn_editions_files_are_kept_but_not_served(client, published, municipal):
    urls = [reverse("catalogue:edition_export", args=[published.pk, fmt]) for fmt in ("csv", "xlsx", "json")]
    urls.append(reverse("catalogue:edition_ocds", args=[published.pk]))
    for url in urls:
        assert client.get(url).status_code == 200
    withdraw_edition(published, by=municipal, reason="文号有误")
    for url in urls:
        assert client.get(url).status_code == 404
    storage = storages["publications"]
    assert all(storage.exists(record.name) for record in published.published_files.all())


def test_publishing_keeps_the_editions_figures_per_area(published):
    figures = {row.area.code: row for row in EditionFigures.objects.filter(edition=published).select_related("area")}
    items = published.items.select_related("category__parent__parent")
    assert sum(row.items for row in figures.values()) == items.count() == 40
    for code, row in figures.items():
        mine = [item for item in items if item.category.parent.parent.code == code]
        assert row.items == len(mine)
        assert row.pilots == sum(item.is_pilot for item in mine)
        assert row.budgeted == sum(item.budget is not None for item in mine)


def test_home_and_statistics_read_the_figures_and_drop_a_withdrawn_edition(client, published, municipal):
    home = client.get("/").getvalue().decode()
    assert "40 项事项" in home
    withdraw_edition(published, by=municipal, reason="文号有误")
    assert "40 项事项" not in client.get("/").getvalue().decode()


def test_the_command_rewrites_a_missing_file_and_reports_an_altered_one(published):
    storage = storages["publications"]
    csv_record = published.published_files.get(kind="csv")
    storage.delete(csv_record.name)
    out = StringIO()
    call_command("publication_files", stdout=out)
    assert "written" in out.getvalue()
    with storage.open(csv_record.name, "rb") as handle:
        assert sha256(handle.read()) == csv_record.sha256  # the same frozen table, the same bytes

    json_record = published.published_files.get(kind="json")
    with storage.open(json_record.name, "wb") as handle:
        handle.write(b'{"altered": true}')
    errors = StringIO()
    with pytest.raises(CommandError):
        call_command("publication_files", stdout=StringIO(), stderr=errors)
    assert json_record.name in errors.getvalue()
    with storage.open(json_record.name, "rb") as handle:
        assert handle.read() == b'{"altered": true}'  # left for a person to look at


def test_the_command_writes_the_files_of_an_edition_published_before_they_were_kept():
    edition = f.edition("chibi", year=2016)
    f.item(edition, "C0201", "社区居家养老服务")
    assert not edition.published_files.exists()
    with pytest.raises(CommandError):
        call_command("publication_files", "--check", stdout=StringIO(), stderr=StringIO())
    call_command("publication_files", stdout=StringIO())
    assert set(edition.published_files.values_list("kind", flat=True)) == set(PublishedFile.Kind.values)
    call_command("publication_files", "--check", stdout=StringIO())
