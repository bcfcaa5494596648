from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalogue.evaluation_rules import Grade
from catalogue.scopes import Scope
from catalogue.validators import validate_credit_code


class ProviderQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The providers a staff user may open: those whose qualification file is open to them, and the
        qualified ones as the public sees them (DOMAIN.md §5: the directory of qualified providers is public).

        So department staff and the county offices of other regions never see a provider that is
        pending, suspended, revoked or expired.
        """
        scope = Scope.of(user)
        files = self.qualification_files_open_to(user)
        if scope.role is None or scope.sees_everything:
            return files
        return files | self.qualified()

    def qualification_files_open_to(self, user):
        """Providers whose qualification file — the condition checks with their evidence, the status
        trail and the history — `user` may read: those who decide on it. Municipal finance qualifies
        every provider; the county finance office of the provider's own region knows it and vouches
        for it. Department staff and other counties decide nothing here and see only public data."""
        return Scope.of(user).restrict(self, region="region_id")

    def qualified(self, on=None):
        """Providers the public may see as eligible: qualified, and not past their date."""
        on = on or timezone.localdate()
        return self.filter(qualification_status=Provider.QualificationStatus.QUALIFIED).filter(
            models.Q(qualified_until__isnull=True) | models.Q(qualified_until__gte=on)
        )

    def expired(self, on=None):
        """Qualified once, but past their date: shown as 已过期, not eligible (the status itself stays QUALIFIED)."""
        on = on or timezone.localdate()
        return self.filter(qualification_status=Provider.QualificationStatus.QUALIFIED, qualified_until__lt=on)

    def in_directory_status(self, status):
        """The providers the directory shows as `status` (Provider.DirectoryStatus): 已认定 only while in date,
        已过期 past it, the others as stored."""
        if status == Provider.DirectoryStatus.QUALIFIED:
            return self.qualified()
        if status == Provider.DirectoryStatus.EXPIRED:
            return self.expired()
        return self.filter(qualification_status=status)

    def for_category(self, category):
        """Providers that may serve a leaf category, or any category above it."""
        codes = [node.code for node in category.ancestors()]
        return self.filter(categories__code__in=codes).distinct()

    def with_latest_grade(self, published_only=False):
        """Annotate `latest_grade` (the grade of the newest evaluation) and `has_failed_evaluation` (any
        graded 不合格), in the same query. Staff see every recorded result (the admin's ⚠ flag); a
        public page passes published_only=True."""
        from .evaluations import Evaluation

        results = Evaluation.objects.published() if published_only else Evaluation.objects.all()
        failed = results.filter(contract__provider=models.OuterRef("pk"), grade=Grade.FAIL)
        return self.annotate(
            latest_grade=results.newest_grade(models.OuterRef("pk")),
            has_failed_evaluation=models.Exists(failed),
        )

    # The ways with_latest_grade's results single a provider out (the admin's 有不合格评价 filter).
    FAILED_EVALUATION = {
        "latest": models.Q(latest_grade=Grade.FAIL),  # flagged ⚠: the newest evaluation is 不合格
        "any": models.Q(has_failed_evaluation=True),
        "none": models.Q(has_failed_evaluation=False),
    }


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

    class DirectoryStatus(models.TextChoices):
        """What the directory and the admin show (current_status): the stored QualificationStatus, with 已过期
        for a lapsed qualification. Not stored; the name says it is the status as shown."""

        PENDING = "PENDING", _("待审核")
        QUALIFIED = "QUALIFIED", _("已认定")
        EXPIRED = "EXPIRED", _("已过期")
        SUSPENDED = "SUSPENDED", _("已暂停")
        REVOKED = "REVOKED", _("已撤销")

    class SocialOrganisationRating(models.TextChoices):
        """社会组织评估等级 (1A–5A), the civil-affairs rating of a social organisation; not the performance
        evaluation's grade (catalogue/evaluation_rules.py, Grade). The field keeps its name, evaluation_grade,
        which a rename would turn into a migration."""

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
    qualified_from = models.DateField(_("认定日期"), null=True, blank=True)
    qualified_until = models.DateField(_("认定有效期至"), null=True, blank=True)
    evaluation_grade = models.CharField(
        _("社会组织评估等级"), max_length=2, choices=SocialOrganisationRating.choices, blank=True
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
        if self.qualified_from and self.qualified_until and self.qualified_until < self.qualified_from:
            raise ValidationError({"qualified_until": _("认定有效期不能早于认定日期。")})

    @classmethod
    def suggested_kind(cls, credit_code):
        return cls.KIND_BY_CODE_PREFIX.get((credit_code or "")[:2], cls.Kind.OTHER)

    @property
    def is_qualified(self):
        return self.qualification_status == self.QualificationStatus.QUALIFIED and (
            self.qualified_until is None or self.qualified_until >= timezone.localdate()
        )

    @property
    def is_social_organisation(self):
        """社会团体、民办非企业单位、基金会: the kinds registered with civil affairs (年检 applies to them)."""
        return self.kind in {self.Kind.SOCIAL_GROUP, self.Kind.PRIVATE_NON_ENTERPRISE, self.Kind.FOUNDATION}

    @property
    def current_status(self):
        """The stored status, except that a qualification past its date reads EXPIRED (已过期)."""
        if self.qualification_status == self.QualificationStatus.QUALIFIED and not self.is_qualified:
            return self.DirectoryStatus.EXPIRED
        return self.DirectoryStatus(self.qualification_status)

    @property
    def current_status_label(self):
        return self.current_status.label

    @property
    def qualification_label(self):
        """已认定至2027-12-31 · 已过期（2025-06-30） · 已暂停 …: the state with its date, in one phrase."""
        status = self.current_status
        if status == self.DirectoryStatus.QUALIFIED and self.qualified_until:
            return _("已认定至%(date)s") % {"date": self.qualified_until.isoformat()}
        if status == self.DirectoryStatus.EXPIRED:
            return _("已过期（有效期至%(date)s）") % {"date": self.qualified_until.isoformat()}
        return status.label

    def serves(self, category):
        """Whether the provider is qualified for `category`: registered for it or for a category above it."""
        wanted = {node.pk for node in category.ancestors()}
        return any(own.pk in wanted for own in self.categories.all())

    def qualification_problem_on(self, day):
        """Why the provider could not sign a contract on `day`, or None when its qualification covered it.

        The dates are the record's own (认定日期 … 有效期至). A suspended or revoked provider was
        still qualified before the day that happened (ProviderStatusChange), so a contract it
        signed earlier stays valid; without such a record, it is refused.
        """
        status = self.qualification_status
        if status == self.QualificationStatus.PENDING:
            return _("“%(name)s”的资质尚未认定（待审核），不能签订合同。") % {"name": self.name}
        if self.qualified_from and day < self.qualified_from:
            return _("“%(name)s”自%(start)s起才被认定，签订日期%(day)s时尚未认定。") % {
                "name": self.name,
                "start": self.qualified_from.isoformat(),
                "day": day.isoformat(),
            }
        if self.qualified_until and day > self.qualified_until:
            return _("“%(name)s”的认定有效期至%(until)s，签订日期%(day)s时已过期。") % {
                "name": self.name,
                "until": self.qualified_until.isoformat(),
                "day": day.isoformat(),
            }
        if status in (self.QualificationStatus.SUSPENDED, self.QualificationStatus.REVOKED):
            since = self.status_changes.filter(to_status=status).order_by("-at").first()
            if since is None or day >= timezone.localdate(since.at):
                return _("“%(name)s”的资质%(status)s（%(reason)s），不能签订合同。") % {
                    "name": self.name,
                    "status": self.get_qualification_status_display(),
                    "reason": since.reason if since else _("无记录"),
                }
        return None


# Labels: a provider's state and recent grades, wherever staff choose one (the contract admin's provider
# field and column). `grades` are the provider's recorded evaluation grades, newest first.


def grades_text(grades):
    """近期评价：优秀、良好 (newest first), or 暂无评价."""
    if not grades:
        return gettext("暂无评价")
    return gettext("近期评价：%(grades)s") % {"grades": "、".join(str(Grade(grade).label) for grade in grades)}


def is_flagged(grades):
    """A provider whose newest evaluation is 不合格 is flagged (⚠) wherever staff choose a provider."""
    return bool(grades) and grades[0] == Grade.FAIL


def provider_label(provider, grades):
    """咸宁市阳光社会工作服务中心 · 已认定至2027-12-31 · 近期评价：优秀、良好 (⚠ first when flagged)."""
    name = f"⚠ {provider.name}" if is_flagged(grades) else provider.name
    return " · ".join([name, str(provider.qualification_label), grades_text(grades)])
