from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffProfile(models.Model):
    """Binds a staff account to its role and scope (DOMAIN.md §11).

    Municipal finance sees every region; a county finance office only its
    region; department staff only the items their own purchasing body buys.
    """

    class Role(models.TextChoices):
        MUNICIPAL_FINANCE = "MUNICIPAL_FINANCE", _("市财政局")
        COUNTY_FINANCE = "COUNTY_FINANCE", _("县级财政部门")
        DEPARTMENT = "DEPARTMENT", _("部门")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="staff_profile"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "catalogue.Region", verbose_name=_("行政区划"), null=True, blank=True, on_delete=models.PROTECT
    )
    purchasing_body = models.ForeignKey(
        "catalogue.PurchasingBody", verbose_name=_("购买主体"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("工作人员档案")
        verbose_name_plural = _("工作人员档案")

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"

    def clean(self):
        if self.role == self.Role.COUNTY_FINANCE and not self.region_id:
            raise ValidationError({"region": _("县级财政部门账号须绑定行政区划。")})
        if self.role == self.Role.DEPARTMENT and not self.purchasing_body_id:
            raise ValidationError({"purchasing_body": _("部门账号须绑定购买主体。")})
