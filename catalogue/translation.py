"""Translation looked up once per language and message, for code that labels thousands of rows.

gettext walks Django's translation machinery on every call (about 15 µs); an export of 2,000
items that calls it for every cell spends most of its time there.
"""

from django.utils import translation

_cache = {}


def cached_gettext(message):
    key = (translation.get_language(), message)
    text = _cache.get(key)
    if text is None:
        text = _cache[key] = translation.gettext(message)
    return text
