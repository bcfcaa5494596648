from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalogue.scopes import Scope

from .base import Recorded, account_field, budget_field
from .items import ProcurementMethod
from .lifecycles import Lifecycle
from .trails import TrailStep


class PilotItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Municipal finance sees every county's submissions; a county office sees its own."""
        return Scope.of(user).restrict(self, region="region_id")

    def waiting_for_review(self):
        return self.filter(status=PilotItem.Status.SUBMITTED)

    def returned(self):
        return self.filter(status=PilotItem.Status.RETURNED)


class PilotItem(Recorded):
    """A 试点事项 a county office proposes for its county's edition (DOMAIN.md §9).

    The allowed transitions are data (TRANSITIONS below); the services in
    catalogue/services/pilots.py read them, and the admin shows them.
    """

    class Status(models.TextChoices):
        DRAFT = "DRAFT", _("草稿")
        SUBMITTED = "SUBMITTED", _("已报送")
        RETURNED = "RETURNED", _("已退回")
        APPROVED = "APPROVED", _("已通过")

    class Action(models.TextChoices):
        SUBMIT = "submit", _("报送")
        RETURN = "return", _("退回")
        APPROVE = "approve", _("通过")
        WITHDRAW = "withdraw", _("撤回报送")

    # action → (states it may start from, state it leads to)
    TRANSITIONS = {
        Action.SUBMIT: ({Status.DRAFT, Status.RETURNED}, Status.SUBMITTED),
        # Before municipal finance has decided, the county may take its submission back to change it.
        Action.WITHDRAW: ({Status.SUBMITTED}, Status.DRAFT),
        Action.RETURN: ({Status.SUBMITTED}, Status.RETURNED),
        Action.APPROVE: ({Status.SUBMITTED}, Status.APPROVED),
    }
    EDITABLE_STATES = {Status.DRAFT, Status.RETURNED}
    # Only a submitted or returned item is waiting for someone; a draft has not been sent, an approved one is done.
    WAITING_STATES = {Status.SUBMITTED, Status.RETURNED}

    region = models.ForeignKey(
        "catalogue.Region", verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="pilot_items"
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2015, _("试点自2015年开始，年度不能早于2015年。"))]
    )
    category = models.ForeignKey(
        "catalogue.ServiceCategory", verbose_name=_("服务类别（三级）"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("事项名称"), max_length=200)
    content = models.TextField(_("服务内容"), blank=True)
    purchasing_bodies = models.ManyToManyField(
        "catalogue.PurchasingBody", verbose_name=_("购买主体"), related_name="pilot_items", blank=True
    )
    provider_requirements = models.TextField(_("承接主体要求"), blank=True)
    procurement_method = models.CharField(
        _("拟采用的购买方式"), max_length=30, choices=ProcurementMethod.choices, default=ProcurementMethod.OPEN_TENDER
    )
    performance_standard = models.TextField(_("绩效评价标准"), blank=True)
    planned_budget = budget_field()
    reason = models.TextField(_("申报理由"), blank=True, help_text=_("为什么该事项公共性、公益性较强，适合先行试点。"))
    negative_list_confirmed = models.BooleanField(
        _("确认不属于禁止购买的事项"),
        default=False,
        help_text=_(
            "确认该事项不属于：不属于政府职能范围的事项；应当由政府直接履职的事项；货物和工程，或与服务打包的工程；"
            "融资行为；购买主体的人员招、聘用，以劳务派遣方式用工，以及设置公益性岗位等事项。"
        ),
    )
    notes = models.TextField(_("备注"), blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT, editable=False)
    catalogue_item = models.OneToOneField(
        "catalogue.CatalogueItem",
        verbose_name=_("对应目录事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pilot_item",
        editable=False,
    )
    created_by = account_field(_("填报人"))
    status_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True, editable=False)

    objects = PilotItemQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("试点事项历史"), m2m_fields=[purchasing_bodies])

    class Meta:
        verbose_name = _("试点事项")
        verbose_name_plural = _("试点事项")
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_budget__gte=0),
                name="pilot_item_budget_not_negative",
                violation_error_message=_("预算金额不能为负数。"),
            )
        ]

    def __str__(self):
        return f"{self.region} {self.fiscal_year} · {self.name}"

    def clean(self):
        errors = {}
        if self.category_id and not self.category.is_leaf:
            errors["category"] = _("试点事项只能归入三级（末级）服务类别。")
        if self.region_id and self.region.is_city:
            errors["region"] = _("试点事项由县级财政部门报送，请选择县（市、区）或功能区。")
        if errors:
            raise ValidationError(errors)

    def submission_errors(self):
        """{field: message} for what a draft may leave open but a submission must have.

        A draft is saved as far as it is written (issue 12, finding 6); 服务内容, 预算, 申报理由 and the
        negative-list confirmation are asked for when it is sent to municipal finance.
        """
        errors = {}
        if not (self.content or "").strip():
            errors["content"] = _("报送前请填写服务内容。")
        if self.planned_budget is None:
            errors["planned_budget"] = _("报送前请填写预算（元）。")
        if not (self.reason or "").strip():
            errors["reason"] = _("报送前请填写申报理由：为什么该事项适合先行试点。")
        if not self.negative_list_confirmed:
            errors["negative_list_confirmed"] = _("请确认该事项不属于禁止向社会力量购买的事项（负面清单）。")
        return errors

    @property
    def is_editable(self):
        return self.status in self.EDITABLE_STATES

    @property
    def is_frozen(self):
        """Submitted and approved items are read-only; drafts and returned items are the county's to edit."""
        return not self.is_editable

    @property
    def is_deletable(self):
        """A draft may be deleted; once sent (submitted, returned, approved) the item and its trail are kept."""
        return self.status == self.Status.DRAFT

    @property
    def is_waiting(self):
        return self.status in self.WAITING_STATES

    def days_in_state(self, now=None):
        """Whole days since the item last changed state (or was created): how long it has waited."""
        since = self.status_changed_at or self.created_at
        return ((now or timezone.now()) - since).days

    @property
    def current_step(self):
        """The step of the trail that brought the item into its present state (its 报送, 退回, 通过 or 撤回报送),
        or None for a draft never sent. Reads transitions.all(), so a prefetched trail costs no query."""
        steps = [step for step in self.transitions.all() if step.to_status == self.status]
        return steps[-1] if steps else None

    def allowed_actions(self):
        return PILOT_LIFECYCLE.available(self)


# The pilot item's lifecycle (catalogue/models/lifecycles.py): its table and the words of a refused step.
PILOT_LIFECYCLE = Lifecycle(
    transitions=PilotItem.TRANSITIONS,
    actions=PilotItem.Action,
    changed_at_field="status_changed_at",
    refusal=_("该试点事项当前为“%(status)s”，不能%(action)s（可能已被他人处理，请刷新页面）。"),
)


class PilotTransition(TrailStep, models.Model):
    """One step of a pilot item's trail: who moved it, when, from what to what, and why."""

    pilot_item = models.ForeignKey(
        PilotItem, verbose_name=_("试点事项"), on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(_("操作"), max_length=10, choices=PilotItem.Action.choices)
    from_status = models.CharField(_("原状态"), max_length=12, choices=PilotItem.Status.choices)
    to_status = models.CharField(_("新状态"), max_length=12, choices=PilotItem.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    comment = models.TextField(_("意见"), blank=True)

    class Meta:
        verbose_name = _("试点事项流转记录")
        verbose_name_plural = _("试点事项流转记录")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} · {self.by} · {self.at:%Y-%m-%d %H:%M}"
