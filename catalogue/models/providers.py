from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalogue.validators import validate_credit_code


class ProviderQuerySet(models.QuerySet):
    def qualified(self, on=None):
        """Providers the public may see as eligible: qualified, and not past their date."""
        on = on or timezone.localdate()
        return self.filter(qualification_status=Provider.QualificationStatus.QUALIFIED).filter(
            models.Q(qualified_until__isnull=True) | models.Q(qualified_until__gte=on)
        )

    def for_category(self, category):
        """Providers that may serve a leaf category, or any category above it."""
        codes = [node.code for node in category.ancestors()]
        return self.filter(categories__code__in=codes).distinct()


class Provider(models.Model):
    """A 承接主体: the social force that provides the service (DOMAIN.md §5)."""

    class Kind(models.TextChoices):
        SOCIAL_GROUP = "SOCIAL_GROUP", _("社会团体")
        PRIVATE_NON_ENTERPRISE = "PRIVATE_NON_ENTERPRISE", _("民办非企业单位（社会服务机构）")
        FOUNDATION = "FOUNDATION", _("基金会")
        ENTERPRISE = "ENTERPRISE", _("企业")
        PUBLIC_INSTITUTION = "PUBLIC_INSTITUTION", _("事业单位（公益二类/经营类）")
        OTHER = "OTHER", _("其他")

    class QualificationStatus(models.TextChoices):
        PENDING = "PENDING", _("待审核")
        QUALIFIED = "QUALIFIED", _("已认定")
        SUSPENDED = "SUSPENDED", _("已暂停")
        REVOKED = "REVOKED", _("已撤销")

    class EvaluationGrade(models.TextChoices):
        A1 = "1A", "1A"
        A2 = "2A", "2A"
        A3 = "3A", "3A"
        A4 = "4A", "4A"
        A5 = "5A", "5A"

    # The kind a credit code's first two characters suggest (GB 32100-2015).
    KIND_BY_CODE_PREFIX = {
        "51": Kind.SOCIAL_GROUP,
        "52": Kind.PRIVATE_NON_ENTERPRISE,
        "53": Kind.FOUNDATION,
        "91": Kind.ENTERPRISE,
        "12": Kind.PUBLIC_INSTITUTION,
    }

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices)
    registration_authority = models.CharField(
        _("登记管理机关"), max_length=100, help_text=_("例如：咸宁市民政局、咸宁市市场监督管理局。")
    )
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    region = models.ForeignKey("catalogue.Region", verbose_name=_("所在行政区划"), on_delete=models.PROTECT)
    categories = models.ManyToManyField(
        "catalogue.ServiceCategory",
        verbose_name=_("可承接的服务类别"),
        related_name="providers",
        blank=True,
    )
    qualification_status = models.CharField(
        _("资质状态"), max_length=12, choices=QualificationStatus.choices, default=QualificationStatus.PENDING
    )
    qualified_until = models.DateField(_("认定有效期至"), null=True, blank=True)
    evaluation_grade = models.CharField(
        _("社会组织评估等级"), max_length=2, choices=EvaluationGrade.choices, blank=True
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    introduction = models.TextField(_("简介"), blank=True)

    objects = ProviderQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("承接主体历史"), m2m_fields=[categories])

    class Meta:
        verbose_name = _("承接主体")
        verbose_name_plural = _("承接主体")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        social = {self.Kind.SOCIAL_GROUP, self.Kind.PRIVATE_NON_ENTERPRISE, self.Kind.FOUNDATION}
        if self.evaluation_grade and self.kind not in social:
            raise ValidationError({"evaluation_grade": _("社会组织评估等级只适用于社会团体、民办非企业单位和基金会。")})
        if self.qualification_status == self.QualificationStatus.QUALIFIED and not self.qualified_until:
            raise ValidationError({"qualified_until": _("认定为合格的承接主体须填写认定有效期。")})

    @classmethod
    def suggested_kind(cls, credit_code):
        return cls.KIND_BY_CODE_PREFIX.get((credit_code or "")[:2], cls.Kind.OTHER)

    @property
    def is_qualified(self):
        return self.qualification_status == self.QualificationStatus.QUALIFIED and (
            self.qualified_until is None or self.qualified_until >= timezone.localdate()
        )
