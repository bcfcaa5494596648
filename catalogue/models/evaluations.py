"""Performance evaluation (绩效评价) of a contract, and the weights it is computed with (DOMAIN.md §10).

The bands and defaults are catalogue/evaluation_rules.py; the weights in force are the one
EvaluationWeights row. An evaluation's combined score and grade are computed on save, never typed,
with the weights copied onto the row when it is first computed.
"""

from collections import defaultdict

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalogue import evaluation_rules as rules
from catalogue.evaluation_rules import Grade
from catalogue.scopes import Scope

from .base import Recorded, account_field
from .lifecycles import Lifecycle


def _score_field(label, help_text, out_of_range):
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(rules.SCORE_MIN, out_of_range), MaxValueValidator(rules.SCORE_MAX, out_of_range)],
        help_text=help_text,
    )


def _weight_field(label):
    return models.PositiveSmallIntegerField(
        label,
        validators=[MaxValueValidator(100, _("权重应在0至100之间。"))],
        help_text=_("百分比，三项之和须为100。"),
    )


class EvaluationWeights(models.Model):
    """The weights of the three parts of an evaluation: one row, kept by municipal finance.

    Until it is saved, evaluation_rules.DEFAULT_WEIGHTS (40/30/30) apply. A change applies to
    evaluations recorded afterwards; each evaluation keeps the weights it was computed with.
    """

    SINGLETON_PK = 1

    self_weight = _weight_field(_("自评权重（%）"))
    satisfaction_weight = _weight_field(_("服务对象满意度权重（%）"))
    third_party_weight = _weight_field(_("第三方评价权重（%）"))
    updated_by = account_field(_("修改人"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    history = HistoricalRecords(verbose_name=_("绩效评价权重历史"))

    class Meta:
        verbose_name = _("绩效评价权重")
        verbose_name_plural = _("绩效评价权重")

    def __str__(self):
        return _("自评%(self)s%% · 服务对象满意度%(satisfaction)s%% · 第三方%(third_party)s%%") % self.as_dict()

    @classmethod
    def current(cls):
        """The row in force, or an unsaved one with the defaults (reading never writes)."""
        row = cls.objects.filter(pk=cls.SINGLETON_PK).first()
        if row is None:
            defaults = rules.DEFAULT_WEIGHTS
            row = cls(
                pk=cls.SINGLETON_PK,
                self_weight=defaults["self"],
                satisfaction_weight=defaults["satisfaction"],
                third_party_weight=defaults["third_party"],
            )
        return row

    def as_dict(self):
        return {"self": self.self_weight, "satisfaction": self.satisfaction_weight, "third_party": self.third_party_weight}

    def clean(self):
        if None in self.as_dict().values():
            return
        rules.check_weights(self.as_dict())  # a form-wide error: it concerns all three

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)


class EvaluationQuerySet(models.QuerySet):
    def published(self):
        """Evaluations whose results were published: the only ones any public page, export or chart shows."""
        return self.filter(published=True)

    def visible_to(self, user):
        """Through the contract: municipal finance all, a county office its region's, a department its body's."""
        return Scope.of(user).restrict(
            self, region="contract__region_id", department=lambda body: models.Q(contract__purchasing_body_id=body)
        )

    def for_provider(self, provider):
        return self.filter(contract__provider=provider)

    def for_item(self, item):
        """Evaluations of contracts for this item's service: the same code in the same region and year
        (a correction gives the service a new row in the new revision)."""
        return self.filter(
            contract__item__edition__region_id=item.edition.region_id,
            contract__item__edition__year=item.edition.year,
            contract__item__code=item.code,
        )

    def with_contract(self):
        """Everything a results table shows, in one query."""
        return self.select_related(
            "contract__region",
            "contract__provider",
            "contract__purchasing_body",
            "contract__item__edition__region",
            "contract__item__category__parent__parent",
        )

    def with_area(self):
        """Annotate `area_code`: the 一级 category (A … H) of the contract's item, for per-area statistics."""
        return self.annotate(area_code=Substr("contract__item__category__code", 1, 1))

    def newest_first(self):
        return self.order_by("-evaluated_on", "-pk")

    def newest_grade(self, provider):
        """The grade of the provider's newest evaluation among these, as a subquery; `provider` is usually an
        OuterRef (a provider's pk, or a contract's provider)."""
        newest = self.filter(contract__provider=provider).newest_first()
        return models.Subquery(newest.values("grade")[:1])

    def recent_grades(self, provider_ids, limit=3):
        """{provider id: [Grade, …]} — each provider's newest `limit` grades, newest first, in one query."""
        rows = (
            self.filter(contract__provider_id__in=list(provider_ids))
            .order_by("contract__provider_id", "-evaluated_on", "-pk")
            .values_list("contract__provider_id", "grade")
        )
        grades = defaultdict(list)
        for provider_id, grade in rows:
            if len(grades[provider_id]) < limit:
                grades[provider_id].append(Grade(grade))
        return dict(grades)


class Evaluation(Recorded):
    """绩效评价 of one contract, after its service period has ended.

    Three scores from 0 to 100: the purchasing body's own (自评), the service recipients'
    satisfaction (服务对象满意度) and a third party's (第三方). The combined score and the grade
    are computed (catalogue/evaluation_rules.py) with the weights in force when the evaluation is
    first recorded; those weights are stored on the row. Only published evaluations are public.
    """

    class Publication(models.TextChoices):
        """Whether the result is public: derived from `published`, never stored (EVALUATION_LIFECYCLE's states)."""

        UNPUBLISHED = "unpublished", _("未公开")
        PUBLISHED = "published", _("已公开")

    class Action(models.TextChoices):
        """The steps of EVALUATION_LIFECYCLE; the labels are the history's reasons."""

        PUBLISH = "publish", _("公开评价结果")
        WITHDRAW = "withdraw", _("撤回公开")

    contract = models.OneToOneField(
        "catalogue.Contract", verbose_name=_("合同"), on_delete=models.PROTECT, related_name="evaluation"
    )
    evaluated_on = models.DateField(_("评价日期"), default=timezone.localdate)
    self_score = _score_field(_("自评得分"), _("购买主体自评，0至100分。"), _("自评得分应在0至100分之间。"))
    satisfaction_score = _score_field(
        _("服务对象满意度得分"), _("服务对象满意度测评，0至100分。"), _("服务对象满意度得分应在0至100分之间。")
    )
    third_party_score = _score_field(
        _("第三方评价得分"), _("第三方机构评价，0至100分。"), _("第三方评价得分应在0至100分之间。")
    )
    third_party_name = models.CharField(_("第三方评价机构"), max_length=100, blank=True)
    remarks = models.TextField(_("评价意见"), blank=True)
    weight_self = models.PositiveSmallIntegerField(_("自评权重（%）"), null=True, editable=False)
    weight_satisfaction = models.PositiveSmallIntegerField(_("满意度权重（%）"), null=True, editable=False)
    weight_third_party = models.PositiveSmallIntegerField(_("第三方权重（%）"), null=True, editable=False)
    score = models.DecimalField(_("综合得分"), max_digits=5, decimal_places=2, null=True, editable=False)
    grade = models.CharField(_("评价等级"), max_length=10, choices=Grade.choices, blank=True, editable=False)
    published = models.BooleanField(_("已公开"), default=False, editable=False)
    published_on = models.DateField(_("公开日期"), null=True, blank=True, editable=False)

    objects = EvaluationQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("绩效评价历史"))

    class Meta:
        verbose_name = _("绩效评价")
        verbose_name_plural = _("绩效评价")
        ordering = ["-evaluated_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(self_score__gte=0, self_score__lte=100)
                & models.Q(satisfaction_score__gte=0, satisfaction_score__lte=100)
                & models.Q(third_party_score__gte=0, third_party_score__lte=100),
                name="evaluation_scores_in_range",
                violation_error_message=_("各项得分应在0至100分之间。"),
            ),
            models.CheckConstraint(
                condition=models.Q(published=False) | models.Q(published_on__isnull=False),
                name="evaluation_published_has_date",
                violation_error_message=_("公开的评价须有公开日期。"),
            ),
        ]

    def __str__(self):
        grade = f" · {self.get_grade_display()}" if self.grade else ""
        return f"{self.contract}{grade}" if self.contract_id else str(_("绩效评价"))

    # Computation -----------------------------------------------------------------------------

    @property
    def scores(self):
        return {"self": self.self_score, "satisfaction": self.satisfaction_score, "third_party": self.third_party_score}

    @property
    def weights(self):
        """The weights this evaluation was computed with, or (not yet computed) those in force."""
        if self.weight_self is None:
            return EvaluationWeights.current().as_dict()
        return {"self": self.weight_self, "satisfaction": self.weight_satisfaction, "third_party": self.weight_third_party}

    def scores_are_valid(self):
        return all(value is not None and rules.SCORE_MIN <= value <= rules.SCORE_MAX for value in self.scores.values())

    def compute(self):
        """Fix the weights on the row (first time only) and compute the combined score and grade."""
        weights = self.weights
        self.weight_self, self.weight_satisfaction, self.weight_third_party = (
            weights["self"],
            weights["satisfaction"],
            weights["third_party"],
        )
        self.score = rules.combined_score(self.scores, weights)
        self.grade = rules.grade_for(self.score)

    # Validation ------------------------------------------------------------------------------

    def clean(self):
        errors = {}
        if self.contract_id:
            contract = self.contract
            today = timezone.localdate()
            if contract.period_end >= today:
                errors["contract"] = _("该合同的服务期至%(end)s，服务期结束后才能进行绩效评价。") % {
                    "end": contract.period_end.isoformat()
                }
            elif self.evaluated_on and self.evaluated_on <= contract.period_end:
                errors["evaluated_on"] = _("评价日期应在合同服务期结束（%(end)s）之后。") % {
                    "end": contract.period_end.isoformat()
                }
        if self.evaluated_on and self.evaluated_on > timezone.localdate():
            errors.setdefault("evaluated_on", _("评价日期不能晚于今天。"))
        if self.scores_are_valid():
            try:
                self.compute()
            except ValidationError as error:
                errors[NON_FIELD_ERRORS] = error.messages
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.scores_are_valid():
            self.compute()
        super().save(*args, **kwargs)

    # Publication --------------------------------------------------------------------------------

    @property
    def publication(self):
        """The lifecycle's state, read from the `published` boolean (a status field would need a migration)."""
        return self.Publication.PUBLISHED if self.published else self.Publication.UNPUBLISHED

    @publication.setter
    def publication(self, state):
        self.published = state == self.Publication.PUBLISHED

    def get_publication_display(self):
        return self.Publication(self.publication).label

    @property
    def is_frozen(self):
        """A published result is a public record: withdraw it (with a reason) before correcting it."""
        return self.published

    @property
    def is_failed(self):
        return self.grade == Grade.FAIL


# An evaluation's publication (catalogue/models/lifecycles.py; DOMAIN.md §10): a recorded result is published
# (公开) by finance, and withdrawn (撤回公开, with a reason) to be corrected. The state is Evaluation.publication.
EVALUATION_LIFECYCLE = Lifecycle(
    transitions={
        Evaluation.Action.PUBLISH: ({Evaluation.Publication.UNPUBLISHED}, Evaluation.Publication.PUBLISHED),
        Evaluation.Action.WITHDRAW: ({Evaluation.Publication.PUBLISHED}, Evaluation.Publication.UNPUBLISHED),
    },
    actions=Evaluation.Action,
    status_field="publication",
    refusals={
        Evaluation.Action.PUBLISH: _("该评价结果已于%(date)s公开。"),
        Evaluation.Action.WITHDRAW: _("该评价结果尚未公开。"),
    },
    refusal_context=lambda evaluation: {
        "date": evaluation.published_on.isoformat() if evaluation.published_on else "",
    },
)
