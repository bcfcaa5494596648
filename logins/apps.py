from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoginsConfig(AppConfig):
    """Signing in to the staff tools: throttled guessing, lock-outs and their records, session limits.

    Its own app, beside catalogue: none of it is about the catalogue, and the login records it shows
    in the admin (proxies of django-axes' tables) need migrations of their own.
    """

    name = "logins"
    verbose_name = _("登录与会话")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .sessions import stamp_signed_in_session

        user_logged_in.connect(stamp_signed_in_session, dispatch_uid="logins.stamp_signed_in_session")
