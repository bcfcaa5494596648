"""Performance evaluation (绩效评价): the grade bands and the default weights, in one place.

DOMAIN.md §10: a contract is evaluated by the purchasing body (自评), by the service recipients
(服务对象满意度) and by a third party (第三方). **Choice**: the combined score is the weighted
mean of the three (weights in whole percent, 40/30/30 by default, summing to 100), rounded half
up to two decimals; the grade is read from the rounded score, so the score a reader sees and
the grade beside it always agree:

    优秀 ≥ 90 · 良好 ≥ 80 · 合格 ≥ 60 · 不合格 < 60

The weights in force are the EvaluationWeights row (municipal finance edits it in the admin);
DEFAULT_WEIGHTS apply until one is saved. Each evaluation stores the weights it was computed
with, so changing the weights later never rewrites a past result.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

SCORE_MIN = Decimal("0")
SCORE_MAX = Decimal("100")
SCORE_PLACES = Decimal("0.01")


class Grade(models.TextChoices):
    EXCELLENT = "EXCELLENT", _("优秀")
    GOOD = "GOOD", _("良好")
    PASS = "PASS", _("合格")
    FAIL = "FAIL", _("不合格")


# (lowest score of the band, grade), best first; below the last band is FAIL.
GRADE_BANDS = (
    (Decimal("90"), Grade.EXCELLENT),
    (Decimal("80"), Grade.GOOD),
    (Decimal("60"), Grade.PASS),
)

# The three parts of an evaluation, in display order: (key, label).
PARTS = (
    ("self", _("自评")),
    ("satisfaction", _("服务对象满意度")),
    ("third_party", _("第三方评价")),
)

DEFAULT_WEIGHTS = {"self": 40, "satisfaction": 30, "third_party": 30}


def weights_text(weights):
    """自评40%、服务对象满意度30%、第三方评价30%: the weights as a clerk reads them, in display order."""
    return "、".join(f"{label}{weights[key]}%" for key, label in PARTS)


def check_weights(weights):
    """Refuse weights that are not whole percents from 0 to 100 summing to 100 (a Chinese ValidationError)."""
    for key, label in PARTS:
        value = weights.get(key)
        if value is None or int(value) != value or not 0 <= value <= 100:
            raise ValidationError(gettext("%(part)s的权重应为0至100之间的整数。") % {"part": label}, code="weight_range")
    total = sum(int(weights[key]) for key, _label in PARTS)
    if total != 100:
        raise ValidationError(
            gettext("三项权重之和应为100%%，现为%(total)s%%。") % {"total": total}, code="weights_sum"
        )


def combined_score(scores, weights):
    """The weighted score: Σ score × weight / 100, rounded half up to two decimals."""
    check_weights(weights)
    total = sum(Decimal(scores[key]) * int(weights[key]) for key, _label in PARTS)
    return (total / 100).quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


def grade_for(score):
    """The grade of a (rounded) combined score."""
    score = Decimal(score)
    for lowest, grade in GRADE_BANDS:
        if score >= lowest:
            return grade
    return Grade.FAIL


def band_label(grade):
    """优秀（≥ 90） …: the band a grade stands for, for legends and help texts."""
    for lowest, band in GRADE_BANDS:
        if band == grade:
            return f"{band.label}（≥ {lowest}）"
    return f"{Grade.FAIL.label}（< {GRADE_BANDS[-1][0]}）"


def grade_bands():
    """[(Grade, "优秀（≥ 90）")…], best first and 不合格 last: the legend under a results table and the weights page."""
    return [(grade, band_label(grade)) for grade in [band for _lowest, band in GRADE_BANDS] + [Grade.FAIL]]
