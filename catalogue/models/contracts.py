from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalogue.evaluation_rules import Grade
from catalogue.scopes import Scope

from .base import Recorded
from .editions import Catalogue
from .evaluations import Evaluation
from .items import ProcurementMethod


class ContractQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Municipal finance sees every contract; a county office its region's; department staff their body's."""
        return Scope.of(user).restrict(
            self, region="region_id", department=lambda body: models.Q(purchasing_body_id=body)
        )

    def announced(self):
        """Contracts whose award was announced (公告): the ones a public page may name."""
        return self.filter(announced=True)

    def ended(self, on=None):
        """Contracts whose service period is over: the ones that may be evaluated."""
        from django.utils import timezone

        return self.filter(period_end__lt=on or timezone.localdate())

    def for_provider(self, provider):
        return self.filter(provider=provider)

    def with_provider_grade(self):
        """Annotate `provider_latest_grade`: the grade of the newest evaluation of each contract's provider (on
        any contract), for the ⚠ staff see beside a provider whose newest result is 不合格."""
        return self.annotate(provider_latest_grade=Evaluation.objects.newest_grade(models.OuterRef("provider")))

    def provider_flagged(self, flagged=True):
        """After with_provider_grade: the contracts whose provider is flagged (⚠), or with flagged=False the others."""
        fail = models.Q(provider_latest_grade=Grade.FAIL)
        return self.filter(fail) if flagged else self.exclude(fail)

    def awaiting_evaluation(self, keep=None):
        """Contracts without an evaluation: each contract is evaluated once. `keep`, the contract an
        evaluation already has, stays among them (its form offers it)."""
        open_ = models.Q(evaluation__isnull=True)
        if keep is not None:
            open_ |= models.Q(pk=keep)
        return self.filter(open_)

    def with_related(self):
        return self.select_related(
            "region", "provider", "purchasing_body", "item__edition__region", "item__category__parent__parent"
        )

    def committed_for(self, item, exclude_pk=None):
        """The sum already contracted for `item`'s service in its region and year (元).

        A correction (动态调整) gives the same service a new row in the new revision; contracts under
        either revision draw on the same budget, so they are matched by the item's code.
        """
        rows = self.filter(
            item__edition__region_id=item.edition.region_id, item__edition__year=item.edition.year, item__code=item.code
        )
        if exclude_pk is not None:
            rows = rows.exclude(pk=exclude_pk)
        return rows.aggregate(total=Sum("value"))["total"] or Decimal("0")


class Contract(Recorded):
    """A 政府购买服务合同: a purchasing body buys a catalogue item from a qualified provider (DOMAIN.md §10).

    The rules, checked by clean() and, under a lock on the item, by catalogue/services/contracts.py:

    - The item is in the **published** catalogue (the revision in force) of the contract's region and
      year; a draft, superseded or withdrawn edition, or another region's or year's, is refused.
    - **Only catalogue items with a budget may be bought** (国办发〔2013〕96号: 所需资金在既有
      财政预算安排中统筹考虑): a contract for an item without a budget is refused, and so is a contract
      that would take the contracts of the item's service in that region and year (all revisions,
      matched by the item's code) above the item's budget. Refused, not flagged: the record stays
      what the policy allows.
    - The purchasing body is one of the item's purchasing bodies.
    - The provider was qualified on the signing date (认定日期 ≤ 签订日期 ≤ 有效期, not suspended or
      revoked by then), for the item's category or a category above it.
    - The value is more than 0 元; the period ends on or after it starts.
    - The whole service may not be subcontracted onwards (转包, DOMAIN.md §7): the clerk confirms it.

    The item, region, year, provider and signing date are checked when the contract is recorded
    or when one of them changes; a later supersession of the edition or suspension of the provider
    does not make an earlier contract invalid.
    """

    region = models.ForeignKey(
        "catalogue.Region", verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="contracts"
    )
    year = models.PositiveSmallIntegerField(
        _("年度"),
        validators=[
            MinValueValidator(2015, _("合同年度不能早于2015年。")),
            MaxValueValidator(2100, _("合同年度不能晚于2100年。")),
        ],
    )
    item = models.ForeignKey(
        "catalogue.CatalogueItem", verbose_name=_("目录事项"), on_delete=models.PROTECT, related_name="contracts"
    )
    provider = models.ForeignKey(
        "catalogue.Provider", verbose_name=_("承接主体"), on_delete=models.PROTECT, related_name="contracts"
    )
    purchasing_body = models.ForeignKey(
        "catalogue.PurchasingBody", verbose_name=_("购买主体"), on_delete=models.PROTECT, related_name="contracts"
    )
    number = models.CharField(_("合同编号"), max_length=60, blank=True)
    signed_on = models.DateField(_("签订日期"))
    value = models.DecimalField(
        _("合同金额（元）"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), _("合同金额须大于0元。"))],
    )
    period_start = models.DateField(_("服务期限起"))
    period_end = models.DateField(_("服务期限止"))
    procurement_method = models.CharField(
        _("购买方式"), max_length=30, choices=ProcurementMethod.choices, default=ProcurementMethod.OPEN_TENDER
    )
    summary = models.TextField(
        _("合同主要内容"), blank=True, help_text=_("服务内容、数量、质量要求、价款结算方式、违约责任等。")
    )
    no_subcontracting_confirmed = models.BooleanField(
        _("确认不转包"),
        default=False,
        help_text=_("确认合同约定承接主体不得将服务项目整体转包给他人。"),
    )
    announced = models.BooleanField(_("已公告"), default=False)
    announced_on = models.DateField(_("公告日期"), null=True, blank=True)

    objects = ContractQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("合同历史"))

    # Checked when the contract is recorded or one of these changes (see the docstring).
    TERMS = ("region_id", "year", "item_id", "provider_id", "signed_on")

    class Meta:
        verbose_name = _("合同")
        verbose_name_plural = _("合同")
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__gt=0),
                name="contract_value_positive",
                violation_error_message=_("合同金额须大于0元。"),
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="contract_period_in_order",
                violation_error_message=_("服务期限的结束日期不能早于开始日期。"),
            ),
        ]
        indexes = [models.Index(fields=["region", "year"], name="contract_region_year")]

    def __str__(self):
        label = self.number or (self.signed_on.isoformat() if self.signed_on else "")
        item = self.item.name if self.item_id else ""
        provider = self.provider.name if self.provider_id else ""
        return f"{item} · {provider}" + (f"（{label}）" if label else "")

    @classmethod
    def from_db(cls, db, field_names, values):
        obj = super().from_db(db, field_names, values)
        obj._loaded_terms = {name: obj.__dict__.get(name) for name in cls.TERMS}
        return obj

    def terms_changed(self):
        loaded = getattr(self, "_loaded_terms", None)
        return loaded is None or any(loaded[name] != getattr(self, name) for name in self.TERMS)

    def clean(self):
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("服务期限的结束日期不能早于开始日期。")
        if not self.no_subcontracting_confirmed:
            errors["no_subcontracting_confirmed"] = _("请确认承接主体不得将服务项目整体转包（政策禁止转包）。")
        if self.announced and not self.announced_on:
            errors["announced_on"] = _("已公告的合同须填写公告日期。")
        if self.item_id:
            item = self.item
            if self.terms_changed():
                errors.update(self._item_errors(item))
                errors.update(self._provider_errors(item))
            if "item" not in errors:
                errors.update(self._budget_errors(item))
            if self.purchasing_body_id and not item.purchasing_bodies.filter(pk=self.purchasing_body_id).exists():
                bodies = "、".join(body.name for body in item.purchasing_bodies.all()) or _("无")
                errors.setdefault(
                    "purchasing_body",
                    _("“%(body)s”不是该事项的购买主体（该事项的购买主体：%(bodies)s）。")
                    % {"body": self.purchasing_body, "bodies": bodies},
                )
        if errors:
            raise ValidationError(errors)

    def _item_errors(self, item):
        edition = item.edition
        if not (self.region_id and self.year):
            return {}
        if edition.status != Catalogue.Status.PUBLISHED or edition.region_id != self.region_id or edition.year != self.year:
            return {
                "item": _(
                    "所选事项不在%(region)s%(year)s年现行发布的指导性目录中（它属于“%(edition)s”，%(status)s）；"
                    "只能购买本行政区划本年度已发布目录中的事项。"
                )
                % {
                    "region": self.region,
                    "year": self.year,
                    "edition": edition.region_label,
                    "status": edition.get_status_display(),
                }
            }
        return {}

    def _budget_errors(self, item):
        if item.budget is None:
            return {"item": _("“%(item)s”没有安排预算。按政策只能购买列入指导性目录且有预算的事项，不能签订合同。") % {"item": item.name}}
        if self.value is None or self.value <= 0:
            return {}
        committed = Contract.objects.committed_for(item, exclude_pk=self.pk)
        if committed + self.value > item.budget:
            return {
                "value": _(
                    "合同金额超出该事项的预算：预算%(budget)s元，本年度已签订合同%(committed)s元，尚余%(left)s元。"
                )
                % {
                    "budget": f"{item.budget:,.2f}",
                    "committed": f"{committed:,.2f}",
                    "left": f"{max(item.budget - committed, Decimal('0')):,.2f}",
                }
            }
        return {}

    def _provider_errors(self, item):
        if not (self.provider_id and self.signed_on):
            return {}
        provider = self.provider
        problem = provider.qualification_problem_on(self.signed_on)
        if problem:
            return {"provider": problem}
        if not provider.serves(item.category):
            return {
                "provider": _("“%(name)s”未被认定可承接“%(category)s”类服务。")
                % {"name": provider.name, "category": item.category.name}
            }
        return {}

    @property
    def is_frozen(self):
        """The contract behind a published evaluation is part of that public record."""
        return self.pk is not None and Contract.objects.filter(pk=self.pk, evaluation__published=True).exists()

    @property
    def has_ended(self):
        from django.utils import timezone

        return self.period_end is not None and self.period_end < timezone.localdate()
