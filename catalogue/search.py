"""Chinese substring search over catalogue items.

Chinese has no spaces, and the searches people type most (养老, 运维) are two
characters long, so word segmentation (jieba) and pg_trgm (which needs three
characters and a non-C ctype) both miss. Instead every item keeps a
`search_document`: a tsvector literal of overlapping character bigrams
('居家养老' → '居家':1 '家养':2 '养老':3), weighted A for the name, B for the
category path and D for the content. On PostgreSQL a GIN index on
the stored tsvector answers a query as a phrase of its bigrams
('居家' <-> '家养' <-> '养老'), which matches exactly where the text contains
the query; a single character becomes a prefix query over the bigrams and the
final character of each run. Casting text to tsvector uses no parser and no
locale, so the result does not depend on the cluster's LC_CTYPE.

The tsvector is stored: migration 0002 makes `search_vector` a column
PostgreSQL generates from search_document on write, and the GIN index sits on
it. Indexing only the cast expression (tried first) was slow because every
row a query touches, to recheck a phrase or to rank it, was parsed from text
again (~15 µs a row). `manage.py bench_search --rows 100000` (PostgreSQL 15,
96 editions) measured for the ranked first page of 20, with the cast:
86–490 ms for queries of 1–6 characters with 5,000–16,000 hits, 1.4 s for 服务;
with the stored column: 24–94 ms, 250 ms for 服务 (in 87% of rows), 2 ms for a
rare query; the paginator's count adds 21–89 ms. A sequential icontains scan
took 110–220 ms. The hits equal icontains' hits for every query measured.

Limits of tsvector that bound exactness: positions stop at 16383 and a
lexeme keeps at most 256 positions, so text past roughly 16,000 characters of
one item, or a bigram repeated more than 256 times in it, may be missed.
Catalogue rows are a few hundred characters.

On SQLite, the embedded default, the same query is answered by icontains.
"""

from django.db import connection
from django.db.models import BooleanField, Case, FloatField, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL

# The index side (what an item stores) belongs with the data; this module is the query side.
from catalogue.models.search_index import quote_lexeme, runs

MAX_QUERY_LENGTH = 100
# The generated tsvector column of migration 0002 (PostgreSQL only, unknown to the model).
SEARCH_VECTOR_SQL = '"catalogue_catalogueitem"."search_vector"'

MAX_TERMS = 8


def parse_query(query):
    """The search terms of a user's query: its runs of word characters, at most MAX_TERMS."""
    return runs((query or "")[:MAX_QUERY_LENGTH])[:MAX_TERMS]


def tsquery_for(terms):
    """'居家养老 培训' → ('居家' <-> '家养' <-> '养老') & ('培训')."""
    parts = []
    for term in terms:
        if len(term) == 1:
            parts.append(f"{quote_lexeme(term)}:*")
        else:
            parts.append("(" + " <-> ".join(quote_lexeme(term[i : i + 2]) for i in range(len(term) - 1)) + ")")
    return " & ".join(parts)


def substring_condition(terms):
    """What the bigram query means, as a plain filter: every term inside the name, content or a category name."""
    condition = Q()
    for term in terms:
        condition &= (
            Q(name__icontains=term)
            | Q(content__icontains=term)
            | Q(category__name__icontains=term)
            | Q(category__parent__name__icontains=term)
            | Q(category__parent__parent__name__icontains=term)
        )
    return condition


def search_items(queryset, query):
    """Filter items to those matching every term of query, best match first.

    Returns (queryset, terms); with no usable terms the queryset is empty.
    """
    terms = parse_query(query)
    if not terms:
        return queryset.none(), terms
    if connection.vendor == "postgresql":
        tsquery = tsquery_for(terms)
        column = SEARCH_VECTOR_SQL
        queryset = queryset.filter(
            RawSQL(f"{column} @@ %s::tsquery", [tsquery], output_field=BooleanField())
        ).annotate(rank=RawSQL(f"ts_rank({column}, %s::tsquery)", [tsquery], output_field=FloatField()))
        return queryset.order_by("-rank", "edition__region__order", "-edition__year", "code"), terms
    condition = substring_condition(terms)
    name_hits = sum(
        (Case(When(name__icontains=term, then=Value(1)), default=Value(0), output_field=IntegerField()) for term in terms),
        Value(0),
    )
    queryset = queryset.filter(condition).annotate(rank=name_hits)
    return queryset.order_by("-rank", "edition__region__order", "-edition__year", "code"), terms
