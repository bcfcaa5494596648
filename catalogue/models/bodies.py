from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalogue.validators import validate_credit_code

from catalogue.scopes import Scope

from .base import ConstraintErrorsOnFieldsMixin


class PurchasingBodyQuerySet(models.QuerySet):
    def visible_to(self, user):
        return Scope.of(user).restrict(self, region="region_id", department=lambda body: Q(pk=body))


class PurchasingBody(ConstraintErrorsOnFieldsMixin, models.Model):
    """A 购买主体: the government body that buys the service (DOMAIN.md §4)."""

    class Kind(models.TextChoices):
        ADMIN_ORGAN = "ADMIN_ORGAN", _("行政机关")
        PUBLIC_INSTITUTION = "PUBLIC_INSTITUTION", _("参照公务员法管理、具有行政管理职能的事业单位")
        MASS_ORGANISATION = "MASS_ORGANISATION", _("纳入行政编制管理且经费由财政负担的群团组织")

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=30, blank=True, help_text=_("目录表格中显示，例如“市民政局”。"))
    region = models.ForeignKey("catalogue.Region", verbose_name=_("行政区划"), on_delete=models.PROTECT)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.ADMIN_ORGAN)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("主管部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subordinates",
    )

    objects = PurchasingBodyQuerySet.as_manager()

    constraint_error_fields = {"duplicate_name": "name"}

    class Meta:
        verbose_name = _("购买主体")
        verbose_name_plural = _("购买主体")
        ordering = ["region__order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="purchasing_body_name_unique_in_region",
                violation_error_message=_("本行政区划内已有同名的购买主体。"),
                violation_error_code="duplicate_name",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name
