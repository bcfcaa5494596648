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

    @property
    def office(self):
        """The office the account acts for, as records name it: its purchasing body, or the finance bureau
        of its region (咸安区财政局), or 咸宁市财政局. Office names are data, as in the policy, so not translated."""
        if self.purchasing_body_id:
            return self.purchasing_body.name
        if self.role == self.Role.COUNTY_FINANCE and self.region_id:
            return f"{self.region.name}财政局"
        return "咸宁市财政局"

    @property
    def scope_name(self):
        """Where the account acts, as the account list shows it: its body, its region, or 全市."""
        if self.purchasing_body_id:
            return self.purchasing_body.name
        if self.region_id:
            return self.region.name
        return _("全市")

    def bind_to_role(self):
        """What the role decides of the scope: a department's region is its body's, and a county finance
        office acts for its region, never for a purchasing body."""
        if self.role == self.Role.DEPARTMENT and self.purchasing_body_id:
            self.region = self.purchasing_body.region
        if self.role == self.Role.COUNTY_FINANCE:
            self.purchasing_body = None

    def clean(self):
        """An account is bound to what its role needs (DOMAIN.md §11): a county finance office to one county
        (县、市、区) or functional area, never to 市本级, whose items are municipal finance's; department staff
        to their purchasing body."""
        self.bind_to_role()
        if self.role == self.Role.COUNTY_FINANCE and not self.region_id:
            raise ValidationError({"region": _("县级财政部门账号须绑定行政区划。")})
        if self.role == self.Role.COUNTY_FINANCE and self.region.is_city:
            raise ValidationError({"region": _("县级财政部门账号应绑定县（市、区）或功能区，不能绑定市本级。")})
        if self.role == self.Role.DEPARTMENT and not self.purchasing_body_id:
            raise ValidationError({"purchasing_body": _("部门账号须绑定购买主体。")})

    def save(self, *args, **kwargs):
        # The same rules for an account made by a script or the shell as for one made in the admin: a county
        # office bound to 市本级 would see the city's own records.
        self.clean()
        super().save(*args, **kwargs)


def office_of(user):
    """Who did something, as a clerk reads it in a history: the office, and the person's name if known.

    “咸安区财政局（张三）”, not the login name; a superuser without a profile is 系统管理员, and a change
    made by no account (a command, a migration, or an account since deleted) is 未记录.
    """
    if user is None:
        return _("未记录")
    profile = getattr(user, "staff_profile", None)
    office = profile.office if profile is not None else (_("系统管理员") if user.is_superuser else "")
    name = user.get_full_name()
    if office and name:
        return f"{office}（{name}）"
    return str(office or name or user.get_username())
