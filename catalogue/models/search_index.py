"""The search index an item stores: a tsvector literal of character bigrams (catalogue/search.py explains why).

This is the data side of search, kept with the models so that saving an item needs nothing from the public
site: CatalogueItem.build_search_document writes it. The query side (parse_query, search_items) stays in
catalogue/search.py, which reads runs() and quote_lexeme() from here so both sides split text alike.
"""

import re

# A tsvector position may not exceed 16383; leave a gap between runs so a
# phrase never matches across a punctuation mark or field boundary.
MAX_POSITION = 16383
_RUN = re.compile(r"\w+", re.UNICODE)


def runs(text):
    """The runs of word characters in text, lower-cased (punctuation and spaces split them)."""
    return [run.lower() for run in _RUN.findall(text or "")]


def quote_lexeme(lexeme):
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
                entries.append(f"{quote_lexeme(lexeme)}:{min(position, MAX_POSITION)}{suffix}")
                position += 1
            if len(run) > 1:
                # The final character alone, so a one-character query finds it.
                entries.append(f"{quote_lexeme(run[-1])}:{min(position, MAX_POSITION)}{suffix}")
            position += 2
    return " ".join(entries)
