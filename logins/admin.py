"""The login records in the admin, for municipal finance and the superuser only (issue 9).

登录失败计数与锁定 lists the failure counts axes keeps, says which are locked now, and lifts the lock
of the selected ones (logins/services.py); 登录失败记录 and 登录记录 are read-only logs. axes' own admin is
switched off (AXES_ENABLE_ADMIN = False): these proxies carry Chinese names and their own permissions.
"""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _, ngettext

from catalogue.scopes import ScopeRule

from .models import FailedLogin, LoginLockout, StaffLogin
from .services import lift_lockouts, may_manage_logins


def _recent_failures(**match):
    """The failures within the cool-off of the attempts matching `match` (OuterRef lookups), as a subquery."""
    threshold = timezone.now() - settings.AXES_COOLOFF_TIME
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=threshold, **match)
        .order_by()
        .values("ip_address")
        .annotate(total=Sum("failures_since_start"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


class LoginRecordAdmin(admin.ModelAdmin):
    """Read-only, and only for those who see everything, whatever permissions a group was given."""

    scope_rule = ScopeRule.OWN  # may_manage_logins, below

    list_per_page = 50
    date_hierarchy = "attempt_time"
    search_fields = ["username", "ip_address"]

    def has_module_permission(self, request):
        return may_manage_logins(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return may_manage_logins(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("时间"), ordering="attempt_time")
    def time(self, obj):
        return timezone.localtime(obj.attempt_time).strftime("%Y-%m-%d %H:%M:%S")

    @admin.display(description=_("用户名"), ordering="username")
    def account(self, obj):
        return obj.username or "—"

    @admin.display(description=_("客户端地址"), ordering="ip_address")
    def address(self, obj):
        return obj.ip_address or "—"

    @admin.display(description=_("浏览器"))
    def browser(self, obj):
        return obj.user_agent[:80]

    @admin.display(description=_("登录页面"))
    def path(self, obj):
        return obj.path_info


@admin.register(LoginLockout)
class LoginLockoutAdmin(LoginRecordAdmin):
    list_display = ["time", "account", "address", "failures", "state", "browser"]
    fields = ["time", "account", "address", "failures", "state", "browser", "path"]
    readonly_fields = fields
    actions = ["lift_lockouts"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                client_failures=_recent_failures(username=OuterRef("username"), ip_address=OuterRef("ip_address")),
                address_failures=_recent_failures(ip_address=OuterRef("ip_address")),
            )
        )

    def has_delete_permission(self, request, obj=None):
        # Lifting is deleting the counts; only through the action, which logs who did it.
        return may_manage_logins(request.user) and admin.ModelAdmin.has_delete_permission(self, request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description=_("失败次数"), ordering="failures_since_start")
    def failures(self, obj):
        return obj.failures_since_start

    @admin.display(description=_("状态"))
    def state(self, obj):
        if obj.client_failures >= settings.AXES_FAILURE_LIMIT:
            return gettext("已锁定（该账号在此地址）")
        if obj.address_failures >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return gettext("已锁定（此地址的所有账号）")
        if obj.attempt_time < timezone.now() - settings.AXES_COOLOFF_TIME:
            return gettext("已过期")
        return gettext("未锁定")

    @admin.action(description=_("解除所选的登录锁定"), permissions=["delete"])
    def lift_lockouts(self, request, queryset):
        try:
            removed = lift_lockouts(queryset, by=request.user)
        except PermissionDenied as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return
        self.message_user(
            request,
            ngettext("已解除锁定，删除 %(count)d 条失败计数。", "已解除锁定，删除 %(count)d 条失败计数。", removed)
            % {"count": removed},
            messages.SUCCESS,
        )


@admin.register(FailedLogin)
class FailedLoginAdmin(LoginRecordAdmin):
    list_display = ["time", "account", "address", "refused", "browser"]
    list_filter = ["locked_out"]
    fields = ["time", "account", "address", "refused", "browser", "path"]
    readonly_fields = fields

    @admin.display(description=_("已锁定"), boolean=True, ordering="locked_out")
    def refused(self, obj):
        return obj.locked_out


@admin.register(StaffLogin)
class StaffLoginAdmin(LoginRecordAdmin):
    list_display = ["time", "signed_out", "account", "address", "browser"]
    fields = ["time", "signed_out", "account", "address", "browser", "path"]
    readonly_fields = fields

    @admin.display(description=_("退出时间"), ordering="logout_time")
    def signed_out(self, obj):
        return timezone.localtime(obj.logout_time).strftime("%Y-%m-%d %H:%M:%S") if obj.logout_time else "—"
