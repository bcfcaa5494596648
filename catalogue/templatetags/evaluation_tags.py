"""Template helpers for published performance evaluations and a provider's qualification on the public pages."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from catalogue.evaluation_rules import Grade

register = template.Library()


@register.filter
def grade_badge(grade):
    """A grade code (EXCELLENT …) as a coloured badge: <span class="grade-badge grade-excellent">优秀</span>.

    The colour is only a help: the word is always there, so the badge reads in print and to a screen reader.
    """
    if not grade:
        return "—"
    try:
        grade = Grade(grade)
    except ValueError:
        return "—"
    return format_html('<span class="grade-badge grade-{}">{}</span>', grade.value.lower(), grade.label)


@register.filter
def qualification_period(provider):
    """"2024-01-01 至 2027-12-31" (or "至 2027-12-31" when the start was not recorded, "长期" without an end)."""
    start, end = provider.qualified_from, provider.qualified_until
    if start and end:
        return gettext("%(start)s 至 %(end)s") % {"start": start.isoformat(), "end": end.isoformat()}
    if end:
        return gettext("至 %(end)s") % {"end": end.isoformat()}
    if start:
        return gettext("%(start)s 起，长期有效") % {"start": start.isoformat()}
    return gettext("长期")


@register.filter
def weights_label(evaluation):
    """"40/30/30": the weights (自评/满意度/第三方, %) the result was computed with."""
    weights = evaluation.weights
    return f"{weights['self']}/{weights['satisfaction']}/{weights['third_party']}"
