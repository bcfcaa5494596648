"""One row of each login record django-axes keeps, for tests that walk every admin page."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.utils import timezone

LABELS = {"logins.loginlockout", "logins.failedlogin", "logins.stafflogin"}


def one_of_each(username="xianan", address="10.42.0.7"):
    client = {
        "username": username,
        "ip_address": address,
        "user_agent": "Mozilla/5.0",
        "http_accept": "text/html",
        "path_info": "/admin/login/",
    }
    AccessAttempt.objects.create(**client, get_data="", post_data="username=xianan", failures_since_start=5)
    AccessFailureLog.objects.create(**client, locked_out=True)
    AccessLog.objects.create(**client, logout_time=timezone.now(), session_hash="0" * 64)
