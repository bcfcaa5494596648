"""The bigram search on PostgreSQL: the database, the GIN index, and that the index gives exactly substring results."""

import random

import pytest
from django.db import connection
from django.db.models import Q

from catalogue import search
from catalogue.models import Catalogue, CatalogueItem, Region, ServiceCategory
from tests import factories

pytestmark = pytest.mark.postgres

INDEX = "catalogue_item_search_gin"
QUERIES = ["养", "老", "养老", "家养", "运维", "居家养老", "信息系统运维", "2131", "31号", "服务", "a", "AB", "康复训练"]

# Phrases that put the queries' characters in every position: at the start and
# end of a run, alone, split by punctuation, repeated, beside Latin letters and digits.
PIECES = [
    "社区居家养老服务", "养老", "养", "老人", "家养宠物", "居家、养老", "养养老老", "信息系统运维", "系统运维服务",
    "运", "维修", "2131号文件", "2131", "21 31", "ab", "AB类", "康复训练", "康复、训练", "服务", "培训",
    "政府购买服务", "试点", "Abc", "第31号",
]


def build_items(count, seed=15):
    """count items whose names and contents are random mixes of PIECES.

    They are spread like the real catalogue over every region's editions of
    2015 and 2016 (published) and 2017 (drafts, never to be found).
    """
    rng = random.Random(seed)
    editions = [
        factories.edition(
            region_slug=region.slug,
            year=year,
            status=Catalogue.Status.DRAFT if year == 2017 else Catalogue.Status.PUBLISHED,
        )
        for region in Region.objects.all()
        for year in (2015, 2016, 2017)
    ]
    leaves = list(ServiceCategory.objects.leaves().select_related("parent__parent").order_by("code"))
    items = []
    for n in range(count):
        leaf = leaves[n % len(leaves)]
        name = "".join(rng.sample(PIECES, rng.randint(1, 3)))[:200]
        content = "，".join(rng.sample(PIECES, rng.randint(0, 6)))
        item = CatalogueItem(
            edition=editions[n % len(editions)], category=leaf, code=f"{leaf.code}-{n:05d}", name=name, content=content
        )
        item.search_document = item.build_search_document()
        items.append(item)
    CatalogueItem.objects.bulk_create(items, batch_size=1000)


def icontains(query):
    condition = Q()
    for term in search.parse_query(query):
        condition &= (
            Q(name__icontains=term)
            | Q(content__icontains=term)
            | Q(category__name__icontains=term)
            | Q(category__parent__name__icontains=term)
            | Q(category__parent__parent__name__icontains=term)
        )
    return set(CatalogueItem.objects.current().filter(condition).values_list("pk", flat=True))


def bigram(query):
    items, _ = search.search_items(CatalogueItem.objects.current(), query)
    return set(items.values_list("pk", flat=True))


def test_database_encoding_is_utf8():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()")
        assert cursor.fetchone()[0] == "UTF8"


def test_search_gin_index_is_on_the_stored_tsvector_column():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [INDEX])
        (definition,) = cursor.fetchone()
        cursor.execute(
            "SELECT attgenerated, format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = 'catalogue_catalogueitem'::regclass AND attname = 'search_vector'"
        )
        generated, column_type = cursor.fetchone()
    assert "USING gin (search_vector)" in definition
    assert (generated, column_type) == ("s", "tsvector")


def test_search_query_uses_the_gin_index():
    """On a few thousand rows a sequential scan is as cheap, so it is switched off to show the index serves
    the query; on 100,000 rows the planner picks the index by itself (manage.py bench_search)."""
    build_items(3000)
    items, _ = search.search_items(CatalogueItem.objects.current(), "信息系统运维")
    sql, params = items.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalogue_catalogue, catalogue_catalogueitem")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"Bitmap Index Scan on {INDEX}" in plan, plan


def test_bigram_search_returns_exactly_the_substring_matches():
    build_items(1500)
    for query in QUERIES:
        expected = icontains(query)
        assert expected, f"{query!r} should find something in the test data"
        assert bigram(query) == expected, query


def test_draft_items_are_in_the_index_but_never_found():
    build_items(300)
    draft_ids = set(CatalogueItem.objects.filter(edition__status=Catalogue.Status.DRAFT).values_list("pk", flat=True))
    assert draft_ids
    assert not bigram("养老") & draft_ids


def test_the_stored_vector_follows_edits_and_category_renames():
    edition = factories.edition(status=Catalogue.Status.DRAFT)
    item = factories.item(edition, category_code="H0203", name="政务外网运维")
    Catalogue.objects.filter(pk=edition.pk).update(status=Catalogue.Status.PUBLISHED)
    assert bigram("外网") == {item.pk}
    item.name = "政务内网运维"
    item.save()
    assert bigram("外网") == set()
    assert bigram("内网") == {item.pk}
    field = ServiceCategory.objects.get(code="H02")
    field.name = "信息技术类"
    field.save()
    assert bigram("信息技术") == {item.pk}


def test_ranking_puts_name_matches_first():
    edition = factories.edition()
    factories.item(edition, category_code="H0201", name="课题研究", content="研究居家养老服务需求。")
    factories.item(edition, category_code="C0201", name="农村养老互助", content="互助。")
    items, _ = search.search_items(CatalogueItem.objects.current(), "养老")
    assert [item.name for item in items] == ["农村养老互助", "课题研究"]
