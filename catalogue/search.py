"""Chinese substring search over catalogue items.

Chinese has no spaces, and the searches people type most (养老, 运维) are two
characters long, so word segmentation (jieba) and pg_trgm (which needs three
characters and a non-C ctype) both miss. Instead every item keeps a
`search_document`: a tsvector literal of overlapping character bigrams
('居家养老' → '居家':1 '家养':2 '养老':3), weighted A for the name, B for the
category path and D for the content. On PostgreSQL a GIN index on
`search_document::tsvector` answers a query as a phrase of its bigrams
('居家' <-> '家养' <-> '养老'), which matches exactly where the text contains
the query; a single character becomes a prefix query over the bigrams and the
final character of each run. Casting text to tsvector uses no parser and no
locale, so the result does not depend on the cluster's LC_CTYPE.

On SQLite, the embedded default, the same query is answered by icontains.
"""

import re

from django.db import connection
from django.db.models import BooleanField, Case, FloatField, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL

MAX_QUERY_LENGTH = 100
MAX_TERMS = 8
# A tsvector position may not exceed 16383; leave a gap between runs so a
# phrase never matches across a punctuation mark or field boundary.
MAX_POSITION = 16383
_RUN = re.compile(r"\w+", re.UNICODE)


def runs(text):
    """The runs of word characters in text, lower-cased (punctuation and spaces split them)."""
    return [run.lower() for run in _RUN.findall(text or "")]


def _quote(lexeme):
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def bigram_document(weighted_texts):
    """A tsvector literal of bigrams for [(text, weight), …], weight one of A, B, C, D."""
    position = 1
    entries = []
    for text, weight in weighted_texts:
        suffix = "" if weight == "D" else weight
        for run in runs(text):
            if position >= MAX_POSITION:
                break
            for i in range(max(len(run) - 1, 1)):
                lexeme = run[i : i + 2]
                entries.append(f"{_quote(lexeme)}:{min(position, MAX_POSITION)}{suffix}")
                position += 1
            if len(run) > 1:
                # The final character alone, so a one-character query finds it.
                entries.append(f"{_quote(run[-1])}:{min(position, MAX_POSITION)}{suffix}")
            position += 2
    return " ".join(entries)


def parse_query(query):
    """The search terms of a user's query: its runs of word characters, at most MAX_TERMS."""
    return runs((query or "")[:MAX_QUERY_LENGTH])[:MAX_TERMS]


def tsquery_for(terms):
    """'居家养老 培训' → ('居家' <-> '家养' <-> '养老') & ('培训')."""
    parts = []
    for term in terms:
        if len(term) == 1:
            parts.append(f"{_quote(term)}:*")
        else:
            parts.append("(" + " <-> ".join(_quote(term[i : i + 2]) for i in range(len(term) - 1)) + ")")
    return " & ".join(parts)


def search_items(queryset, query):
    """Filter items to those matching every term of query, best match first.

    Returns (queryset, terms); with no usable terms the queryset is empty.
    """
    terms = parse_query(query)
    if not terms:
        return queryset.none(), terms
    if connection.vendor == "postgresql":
        tsquery = tsquery_for(terms)
        column = '"catalogue_catalogueitem"."search_document"::tsvector'
        queryset = queryset.filter(
            RawSQL(f"{column} @@ %s::tsquery", [tsquery], output_field=BooleanField())
        ).annotate(rank=RawSQL(f"ts_rank({column}, %s::tsquery)", [tsquery], output_field=FloatField()))
        return queryset.order_by("-rank", "edition__region__order", "-edition__year", "code"), terms
    condition = Q()
    for term in terms:
        condition &= (
            Q(name__icontains=term)
            | Q(content__icontains=term)
            | Q(category__name__icontains=term)
            | Q(category__parent__name__icontains=term)
            | Q(category__parent__parent__name__icontains=term)
        )
    name_hits = sum(
        (Case(When(name__icontains=term, then=Value(1)), default=Value(0), output_field=IntegerField()) for term in terms),
        Value(0),
    )
    queryset = queryset.filter(condition).annotate(rank=name_hits)
    return queryset.order_by("-rank", "edition__region__order", "-edition__year", "code"), terms
