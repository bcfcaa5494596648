"""Template filters for search results: a snippet around the first match, and <mark> around every match.

`highlight` never trusts its input: it splits the raw text at the matches,
escapes every piece on its own, and only then wraps the matched pieces in
<mark>, so neither the text nor the query can inject markup (a term like
"amp" cannot match inside an "&amp;" that escaping produced).
"""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

ELLIPSIS = "…"


def _pattern(terms):
    terms = sorted({term for term in terms or () if term}, key=len, reverse=True)
    if not terms:
        return None
    return re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)


@register.filter
def highlight(text, terms):
    """Escape text and wrap each occurrence of any of terms in <mark>."""
    text = "" if text is None else str(text)
    pattern = _pattern(terms)
    if pattern is None:
        return escape(text)
    pieces = []
    last = 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[last : match.start()]))
        pieces.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # every piece was escaped above


@register.filter
def snippet(text, terms, width=90):
    """About `width` characters of text around the first match (plain text, still to be escaped)."""
    text = " ".join(("" if text is None else str(text)).split())
    width = int(width)
    if len(text) <= width:
        return text
    pattern = _pattern(terms)
    match = pattern.search(text) if pattern else None
    start = 0 if match is None else max(0, match.start() - width // 3)
    end = min(len(text), start + width)
    start = max(0, end - width)
    return (ELLIPSIS if start else "") + text[start:end] + (ELLIPSIS if end < len(text) else "")
