"""The answer when the database cannot be reached: 503 with a short Chinese page and Retry-After;
any other uncaught error: the site's Chinese 500 page.

A lost database is an outage, not a bug: the visitor should come back in a moment, and a monitor or
proxy should see 503. Django turns an exception raised anywhere — a view, or a middleware such as
the session's — into a response inside each middleware layer, so no middleware can catch them all;
the 500 handler is where every uncaught exception arrives, with the exception still being handled.
The page is rendered without the request, so no context processor reads the session or the user,
and it touches no database; should even that fail, a fixed page goes out.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views import defaults

log = logging.getLogger(__name__)

# Raised when the server is down, restarting or refusing connections, or a connection was cut.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30

FALLBACK_PAGE = (
    '<!DOCTYPE html><html lang="zh-hans"><meta charset="utf-8"><title>暂时无法访问</title>'
    "<h1>暂时无法访问</h1><p>系统暂时无法连接数据库，请稍后再试。</p></html>"
)


def _caused_by_database_outage(exc):
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, DATABASE_UNAVAILABLE):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def database_unavailable(request=None):
    try:
        # No request, so no context processor runs: the footer's marks are passed by hand.
        from catalogue.context_processors import site_marks

        content = loader.render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS, "site_marks": site_marks()})
    except Exception:  # the error page must never fail itself
        log.exception("the 503 page could not be rendered; sending the fixed one")
        content = FALLBACK_PAGE
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


FALLBACK_ERROR_PAGE = (
    '<!DOCTYPE html><html lang="zh-hans"><meta charset="utf-8"><title>系统出现错误</title>'
    "<h1>系统出现错误</h1><p>处理您的请求时系统出现了错误，请稍后再试。</p></html>"
)


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: 503 for a database outage, the site's Chinese 500 page for anything else.

    Like the 503 page, it is rendered without the request (no context processor runs, so nothing
    reads the session, the user or the database), with the footer's marks passed by hand.
    """
    if _caused_by_database_outage(sys.exc_info()[1]):
        return database_unavailable(request)
    try:
        from catalogue.context_processors import site_marks

        content = loader.render_to_string(template_name, {"site_marks": site_marks()})
    except Exception:  # the error page must never fail itself
        log.exception("the 500 page could not be rendered; sending the fixed one")
        content = FALLBACK_ERROR_PAGE
    return HttpResponseServerError(content)
