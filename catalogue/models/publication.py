"""What a publication leaves behind: the public version number, each edition's figures and its files.

A published edition is frozen (咸政办发〔2015〕39号 asks each level to compile and *publish*
its catalogue), so whatever is derived from it — its counts per service area, its official table
as CSV, XLSX and JSON, its OCDS package — is computed once, when it is published, and kept.
The public site then reads those instead of scanning every item on every request.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_token():
    return uuid.uuid4().hex


class PublicVersion(models.Model):
    """One row whose token changes whenever anything the public site shows changes.

    Public pages are cached under this token (catalogue/public_cache.py). It lives in the
    database, not in a process, so a publication in one gunicorn worker, or on another node,
    changes the key every other worker reads on its next request: one indexed read per request,
    and no cache that someone would have to reach to invalidate. It is random rather than a
    counter so that a database restored from a backup, or a new one, can never meet the pages a
    shared cache still holds for a number it once had.
    """

    token = models.CharField(_("版本"), max_length=32, default=new_token)
    changed_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("公开数据版本")
        verbose_name_plural = _("公开数据版本")

    def __str__(self):
        return self.token


class EditionFiguresQuerySet(models.QuerySet):
    def in_force(self, year=None):
        """The figures of the catalogues in force (现行, Catalogue.objects.in_force): home and statistics."""
        from .editions import Catalogue

        return self.filter(edition__in=Catalogue.objects.in_force(year))


class EditionFigures(models.Model):
    """An edition's counts in one 一级 service area, computed when the edition is published.

    The home page and the statistics add these up over the editions in force (at most eight rows
    an edition), so their cost grows with the number of editions, never with the number of items.
    """

    edition = models.ForeignKey(
        "catalogue.Catalogue", verbose_name=_("所属目录"), on_delete=models.CASCADE, related_name="figures"
    )
    area = models.ForeignKey(
        "catalogue.ServiceCategory", verbose_name=_("服务领域"), on_delete=models.PROTECT, related_name="+"
    )
    items = models.PositiveIntegerField(_("事项数"), default=0)
    pilots = models.PositiveIntegerField(_("试点事项数"), default=0)
    budgeted = models.PositiveIntegerField(_("有预算的事项数"), default=0)
    budget_total = models.DecimalField(_("预算合计（元）"), max_digits=18, decimal_places=2, null=True, blank=True)
    transactional = models.PositiveIntegerField(_("事务性管理服务事项数"), default=0)

    objects = EditionFiguresQuerySet.as_manager()

    class Meta:
        verbose_name = _("目录统计")
        verbose_name_plural = _("目录统计")
        constraints = [models.UniqueConstraint(fields=["edition", "area"], name="edition_figures_one_row_per_area")]

    def __str__(self):
        return f"{self.edition_id} {self.area_id}: {self.items}"


class PublishedFile(models.Model):
    """One file of an edition's official record, written when it was published, with its SHA-256.

    The export links of a published edition serve these files byte for byte; the edition page
    shows their checksums so anyone can check a copy. A withdrawn edition's files are kept but
    no longer served.
    """

    class Kind(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"
        JSON = "json", "JSON"
        OCDS = "ocds", _("OCDS 发布包")
        OCDS_RECORDS = "ocds-records", _("OCDS 记录包")
        MANIFEST = "manifest", _("清单")

    edition = models.ForeignKey(
        "catalogue.Catalogue", verbose_name=_("所属目录"), on_delete=models.CASCADE, related_name="published_files"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("文件"), max_length=200)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("写入时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("发布文件")
        verbose_name_plural = _("发布文件")
        ordering = ["edition", "kind"]
        constraints = [models.UniqueConstraint(fields=["edition", "kind"], name="published_file_one_per_kind")]

    def __str__(self):
        return self.name


class PublicationCorrection(models.Model):
    """A correction of a published edition's 文号 or 发布日期 by municipal finance: what it was, what it
    became, why, who and when (issue 12, finding 4).

    A published edition is frozen, but a mistyped 文号 is not a change of the catalogue: it is put
    right in place, shown on the public page, kept in the edition's history, and the official files
    (which name the 文号) are written again; the checksums of the files they replace are kept here.
    """

    edition = models.ForeignKey(
        "catalogue.Catalogue", verbose_name=_("所属目录"), on_delete=models.CASCADE, related_name="corrections"
    )
    previous_document_number = models.CharField(_("原文号"), max_length=60)
    document_number = models.CharField(_("更正后文号"), max_length=60)
    previous_published_on = models.DateField(_("原发布日期"), null=True)
    published_on = models.DateField(_("更正后发布日期"), null=True)
    reason = models.TextField(_("更正理由"))
    previous_files = models.JSONField(_("原发布文件校验值"), default=dict, blank=True)
    corrected_at = models.DateTimeField(_("更正时间"), auto_now_add=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更正人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("发布信息更正")
        verbose_name_plural = _("发布信息更正")
        ordering = ["edition", "corrected_at", "pk"]

    def __str__(self):
        return f"{self.previous_document_number} → {self.document_number}"

    @property
    def number_changed(self):
        return self.previous_document_number != self.document_number

    @property
    def date_changed(self):
        return self.previous_published_on != self.published_on
