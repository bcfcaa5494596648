"""What publishing an edition records once, in the publishing transaction: its figures and its files.

A published edition is frozen (a correction is a new revision), so its counts per service area
and its official table never change afterwards. They are computed here once — by publish_edition,
by the demo, by the `publication_files` command for editions published before this existed — and
the public site reads them: the home page and the statistics add up at most eight rows an
edition instead of scanning every item, and the export links serve the files written here.

The files are the official record of what was published: the table as CSV, XLSX and JSON, the
OCDS release package, and a manifest naming the 文号, the date, who published it and each file's
SHA-256. They are written in Chinese (the official language of the record) with the site's
configured address (settings.PUBLIC_URL), so they do not depend on who first asked for them.
"""

import hashlib
import json

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db.models import Count, F, Q, Sum
from django.utils import timezone, translation

from catalogue import exports, ocds
from catalogue.filters import TABLE_ORDER
from catalogue.models import Catalogue, CatalogueItem, EditionFigures, PublishedFile
from catalogue.public_cache import invalidate_public_pages
from catalogue.site import site_address

# The notice's 2017 target adds the transactional services (事务性管理服务); their categories
# carry introduced_in=2017 in the tree.
TRANSACTIONAL_YEAR = 2017


def record_figures(edition):
    """Count the edition's items per 一级 area (one GROUP BY) and keep the counts."""
    rows = (
        CatalogueItem.objects.filter(edition=edition)
        .order_by()
        .values(area=F("category__parent__parent"))
        .annotate(
            items=Count("id"),
            pilots=Count("id", filter=Q(is_pilot=True)),
            budgeted=Count("budget"),
            budget_total=Sum("budget"),
            transactional=Count("id", filter=Q(category__introduced_in__gte=TRANSACTIONAL_YEAR)),
        )
    )
    EditionFigures.objects.filter(edition=edition).delete()
    EditionFigures.objects.bulk_create(
        EditionFigures(edition=edition, area_id=row.pop("area"), **row) for row in rows if row["area"]
    )


def official_items(edition):
    """Every item of the edition as the official table lists them, in a fixed number of queries."""
    return list(CatalogueItem.objects.filter(edition=edition).for_export().order_by(*TABLE_ORDER))


def _folder(edition):
    region = edition.region.code or edition.region.slug
    return f"{region}/{edition.year}/r{edition.revision}-{edition.pk}"


def _sha256(content):
    return hashlib.sha256(content).hexdigest()


def build_files(edition):
    """{kind: (file name, bytes)} of the edition's official record (the manifest aside)."""
    site = site_address()
    items = official_items(edition)
    with translation.override(settings.LANGUAGE_CODE):
        # The record says what was published, whatever has happened to the edition since.
        as_published = Catalogue(
            **{field.attname: getattr(edition, field.attname) for field in Catalogue._meta.concrete_fields}
        )
        as_published.status = Catalogue.Status.PUBLISHED
        as_published.region = edition.region
        ocds_items = list(ocds.package_items(edition))
        return {
            PublishedFile.Kind.CSV: (exports.filename(edition, "csv")[0], exports.edition_csv_bytes(items)),
            PublishedFile.Kind.XLSX: (
                exports.filename(edition, "xlsx")[0],
                exports.edition_xlsx_bytes(edition, items),
            ),
            PublishedFile.Kind.JSON: (
                exports.filename(edition, "json")[0],
                exports.json_bytes(exports.edition_payload(as_published, items, site, {})),
            ),
            PublishedFile.Kind.OCDS: (
                exports.filename(edition, "json")[0].replace(".json", "-ocds.json"),
                exports.json_bytes(ocds.release_package(edition, ocds_items, site)),
            ),
            PublishedFile.Kind.OCDS_RECORDS: (
                exports.filename(edition, "json")[0].replace(".json", "-ocds-records.json"),
                ocds.compact_json(ocds.record_package(edition, site)),
            ),
        }


def write_publication_files(edition, *, by=None, only=None):
    """Write the edition's official record into the publications storage and note each file's checksum.

    Runs inside the publishing transaction: if writing fails, the edition is not published.
    `only` (a set of PublishedFile.Kind) rewrites just those files, as the `publication_files`
    command does for a file that went missing; the manifest then stays the one first written.
    """
    storage = storages["publications"]
    folder = _folder(edition)
    written = {}
    for kind, (name, content) in build_files(edition).items():
        if only is not None and kind not in only:
            continue
        path = f"{folder}/{name}"
        if storage.exists(path):
            storage.delete(path)
        storage.save(path, ContentFile(content))
        written[kind] = (path, len(content), _sha256(content))
    manifest = {
        "edition": {
            "id": edition.pk,
            "title": edition.title,
            "region": edition.region.name,
            "region_code": edition.region.code,
            "year": edition.year,
            "revision": edition.revision,
            "document_number": edition.document_number,
            "published_on": edition.published_on.isoformat() if edition.published_on else None,
            "published_by": _who(by or edition.published_by),
        },
        "written_at": timezone.now().isoformat(timespec="seconds"),
        "files": [
            {"kind": str(kind), "name": path.rsplit("/", 1)[-1], "size": size, "sha256": digest}
            for kind, (path, size, digest) in written.items()
        ],
    }
    if only is None or PublishedFile.Kind.MANIFEST in only:
        content = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
        path = f"{folder}/manifest.json"
        if storage.exists(path):
            storage.delete(path)
        storage.save(path, ContentFile(content))
        written[PublishedFile.Kind.MANIFEST] = (path, len(content), _sha256(content))
    for kind, (path, size, digest) in written.items():
        PublishedFile.objects.update_or_create(
            edition=edition,
            kind=kind,
            defaults={"name": path, "size": size, "sha256": digest, "created_by": by or edition.published_by},
        )
    return written


def _who(user):
    """The publisher as the record names them: the account and the office it acts for."""
    if user is None:
        return None
    profile = getattr(user, "staff_profile", None)
    office = profile.office if profile is not None else ""
    return {"username": user.get_username(), "name": user.get_full_name(), "office": office}


def record_publication(edition, *, by=None, files=True):
    """Everything publishing records besides the status: figures, files, and a new public version."""
    record_figures(edition)
    if files:
        write_publication_files(edition, by=by)
    invalidate_public_pages()


def verify_files(edition):
    """[(PublishedFile, problem)] for each file that is missing or whose checksum no longer matches."""
    storage = storages["publications"]
    problems = []
    for record in edition.published_files.all():
        if not storage.exists(record.name):
            problems.append((record, "missing"))
            continue
        digest = hashlib.sha256()
        with storage.open(record.name, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 16), b""):
                digest.update(chunk)
        if digest.hexdigest() != record.sha256:
            problems.append((record, "checksum"))
    return problems
