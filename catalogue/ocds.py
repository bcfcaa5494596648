"""Open data: a public edition as an OCDS 1.1.5 release package, shaped after the planning section.

`/editions/<pk>/ocds.json` answers for a public edition (Catalogue.objects.public(): published or
superseded) and 404 for a draft or withdrawn one, or for an edition without items (a release
package needs at least one release). Each catalogue item is one contracting process at its
planning stage: the government says it may buy this service this year, by this method, from
providers meeting these requirements. The schema and codelists the output is tested against are
vendored, unchanged, in catalogue/ocds_schema/ (Apache-2.0, see its README.md).

Package
=======

| OCDS field                  | value                                                                      |
|-----------------------------|----------------------------------------------------------------------------|
| uri                         | absolute URL of this ocds.json                                             |
| version                     | "1.1"                                                                      |
| publishedDate               | the edition's 发布日期, 00:00 Asia/Shanghai (a published edition is frozen) |
| publisher.name              | "咸宁市财政局" (publisher.uri: the site's home page)                        |
| license                     | settings.OCDS_LICENSE when set (e.g. a Creative Commons URL); omitted      |
|                             | otherwise: the finance bureau has not chosen a licence yet                 |
| releases                    | one release per item of the edition, in the official table's order         |

Release (one per CatalogueItem)
===============================

| OCDS field                          | from                                                                  |
|-------------------------------------|-----------------------------------------------------------------------|
| ocid                                | OCID_PREFIX + "{region}-{year}-{item code}", e.g.                      |
|                                     | "ocds-xnzfgm-421200-2016-C0201-01"; {region} is the GB/T 2260 code,   |
|                                     | or the slug (xn-htz) for 咸宁高新区. The same service keeps its ocid   |
|                                     | across revisions of the same region and year (as contracts do).       |
| id                                  | "{region}-{year}-r{revision}-{item code}": unique per revision        |
| date                                | the edition's 发布日期 (00:00 Asia/Shanghai)                           |
| tag                                 | ["planning"]; ["planningUpdate"] when an earlier public revision of    |
|                                     | the same region and year already listed the item's code               |
| initiationType                      | "tender"                                                              |
| language                            | "zh" (the data is Chinese whatever the visitor's language)            |
| parties[]                           | every 购买主体 of the item, roles ["buyer"]:                            |
|   .id                               | "{ORG_ID_SCHEME}-{统一社会信用代码}"                                    |
|   .name / .identifier.legalName     | 购买主体 name                                                          |
|   .identifier.scheme / .id          | ORG_ID_SCHEME ("XN-USCC", see below) / the 18-character credit code   |
|   .address                          | {locality: the body's region, region: "湖北省", countryName: "中国"}    |
| buyer                               | {id, name} of the first 购买主体 (the order the item page lists them)  |
| planning.rationale                  | 服务内容                                                               |
| planning.budget.amount              | {amount: 预算（元）, currency: "CNY"} when the item has a budget          |
| planning.budget.description         | which catalogue lists the budget (title and 文号), or that it lists none |
| planning.documents[]                | the item's public page and the edition's page (documentType           |
|                                     | "procurementPlan", format "text/html", language "zh")                 |
| tender.id                           | "{region}-{year}-{item code}"                                         |
| tender.title                        | 事项名称                                                               |
| tender.description                  | 服务内容                                                               |
| tender.status                       | "planning" (tenderStatus codelist)                                    |
| tender.mainProcurementCategory      | "services"                                                            |
| tender.procurementMethod            | 购买方式 mapped by METHODS below (method codelist)                      |
| tender.procurementMethodDetails     | 购买方式 in Chinese, e.g. "公开招标"                                    |
| tender.eligibilityCriteria          | 承接主体要求                                                           |
| tender.items[0].id                  | the item code                                                         |
| tender.items[0].description         | 事项名称                                                               |
| tender.items[0].classification      | {scheme: "XN-ZFGM", id: 三级 category code (C0201), description: its   |
|                                     | name}                                                                 |
| tender.items[0].additionalClassifications | the 一级 and 二级 categories above it, same scheme              |

Not mapped (no OCDS planning field fits; they stay in the site's own JSON export): 试点,
绩效评价标准, 备注. An item dropped by a later revision gets no withdrawal release.

Removals
========

OCDS merges releases by ocid and keeps whatever a later release leaves out. So a release of a later
revision sends, as null, each value the item's release in the earlier revision had and this one
lacks (with_removals): a dropped budget is {"amount": null, "currency": null} (the schema does not
let the Value object itself be null), a purchasing body that no longer buys the service is its party
id with every other field null, a buyer that is gone keeps its id (which may not be null) with its
name null. A reader who merges every revision's releases then holds the revision in force
(tests/test_ocds_merge.py merges them with ocdsmerge).

Record package
==============

`/editions/<pk>/ocds-records.json`: for each item of the edition, every release of its ocid up to this
revision and the compiled release (ocdsmerge, with the vendored schema's merge rules), as
`ocdskit compile` would make from the revisions' release packages.

Methods (OCDS closed method codelist: open / selective / limited / direct)
=======================================================================

| 购买方式 (ours)                      | procurementMethod | why                                              |
|--------------------------------------|-------------------|--------------------------------------------------|
| OPEN_TENDER 公开招标                  | open              | any supplier may bid                             |
| INVITED_TENDER 邀请招标               | selective         | only invited, qualified suppliers bid            |
| COMPETITIVE_NEGOTIATION 竞争性谈判    | limited           | the buyer picks the suppliers it negotiates with |
| COMPETITIVE_CONSULTATION 竞争性磋商   | limited           | as above                                         |
| REQUEST_FOR_QUOTATION 询价            | limited           | the buyer asks chosen suppliers for quotes       |
| SINGLE_SOURCE 单一来源                | direct            | one supplier, no competition                     |
| COMMISSION 委托/承包                  | direct            | a small purchase given to one supplier           |

Identifiers we had to choose (placeholders to replace when registered)
=====================================================================

- OCID_PREFIX "ocds-xnzfgm-": a PLACEHOLDER. A real publisher registers its own prefix
  (ocds- plus six characters) with the Open Contracting Partnership; set settings.OCDS_OCID_PREFIX
  to it. Every ocid changes with it, so register before publishing.
- ORG_ID_SCHEME "XN-USCC" for the 统一社会信用代码 (GB 32100-2015). org-id.guide lists for China only
  CN-SAIC (enterprises registered with the State Administration for Industry and Commerce, now
  market regulation) and provincial AIC registers; our buyers are government organs, whose codes
  (11…) are issued by the 机构编制 authorities, not by SAIC, so CN-SAIC would be false, and no
  "CN-USCC" list is registered. The code goes in identifier.id under a local scheme whose "X"
  prefix (ISO 3166 user-assigned, never a country) cannot collide with a registered list; replace
  ORG_ID_SCHEME when org-id.guide registers a list covering all unified social credit codes.
- CLASSIFICATION_SCHEME "XN-ZFGM": the project's own category codes (ServiceCategory.code, A / A01 /
  A0102, DOMAIN.md §3); a local scheme, same "X" convention.
"""

import copy
import datetime
import functools
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from catalogue.models import Catalogue, CatalogueItem, ProcurementMethod
from catalogue.translation import cached_gettext

OCID_PREFIX = "ocds-xnzfgm-"
ORG_ID_SCHEME = "XN-USCC"
CLASSIFICATION_SCHEME = "XN-ZFGM"
OCDS_VERSION = "1.1"
CURRENCY = "CNY"
LANGUAGE = "zh"
PUBLISHER_NAME = "咸宁市财政局"

METHODS = {
    ProcurementMethod.OPEN_TENDER: "open",
    ProcurementMethod.INVITED_TENDER: "selective",
    ProcurementMethod.COMPETITIVE_NEGOTIATION: "limited",
    ProcurementMethod.COMPETITIVE_CONSULTATION: "limited",
    ProcurementMethod.REQUEST_FOR_QUOTATION: "limited",
    ProcurementMethod.SINGLE_SOURCE: "direct",
    ProcurementMethod.COMMISSION: "direct",
}


def ocid_prefix():
    return getattr(settings, "OCDS_OCID_PREFIX", OCID_PREFIX)


def package_items(edition):
    """The edition's public items with everything a release needs, in the official table's order (5 queries)."""
    return CatalogueItem.objects.public().filter(edition=edition).for_export().order_by("category__code", "code", "pk")


def _revisions_before(edition):
    """The public revisions of the same region and year before this one, oldest first."""
    return list(
        Catalogue.objects.public()
        .filter(region=edition.region_id, year=edition.year, revision__lt=edition.revision)
        .order_by("revision")
    )


def _earlier_releases(edition, request):
    """{ocid: the release an earlier public revision of the same region and year last published for it}.

    What a reader who merged the earlier releases holds for an ocid is that last release (earlier
    ones were overridden, and every release nulls what it drops): the base to compare a new one
    with. Five queries whatever the number of items.
    """
    earlier = _revisions_before(edition) if edition.revision > 1 else []
    if not earlier:
        return {}
    items = CatalogueItem.objects.filter(edition__in=earlier).for_export().order_by("edition__revision", "code", "pk")
    return {ocid(item): release(item, request) for item in items}


def _safe(text):
    """An identifier part without spaces or "#" (a release id must not contain "#")."""
    return "-".join(str(text).replace("#", "-").split())


def _region_key(region):
    return region.code or region.slug


def process_id(item):
    """"421200-2016-C0201-01": the service in its region and year, the same in every revision."""
    edition = item.edition
    return _safe(f"{_region_key(edition.region)}-{edition.year}-{item.code}")


def ocid(item):
    return f"{ocid_prefix()}{process_id(item)}"


def _datetime(day, fallback):
    """A date as an RFC 3339 date-time at 00:00 in the site's time zone."""
    if day is None:
        return timezone.localtime(fallback).isoformat(timespec="seconds")
    moment = datetime.datetime.combine(day, datetime.time.min)
    return timezone.make_aware(moment).isoformat(timespec="seconds")


def _amount(value):
    """A Decimal as a JSON number: an integer when whole (120000), else a float (1234.5)."""
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def party(body):
    party_id = f"{ORG_ID_SCHEME}-{body.credit_code}"
    return {
        "id": party_id,
        "name": body.name,
        "identifier": {"scheme": ORG_ID_SCHEME, "id": body.credit_code, "legalName": body.name},
        "address": {"locality": body.region.name, "region": "湖北省", "countryName": "中国"},
        "roles": ["buyer"],
    }


def _classification(node):
    return {"scheme": CLASSIFICATION_SCHEME, "id": node.code, "description": node.name}


def _budget(item, edition):
    if item.budget is None:
        return {"description": cached_gettext("指导性目录未列明该事项的预算。")}
    source = edition.title + (f"（{edition.document_number}）" if edition.document_number else "")
    return {
        "description": cached_gettext("%(catalogue)s所列预算") % {"catalogue": source},
        "amount": {"amount": _amount(item.budget), "currency": CURRENCY},
    }


@functools.lru_cache(maxsize=None)
def _pattern(name):
    return reverse(name, args=[987654321]).replace("987654321", "{}")


def _path(name, pk):
    """reverse(name, args=[pk]), with the URL resolver asked once per name: a package reverses two URLs an item."""
    return _pattern(name).format(pk)


def release(item, request, before=None):
    """One planning release for one catalogue item (the mapping table in this module's docstring).

    `before` is what a reader's merged record held for the ocid until now (the earlier revision's
    release), or None for a first release: each value it has and this item lacks is sent as null,
    since OCDS merging keeps whatever a later release leaves out.
    """
    edition = item.edition
    parties = [party(body) for body in item.purchasing_bodies.all()]
    leaf = item.category
    above = [node for node in leaf.ancestors() if node.pk != leaf.pk]
    data = {
        "ocid": ocid(item),
        "id": _safe(f"{_region_key(edition.region)}-{edition.year}-r{edition.revision}-{item.code}"),
        "date": _datetime(edition.published_on, edition.updated_at),
        "tag": ["planningUpdate" if before is not None else "planning"],
        "initiationType": "tender",
        "language": LANGUAGE,
        "parties": parties,
        **({"buyer": {"id": parties[0]["id"], "name": parties[0]["name"]}} if parties else {}),
        "planning": {
            "rationale": item.content,
            "budget": _budget(item, edition),
            "documents": [
                {
                    "id": "catalogue-item",
                    "documentType": "procurementPlan",
                    "title": f"{item.code} {item.name}",
                    "description": cached_gettext("指导性目录事项的公开页面"),
                    "url": request.build_absolute_uri(_path("catalogue:item", item.pk)),
                    "format": "text/html",
                    "language": LANGUAGE,
                },
                {
                    "id": "catalogue",
                    "documentType": "procurementPlan",
                    "title": edition.title,
                    "description": edition.document_number or cached_gettext("指导性目录"),
                    "url": request.build_absolute_uri(_path("catalogue:edition", edition.pk)),
                    "format": "text/html",
                    "language": LANGUAGE,
                },
            ],
        },
        "tender": {
            "id": process_id(item),
            "title": item.name,
            "description": item.content,
            "status": "planning",
            "mainProcurementCategory": "services",
            "procurementMethod": METHODS[item.procurement_method],
            "procurementMethodDetails": str(item.get_procurement_method_display()),
            "eligibilityCriteria": item.provider_requirements,
            "items": [
                {
                    "id": item.code,
                    "description": item.name,
                    "classification": _classification(leaf),
                    "additionalClassifications": [_classification(node) for node in above],
                }
            ],
        },
    }
    if before is not None:
        with_removals(data, before)
    return data


# Arrays OCDS merges whole (release-schema.json's wholeListMerge), and the release fields it never merges.
WHOLE_LIST_MERGE = {"additionalClassifications", "additionalIdentifiers"}
OMITTED_WHEN_MERGED = {"id", "date", "tag"}
SCHEMA_DIR = Path(__file__).resolve().parent / "ocds_schema"
_SCHEMA = None


def _release_schema():
    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = json.loads((SCHEMA_DIR / "release-schema.json").read_text(encoding="utf-8"))
    return _SCHEMA


def _field(schema, key):
    """The schema of `key` under `schema`, its $ref followed (definitions only, as the release schema has)."""
    field = schema.get("properties", {}).get(key, {}) if schema else {}
    while "$ref" in field:
        field = _release_schema()["definitions"][field["$ref"].rsplit("/", 1)[-1]]
    return field


def _nullable(field):
    kind = field.get("type")
    return kind is None or kind == "null" or (isinstance(kind, list) and "null" in kind)


def _emptied(old, schema):
    """An object sent to remove `old`: every field null where the schema allows it, objects emptied in
    turn, and what may not be null (an id) kept, so the object still names what it removes."""
    emptied = {}
    for key, value in old.items():
        field = _field(schema, key)
        if _nullable(field):
            emptied[key] = None
        elif isinstance(value, dict):
            emptied[key] = _emptied(value, field)
        else:
            emptied[key] = value
    return emptied


def _identified(values):
    return bool(values) and all(isinstance(value, dict) and "id" in value for value in values)


def with_removals(now, before, schema=None):
    """Send as null in `now` each value that `before` holds and `now` lacks (in place; returns `now`).

    OCDS merges releases by ocid and keeps what a later release leaves out, so a removal must be
    said. The release schema decides how: a field that may be null is sent as null; an object that
    may not (a budget's amount, the buyer) is sent with its own fields null; arrays of objects with
    ids are merged by id, so an object `before` lists and `now` does not is sent as its id with the
    rest null; other arrays are replaced whole by a later release and need nothing.
    """
    top = schema is None
    schema = schema or _release_schema()
    for key, old in before.items():
        if old is None or (top and key in OMITTED_WHEN_MERGED):
            continue
        field = _field(schema, key)
        new = now.get(key)
        if new is None:
            if _nullable(field):
                now[key] = None
            elif isinstance(old, dict):
                now[key] = _emptied(old, field)
        elif isinstance(old, dict) and isinstance(new, dict):
            with_removals(new, old, field)
        elif key not in WHOLE_LIST_MERGE and isinstance(new, list) and _identified(old) and (not new or _identified(new)):
            item_schema = field.get("items", {})
            while "$ref" in item_schema:
                item_schema = _release_schema()["definitions"][item_schema["$ref"].rsplit("/", 1)[-1]]
            current = {value["id"]: value for value in new}
            for value in old:
                if value["id"] in current:
                    with_removals(current[value["id"]], value, item_schema)
                else:
                    new.append(_emptied(value, item_schema))
    return now


def without_nulls(data):
    """A release as a reader's merged record shows it: nulls (removals), and objects they emptied, dropped."""
    if isinstance(data, dict):
        kept = {key: without_nulls(value) for key, value in data.items() if value is not None}
        return {key: value for key, value in kept.items() if value != {}}
    if isinstance(data, list):
        return [without_nulls(value) for value in data]
    return data


def release_package(edition, items, request):
    """The release package of a public edition: one planning release per item (items from package_items())."""
    with translation.override(settings.LANGUAGE_CODE):  # the data is Chinese whatever the visitor reads
        earlier = _earlier_releases(edition, request)
        published = _datetime(edition.published_on, edition.updated_at)
        package = {
            "uri": request.build_absolute_uri(reverse("catalogue:edition_ocds", args=[edition.pk])),
            "version": OCDS_VERSION,
            "publishedDate": published,
            "publisher": {"name": PUBLISHER_NAME, "uri": request.build_absolute_uri(reverse("catalogue:home"))},
            "releases": [release(item, request, earlier.get(ocid(item))) for item in items],
        }
        license_url = getattr(settings, "OCDS_LICENSE", "")
        if license_url:
            package["license"] = license_url
        return package


def _merger():
    """ocdsmerge's reference merge, with the rules of the vendored release schema (read once a process)."""
    global _MERGER
    if _MERGER is None:
        import ocdsmerge

        _MERGER = ocdsmerge.Merger(schema=copy.deepcopy(_release_schema()))
    return _MERGER


_MERGER = None


def _compiled(merger, releases):
    """ocdsmerge's compiled release; one release without nulls (most items) compiles to itself, retagged."""
    if len(releases) > 1:
        return merger.create_compiled_release(releases)
    only = releases[0]
    return {"tag": ["compiled"], "id": f"{only['ocid']}-{only['date']}", "date": only["date"], "ocid": only["ocid"],
            **{key: value for key, value in only.items() if key not in ("tag", "id", "date", "ocid")}}


def record_package(edition, request):
    """The edition's record package: for each of its items, every release of its ocid up to this revision
    (linked: the release package that holds it) and the compiled release a reader gets by merging them,
    as `ocdskit compile` makes from the revisions' release packages.

    Each revision's releases are built as its release package has them, so the compiled release is what
    a reader who merged the published packages holds; it equals the item as this revision lists it.
    """
    with translation.override(settings.LANGUAGE_CODE):
        revisions = _revisions_before(edition) + [edition]
        package_urls = {
            revision.pk: request.build_absolute_uri(reverse("catalogue:edition_ocds", args=[revision.pk]))
            for revision in revisions
        }
        items = (
            CatalogueItem.objects.filter(edition__in=revisions)
            .for_export()
            .order_by("edition__revision", "category__code", "code", "pk")
        )
        history, last, current = {}, {}, []
        for item in items:
            key = ocid(item)
            natural = release(item, request)
            before = last.get(key)
            if before is None:
                data = natural
            else:  # as release(item, request, before) makes it, without building the release twice
                data = with_removals(copy.deepcopy(natural), before)
                data["tag"] = ["planningUpdate"]
            last[key] = natural
            history.setdefault(key, []).append((package_urls[item.edition_id], data))
            if item.edition_id == edition.pk:
                current.append(key)
        merger = _merger()
        package = {
            "uri": request.build_absolute_uri(reverse("catalogue:edition_ocds_records", args=[edition.pk])),
            "version": OCDS_VERSION,
            "publishedDate": _datetime(edition.published_on, edition.updated_at),
            "publisher": {"name": PUBLISHER_NAME, "uri": request.build_absolute_uri(reverse("catalogue:home"))},
            "packages": list(package_urls.values()),
            "records": [
                {
                    "ocid": key,
                    "releases": [
                        {"url": f"{url}#{data['id']}", "date": data["date"], "tag": data["tag"]}
                        for url, data in history[key]
                    ],
                    "compiledRelease": _compiled(merger, [data for _url, data in history[key]]),
                }
                for key in current
            ],
        }
        license_url = getattr(settings, "OCDS_LICENSE", "")
        if license_url:
            package["license"] = license_url
        return package


def compact_json(package):
    """A record package as bytes: compact, since a 2,000-item edition's records are several megabytes."""
    return json.dumps(package, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
