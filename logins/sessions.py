"""Staff sessions end after a working day at most and after half an hour idle (issue 9, finding 3).

Three limits, each for its own reason:
- the browser closing ends the session (SESSION_EXPIRE_AT_BROWSER_CLOSE: the cookie has no date);
- SESSION_IDLE_TIMEOUT seconds without a request end it (a clerk who walks away from a shared PC);
- SESSION_COOKIE_AGE seconds after signing in end it however busy the clerk is (a stolen cookie is
  worth one working day at most).
Django's own expiry cannot give both of the last two: saving the session to note the last request
moves its expiry on, so the signing-in time is kept in the session and checked here.

Public pages give anonymous visitors no session, and the public page cache relies on that: a request
without a session cookie passes through without the session or the user being touched (no query).
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.utils.translation import gettext

SIGNED_IN = "_staff_signed_in_at"
LAST_SEEN = "_staff_last_seen_at"

# Note the last request at most once a minute: a session write on every admin page would be a
# database write per click for a minute's precision nobody needs.
TOUCH_EVERY = 60


def stamp(session, now=None):
    session[SIGNED_IN] = session[LAST_SEEN] = int(time.time()) if now is None else now


def stamp_signed_in_session(sender, request, user, **kwargs):
    """user_logged_in: the working day starts at signing in (saved with the new session, no extra write)."""
    if request is not None and hasattr(request, "session"):
        stamp(request.session)


class StaffSessionMiddleware:
    """After the session, authentication and message middleware; signs out a session past either limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            self.enforce_limits(request)
        return self.get_response(request)

    def enforce_limits(self, request):
        session = request.session
        if SESSION_KEY not in session:
            return
        now = int(time.time())
        signed_in = session.get(SIGNED_IN)
        if signed_in is None:
            # A session from before these limits: its working day starts now.
            stamp(session, now)
            return
        last_seen = session.get(LAST_SEEN, signed_in)
        if now - signed_in >= settings.SESSION_COOKIE_AGE:
            why = gettext("登录已超过一个工作日的时限，请重新登录。")
        elif now - last_seen >= settings.SESSION_IDLE_TIMEOUT:
            why = gettext("长时间未操作，登录已失效，请重新登录。")
        else:
            if now - last_seen >= TOUCH_EVERY:
                session[LAST_SEEN] = now
            return
        logout(request)  # axes notes the sign-out; the admin then asks to sign in again, saying why
        messages.info(request, why, fail_silently=True)
