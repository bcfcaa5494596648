from django.db import models
from django.utils.translation import gettext_lazy as _

from catalogue.validators import validate_region_code

from .base import ConstraintErrorsOnFieldsMixin


class Region(ConstraintErrorsOnFieldsMixin, models.Model):
    """An administrative division the notice is addressed to: the city, its counties, the zone."""

    class Level(models.TextChoices):
        CITY = "CITY", _("市")
        DISTRICT = "DISTRICT", _("区")
        COUNTY = "COUNTY", _("县")
        COUNTY_CITY = "COUNTY_CITY", _("县级市")
        ZONE = "ZONE", _("功能区")

    code = models.CharField(
        _("行政区划代码"),
        max_length=6,
        blank=True,
        validators=[validate_region_code],
        help_text=_("GB/T 2260 六位代码；功能区（如咸宁高新区）没有官方代码，留空。"),
    )
    slug = models.SlugField(_("标识"), max_length=40, unique=True, help_text=_("用于网址，例如 xianning、xn-htz。"))
    name = models.CharField(_("名称"), max_length=50, unique=True)
    level = models.CharField(_("级别"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0, help_text=_("市本级在前，其后各县市区，最后功能区。"))

    constraint_error_fields = {"duplicate_code": "code"}

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~models.Q(code=""),
                name="region_code_unique_when_given",
                violation_error_message=_("该行政区划代码已被使用。"),
                violation_error_code="duplicate_code",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_city(self):
        return self.level == self.Level.CITY
