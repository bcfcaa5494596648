from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalogue.scopes import Scope

from .base import ConstraintErrorsOnFieldsMixin, Recorded, account_field
from .lifecycles import Lifecycle


class CatalogueQuerySet(models.QuerySet):
    def published(self):
        """The revision in force for each region and year: the one the public reads."""
        return self.filter(status=Catalogue.Status.PUBLISHED)

    def newest_published(self):
        """Each region's newest published edition: the catalogue a region has in force today."""
        newer = Catalogue.objects.published().filter(region=models.OuterRef("region"), year__gt=models.OuterRef("year"))
        return self.published().exclude(models.Exists(newer))

    def in_force(self, year=None):
        """现行: each region's newest published edition, or with `year` each region's revision in force for it.

        The one meaning of 现行 on the public site: search, the home page's counts and the
        statistics all read it (EditionFigures.objects.in_force, CatalogueItem.objects.in_force).
        """
        return self.newest_published() if year is None else self.published().filter(year=year)

    def public(self):
        """Everything the public may open: the revision in force and the ones it replaced."""
        return self.filter(status__in=Catalogue.PUBLIC_STATUSES)

    def drafts(self):
        return self.filter(status=Catalogue.Status.DRAFT)

    def visible_to(self, user):
        """Editions a staff user may open in the admin (catalogue/scopes.py says who sees what)."""
        return Scope.of(user).restrict(
            self, region="region_id", department=lambda body: models.Q(region__purchasingbody__id=body)
        )

    def with_visible_item_count(self, user):
        """Each edition's item_count as `user` sees it in the staff tools: department staff count only the items
        their own body buys (the others are not theirs to see, CatalogueItem.objects.visible_to), the rest all."""
        scope = Scope.of(user)
        only_theirs = models.Q(items__purchasing_bodies=scope.body_id) if scope.is_department else None
        return self.annotate(item_count=models.Count("items", filter=only_theirs, distinct=True))

    def for_display(self):
        return self.select_related("region").order_by("region__order", "-year", "-revision")


class Catalogue(ConstraintErrorsOnFieldsMixin, Recorded):
    """An edition of a region's 指导性目录 for one year.

    A published revision is frozen: a correction (动态调整) is a new revision
    that supersedes it, so the public record of what was in force stays intact.
    """

    class Status(models.TextChoices):
        DRAFT = "DRAFT", _("草稿")
        PUBLISHED = "PUBLISHED", _("已发布")
        SUPERSEDED = "SUPERSEDED", _("已被替代")
        WITHDRAWN = "WITHDRAWN", _("已撤回")

    PUBLIC_STATUSES = (Status.PUBLISHED, Status.SUPERSEDED)

    region = models.ForeignKey(
        "catalogue.Region", verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="catalogues"
    )
    year = models.PositiveSmallIntegerField(
        _("年度"),
        validators=[
            MinValueValidator(2015, _("目录年度不能早于2015年（咸政办发〔2015〕39号自2015年起试点）。")),
            MaxValueValidator(2100, _("目录年度不能晚于2100年。")),
        ],
    )
    revision = models.PositiveSmallIntegerField(
        _("修订版次"),
        default=1,
        validators=[MinValueValidator(1, _("修订版次从1开始。"))],
        help_text=_("首次编制为1；动态调整时新建下一版次。"),
    )
    title = models.CharField(_("标题"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=60, blank=True, help_text=_("例如：咸财综发〔2016〕12号"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    notes = models.TextField(_("说明"), blank=True)
    created_by = account_field(_("创建人"))
    published_by = account_field(_("发布人"))

    objects = CatalogueQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("指导性目录历史"))

    constraint_error_fields = {"duplicate_revision": "revision", "second_published": "status"}

    class Meta:
        verbose_name = _("指导性目录")
        verbose_name_plural = _("指导性目录")
        ordering = ["region__order", "-year", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "revision"],
                name="catalogue_one_revision_number_per_region_year",
                violation_error_message=_("该行政区划本年度已有此修订版次，请使用下一个版次号。"),
                violation_error_code="duplicate_revision",
            ),
            models.UniqueConstraint(
                fields=["region", "year"],
                condition=models.Q(status="PUBLISHED"),
                name="catalogue_one_published_per_region_year",
                violation_error_message=_("该行政区划本年度已有一个已发布的版次；发布新版次须先将原版次标为已被替代。"),
                violation_error_code="second_published",
            ),
        ]
        indexes = [models.Index(fields=["status", "region", "year"], name="catalogue_status_region_year")]

    def __str__(self):
        return self.title or f"{self.region} {self.year}"

    def clean(self):
        errors = {}
        if self.status == self.Status.PUBLISHED:
            if not self.document_number:
                errors["document_number"] = _("发布目录须填写文号。")
            if not self.published_on:
                errors["published_on"] = _("发布目录须填写发布日期。")
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return reverse("catalogue:edition", args=[self.pk])

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def is_frozen(self):
        """A published, superseded or withdrawn edition is a public record: never edited in place."""
        return not self.is_draft

    @property
    def is_public(self):
        return self.status in self.PUBLIC_STATUSES

    @property
    def label(self):
        """Short label: 2016年 第2版."""
        return _("%(year)s年 第%(revision)s版") % {"year": self.year, "revision": self.revision}

    @property
    def region_label(self):
        """The edition with its region, as staff lists name it: 咸安区 2017年 第1版."""
        return f"{self.region.name} {self.label}"

    @staticmethod
    def default_title(region, year):
        # The title is stored and published as the official one, so it is Chinese whatever language the clerk uses.
        with translation.override(settings.LANGUAGE_CODE):
            return _("%(region)s%(year)s年政府向社会力量购买服务指导性目录") % {"region": region.name, "year": year}


# An edition's lifecycle (catalogue/models/lifecycles.py; DOMAIN.md §8): a draft is published; the revision in
# force is superseded when a newer one of its region and year is published; a public one may be withdrawn.
EDITION_LIFECYCLE = Lifecycle(
    transitions={
        "publish": ({Catalogue.Status.DRAFT}, Catalogue.Status.PUBLISHED),
        "supersede": ({Catalogue.Status.PUBLISHED}, Catalogue.Status.SUPERSEDED),
        "withdraw": (set(Catalogue.PUBLIC_STATUSES), Catalogue.Status.WITHDRAWN),
    },
    object_key="edition",
    refusals={
        "publish": _("只有草稿可以发布；“%(edition)s”当前为“%(status)s”。"),
        "withdraw": _("只有已发布或已被替代的目录可以撤回；该目录当前为“%(status)s”。"),
    },
)
