"""A provider's qualification: the policy's conditions, each checked with its evidence, and the trail of
its status (认定, 暂停, 恢复, 撤销).

Rule source: DOMAIN.md §5 lists the conditions a 承接主体 must meet (国办发〔2013〕96号 二(三),
财综〔2014〕96号 第六条). Municipal finance checks each condition against evidence (a file, or a
reference such as a registration certificate number), then qualifies the provider for some
service categories until a date (catalogue/services/providers.py). Condition 7 (年检) applies to
social organisations only; condition 8 (other conditions) may be 不适用 when there are none.

Evidence is judged by its content, not its name (catalogue/evidence_files.py), is read only by
those who decide (Provider.objects.qualification_files_open_to), and leaves the disk with its
record: a replaced or deleted file is removed once the change is committed.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalogue import evidence_files

from .lifecycles import Lifecycle
from .providers import Provider
from .trails import TrailStep, account_name

EVIDENCE_EXTENSIONS = evidence_files.EXTENSIONS  # pdf ofd jpg jpeg png doc docx xls xlsx
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def evidence_path(check, filename):
    """evidence/<provider id>/<random>.<ext>: the original name is not kept in the path, so a file
    cannot be guessed from a provider's name (evidence is for staff, never public)."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"evidence/{check.provider_id or 'new'}/{uuid.uuid4().hex}{suffix}"


def _refused_while_received(file):
    """An upload cut off at settings.UPLOAD_MAX_BYTES arrives empty and marked (catalogue/uploads.py)."""
    return getattr(file, "refused", False) or getattr(getattr(file, "file", None), "refused", False)


def validate_evidence_size(file):
    limit = EVIDENCE_MAX_BYTES
    if _refused_while_received(file):
        limit = min(limit, getattr(getattr(file, "file", file), "max_bytes", limit))
    elif file.size <= limit:
        return
    raise ValidationError(_("证明材料文件不能超过%(size)s MB。") % {"size": f"{limit / 1024 / 1024:g}"}, code="too_large")


class QualificationCheck(models.Model):
    """One condition of DOMAIN.md §5 checked for one provider: the result, its evidence, who checked it and when."""

    class Condition(models.IntegerChoices):
        LEGAL_PERSON = 1, _("依法设立，能独立承担民事责任")
        GOVERNANCE = 2, _("治理结构健全，内部管理和监督制度完善")
        FINANCE = 3, _("财务管理、会计核算和资产管理制度健全")
        CAPACITY = 4, _("具备提供服务所必需的设施、人员和专业技术能力")
        TAX_AND_INSURANCE = 5, _("依法缴纳税收和社会保险的记录良好")
        NO_VIOLATION = 6, _("前三年内无重大违法记录，社会信誉和商业信誉良好")
        ANNUAL_INSPECTION = 7, _("社会组织：年检合格（或年报已公示）")
        OTHER = 8, _("登记管理机关认定的其他条件、项目要求的其他条件")

    class Result(models.TextChoices):
        MET = "MET", _("符合")
        NOT_MET = "NOT_MET", _("不符合")
        NOT_APPLICABLE = "NOT_APPLICABLE", _("不适用")

    provider = models.ForeignKey(
        Provider, verbose_name=_("承接主体"), on_delete=models.CASCADE, related_name="qualification_checks"
    )
    condition = models.PositiveSmallIntegerField(_("资质条件"), choices=Condition.choices)
    result = models.CharField(_("核查结果"), max_length=16, choices=Result.choices)
    evidence = models.FileField(
        _("证明材料"),
        upload_to=evidence_path,
        blank=True,
        max_length=200,
        validators=[
            FileExtensionValidator(
                EVIDENCE_EXTENSIONS, _("证明材料只接受以下格式：%(allowed_extensions)s。")
            ),
            validate_evidence_size,
        ],
        help_text=_("PDF、OFD、图片或 Office 文件，不超过10 MB；仅工作人员可见。"),
    )
    reference = models.CharField(
        _("证明材料编号或出处"),
        max_length=200,
        blank=True,
        help_text=_("例如：登记证书号、完税证明编号、信用中国查询日期。"),
    )
    note = models.CharField(_("核查说明"), max_length=500, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核查人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    checked_at = models.DateTimeField(_("核查时间"), null=True, blank=True, editable=False)

    history = HistoricalRecords(verbose_name=_("资质条件核查历史"))

    class Meta:
        verbose_name = _("资质条件核查")
        verbose_name_plural = _("资质条件核查")
        ordering = ["provider", "condition"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "condition"],
                name="qualification_check_one_per_condition",
                violation_error_message=_("该承接主体的这一资质条件已有核查记录，请修改原记录。"),
            )
        ]

    def __str__(self):
        return f"{self.get_condition_display()}：{self.get_result_display()}"

    @classmethod
    def unchecked(cls, provider):
        """The conditions that apply to `provider` and have no check yet, in order (all of them for a new one)."""
        if provider is None or provider.pk is None:
            return list(cls.Condition)
        done = set(provider.qualification_checks.values_list("condition", flat=True))
        return [condition for condition in cls.Condition if condition not in done and cls.applies(condition, provider)]

    @classmethod
    def applies(cls, condition, provider):
        """Condition 7 (年检) is for social organisations only; every other condition applies to everyone."""
        return condition != cls.Condition.ANNUAL_INSPECTION or provider.is_social_organisation

    @classmethod
    def may_be_not_applicable(cls, condition, provider):
        """不适用 is a valid answer to condition 8 (there may be no other conditions) and to 7 for a firm."""
        return condition == cls.Condition.OTHER or not cls.applies(condition, provider)

    def clean(self):
        errors = {}
        provider = self._provider_or_none()
        if self.result == self.Result.MET and not (self.evidence or self.reference.strip()):
            errors["evidence"] = _("核查结果为“符合”的，须上传证明材料或填写证明材料编号。")
        elif self._new_evidence_is_not_what_it_says():
            errors["evidence"] = _(
                "“%(name)s”的内容不是 %(format)s 文件（按文件内容判断，而不是扩展名），请上传原始的 PDF、OFD、图片或 Office 文件。"
            ) % {
                "name": self.evidence.name,
                "format": evidence_files.DESCRIPTIONS[evidence_files.EXPECTED[evidence_files.extension_of(self.evidence.name)]],
            }
        if (
            self.result == self.Result.NOT_APPLICABLE
            and provider is not None
            and self.condition
            and not self.may_be_not_applicable(self.condition, provider)
        ):
            errors["result"] = _("“%(condition)s”适用于该承接主体，不能选择“不适用”。") % {
                "condition": self.get_condition_display()
            }
        if errors:
            raise ValidationError(errors)

    def _new_evidence_is_not_what_it_says(self):
        """A file uploaded now (not one stored before) whose content does not match its extension.

        Files of a refused size or extension are left to the field's own validators.
        """
        evidence = self.evidence
        if not evidence or getattr(evidence, "_committed", True) or _refused_while_received(evidence):
            return False
        if evidence_files.extension_of(evidence.name) not in evidence_files.EXPECTED or evidence.size > EVIDENCE_MAX_BYTES:
            return False
        return not evidence_files.matches(evidence.name, evidence.file)

    def save(self, *args, **kwargs):
        """Save, and once the transaction commits delete the file this record's new evidence replaced."""
        replaced = ""
        if self.pk is not None:
            replaced = type(self).objects.filter(pk=self.pk).values_list("evidence", flat=True).first() or ""
        super().save(*args, **kwargs)
        if replaced and replaced != self.evidence.name:
            _delete_on_commit(self.evidence.storage, replaced)

    def _provider_or_none(self):
        try:
            return self.provider
        except Provider.DoesNotExist:
            return None

    @property
    def checked_by_name(self):
        return account_name(self.checked_by)

    @property
    def is_satisfied(self):
        """符合, or 不适用 where the condition may be 不适用 for this provider."""
        if self.result == self.Result.MET:
            return True
        return self.result == self.Result.NOT_APPLICABLE and self.may_be_not_applicable(self.condition, self.provider)


def _delete_on_commit(storage, name):
    """Remove a stored evidence file once the change that dropped it is committed (never if it rolls back)."""
    transaction.on_commit(lambda: storage.delete(name))


@receiver(post_delete, sender=QualificationCheck, dispatch_uid="qualification_check_evidence_file")
def _delete_evidence_of_a_deleted_check(sender, instance, **kwargs):
    """A deleted check (or the checks of a deleted provider) leaves no evidence file behind."""
    if instance.evidence:
        _delete_on_commit(instance.evidence.storage, instance.evidence.name)


def unmet_conditions(provider):
    """The conditions that still stand between a provider and its qualification, in order.

    Every condition that applies must be checked and 符合 (or 不适用 where allowed); condition 7
    does not apply to firms and institutions.
    """
    checks = {check.condition: check for check in provider.qualification_checks.all()}
    missing = []
    for condition in QualificationCheck.Condition:
        check = checks.get(condition)
        if check is None:
            if QualificationCheck.applies(condition, provider):
                missing.append(condition)
        elif not check.is_satisfied:
            missing.append(condition)
    return missing


class ProviderStatusChange(TrailStep, models.Model):
    """One step of a provider's qualification trail: who, when, from what to what, why, and the terms set.

    The allowed steps are QUALIFICATION_TRANSITIONS below, read by catalogue/services/providers.py
    and by the admin's buttons.
    """

    class Action(models.TextChoices):
        QUALIFY = "qualify", _("认定")
        SUSPEND = "suspend", _("暂停")
        REINSTATE = "reinstate", _("恢复")
        REVOKE = "revoke", _("撤销")

    provider = models.ForeignKey(
        Provider, verbose_name=_("承接主体"), on_delete=models.CASCADE, related_name="status_changes"
    )
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    from_status = models.CharField(_("原状态"), max_length=12, choices=Provider.QualificationStatus.choices)
    to_status = models.CharField(_("新状态"), max_length=12, choices=Provider.QualificationStatus.choices)
    qualified_from = models.DateField(_("认定日期"), null=True, blank=True)
    qualified_until = models.DateField(_("认定有效期至"), null=True, blank=True)
    categories = models.TextField(_("认定的服务类别"), blank=True)
    reason = models.TextField(_("理由或意见"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("资质变更记录")
        verbose_name_plural = _("资质变更记录")
        ordering = ["at", "pk"]

    note_field = "reason"

    def __str__(self):
        return f"{self.provider} · {self.get_action_display()} · {timezone.localtime(self.at):%Y-%m-%d}"

    @property
    def terms(self):
        """What a 认定 set, for the trail: 2025-01-01 — 2027-12-31；C02 养老服务; "—" for the other steps."""
        if self.action != self.Action.QUALIFY:
            return "—"
        period = f"{self.qualified_from or '—'} — {self.qualified_until or '—'}"
        return f"{period}；{self.categories}" if self.categories else period


Status = Provider.QualificationStatus
Action = ProviderStatusChange.Action

# action → (states it may start from, state it leads to). 认定 also renews a qualification or
# changes its categories; a revoked provider comes back only through a new 认定 (every condition
# checked again), a suspended one through 恢复.
QUALIFICATION_TRANSITIONS = {
    Action.QUALIFY: ({Status.PENDING, Status.QUALIFIED, Status.REVOKED}, Status.QUALIFIED),
    Action.SUSPEND: ({Status.QUALIFIED}, Status.SUSPENDED),
    Action.REINSTATE: ({Status.SUSPENDED}, Status.QUALIFIED),
    Action.REVOKE: ({Status.QUALIFIED, Status.SUSPENDED}, Status.REVOKED),
}

QUALIFICATION_LIFECYCLE = Lifecycle(
    transitions=QUALIFICATION_TRANSITIONS,
    actions=Action,
    status_field="qualification_status",
    refusal=_("该承接主体当前为“%(status)s”，不能%(action)s（可能已被他人处理，请刷新页面）。"),
)
