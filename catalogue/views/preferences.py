"""A visitor's own choices, kept in a cookie and asked for by a plain link.

The language is chosen by a link, not a form: a public page carries no CSRF token, so the very
same cached page can be served to everyone (catalogue/public_cache.py). A choice of language
changes nothing but how this visitor's own browser is answered, so a GET may make it.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language

from catalogue.preferences import MODE_COOKIE, MODE_COOKIE_AGE, MODES, STANDARD


def _safe_next(request):
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def choose_language(request):
    """/language/?language=en&next=/editions/1/: remember the language, go back to the page."""
    response = HttpResponseRedirect(_safe_next(request))
    code = request.GET.get("language", "")
    if code and check_for_language(code) and code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            samesite="Lax",
        )
    response["Cache-Control"] = "private, no-store"
    return response


def choose_display_mode(request):
    """/display/?mode=elder&next=/editions/1/: 长者模式 (larger text, wider spacing, stronger contrast) or back.

    The server renders the mode's class on <body>, so it works without JavaScript; the page cache keys
    each page by the mode (catalogue/public_cache.py).
    """
    response = HttpResponseRedirect(_safe_next(request))
    mode = request.GET.get("mode", "")
    if mode == STANDARD:
        response.delete_cookie(MODE_COOKIE, samesite="Lax")
    elif mode in MODES:
        response.set_cookie(MODE_COOKIE, mode, max_age=MODE_COOKIE_AGE, samesite="Lax")
    response["Cache-Control"] = "private, no-store"
    return response
