"""The login records django-axes keeps, under the names the staff read in the admin.

Proxies: no tables of their own, only Chinese names and permissions of their own, so a role can be
given exactly "see and lift lock-outs" (catalogue/roles.py) without axes' own admin.
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.utils.translation import gettext_lazy as _


class LoginLockout(AccessAttempt):
    """Failed sign-ins counted per account and client address (and user agent); at the limit, a lock-out."""

    class Meta:
        proxy = True
        verbose_name = _("登录失败计数与锁定")
        verbose_name_plural = _("登录失败计数与锁定")
        ordering = ["-attempt_time"]


class FailedLogin(AccessFailureLog):
    """Every failed or refused sign-in, kept as a log."""

    class Meta:
        proxy = True
        verbose_name = _("登录失败记录")
        verbose_name_plural = _("登录失败记录")
        ordering = ["-attempt_time"]


class StaffLogin(AccessLog):
    """Every successful sign-in, with its sign-out time."""

    class Meta:
        proxy = True
        verbose_name = _("登录记录")
        verbose_name_plural = _("登录记录")
        ordering = ["-attempt_time"]
