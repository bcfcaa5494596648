"""Marking the catalogue's Chinese content inside interface text, whatever the interface language.

`{{ value|zh }}` wraps a value in <span lang="zh-Hans">, so a region's or a body's name inside an
English sentence (a blocktranslate variable) is announced and hyphenated as Chinese. In a Chinese
page the value is already in the page's language and is left as it is.
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()


@register.filter
def zh(value):
    if value in (None, ""):
        return ""
    if (get_language() or "").startswith("zh"):
        return value
    return format_html('<span lang="zh-Hans">{}</span>', value)
