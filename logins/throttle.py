"""Login throttling on django-axes: the policy's pieces that axes leaves to the project.

The rule (issue 9; README, "Signing in"): failures count per account and client address together,
because a county office's clerks share one address and one clerk's typos must not lock the others
out (AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]], AXES_FAILURE_LIMIT). An address that
fails LOGIN_ADDRESS_FAILURE_LIMIT times in the cool-off, whatever the accounts, is refused as well:
that stops one machine spraying many user names. A locked account still signs in from another
address: a lock on the name alone would let anyone lock a clerk out by typing the clerk's name.

axes' backend (AxesStandaloneBackend, first in AUTHENTICATION_BACKENDS) refuses a locked client
before Django's ModelBackend runs, so a refused attempt hashes no password and costs a worker two
small queries instead of a PBKDF2 round.
"""

import ipaddress
import logging

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render

log = logging.getLogger("logins")


def client_address(request):
    """The address failures are counted for (AXES_CLIENT_IP_CALLABLE).

    REMOTE_ADDR, unless DJANGO_BEHIND_HTTPS_PROXY says a proxy of ours stands in front: then the
    address that proxy saw, which it appends on the right of X-Forwarded-For (with PROXY_COUNT
    proxies in a row, the PROXY_COUNT-th from the right). Whatever a client writes on the left of
    that header is ignored, and without the proxy setting the header is not read at all.
    """
    remote = request.META.get("REMOTE_ADDR")
    if not getattr(settings, "BEHIND_HTTPS_PROXY", False):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    count = getattr(settings, "PROXY_COUNT", 1)
    if count < 1 or len(hops) < count:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote


class LoginThrottleHandler(AxesDatabaseHandler):
    """axes' database handler, plus the per-address limit, plus a log line for each lock-out."""

    def address_failures(self, request):
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0

    def get_failures(self, request, credentials=None):
        """The account's failures at this address; an address past its own limit counts as locked."""
        failures = super().get_failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        if failures < limit and self.address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return limit
        return failures

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and getattr(request, "axes_locked_out", False):
            log.warning(
                "登录已锁定 login locked out: username %r from %s, %s failures; refused for %s",
                get_client_username(request, credentials),
                request.axes_ip_address,
                request.axes_failures_since_start or "≥ limit",
                get_cool_off(request),
            )


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out client gets (AXES_LOCKOUT_CALLABLE): 429, in Chinese, with Retry-After."""
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    response = render(request, "logins/lockout.html", {"minutes": minutes}, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
