"""The public site, answered from a cache that every worker and every node sees change at once.

Published data does not change: a published edition is frozen, and what does change (a
publication, a withdrawal, a provider's qualification, an evaluation's publication) changes the
one token in PublicVersion, in the same transaction (catalogue/signals.py). Every cached page
is keyed by that token, read once per request from the database, so after a change every
worker's next request misses and renders afresh, whichever process or node made the change.
The cache itself may then be anything: Django's local-memory cache by default (nothing to run),
Redis when REDIS_URL is set (shared by the nodes). Nobody ever has to reach a cache to clear it.

The key also holds the day (a qualification lapses by date, not by a write), the interface
language, the display mode a visitor chose (长者模式, catalogue/preferences.py), the path with its query string, and a fingerprint of the code and templates, so a
deploy that changes a page never serves the old one from a shared cache.

Only anonymous GET and HEAD requests are served from or stored in the cache. A signed-in member
of staff always gets a freshly rendered page, and a response that sets a cookie or says
`private`/`no-store` is never stored. Every stored page carries an ETag, and a repeated
conditional GET is answered 304.
"""

import hashlib
from functools import wraps
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import storages
from django.db import connection
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control

from catalogue.preferences import display_mode

CACHE_ALIAS = "public"

# Response headers a view sets that belong to the page itself; the middleware adds the rest.
_KEPT_HEADERS = {"content-type", "content-disposition", "content-language"}


def current_version():
    """The public version: one primary-key read, in plain SQL since every cached page pays for it."""
    from catalogue.models import PublicVersion

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {PublicVersion._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else "none"


def invalidate_public_pages():
    """Give the public version a new token, inside the caller's transaction.

    Every cached page is keyed by the old token, so from the moment the transaction commits
    every worker on every node renders afresh; before it commits, nobody sees the new data.
    """
    from catalogue.models import PublicVersion
    from catalogue.models.publication import new_token

    if not PublicVersion.objects.filter(pk=1).update(token=new_token(), changed_at=timezone.now()):
        PublicVersion.objects.get_or_create(pk=1)


def _source_fingerprint():
    """A hash of the code, templates and translations: a deploy that changes a page changes every key."""
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for folder, patterns in (("catalogue", ("*.py",)), ("templates", ("*.html",)), ("locale", ("*.mo",))):
        for pattern in patterns:
            for path in sorted((base / folder).rglob(pattern)):
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


_release = None


def release():
    global _release
    if _release is None:
        _release = settings.PUBLIC_CACHE_RELEASE or _source_fingerprint()
    return _release


def cache_key(request, version):
    # The same parameters in another order are the same page.
    query = urlencode(sorted((name, value) for name, values in request.GET.lists() for value in values))
    path = hashlib.md5(f"{request.path}?{query}".encode(), usedforsecurity=False).hexdigest()
    day = timezone.localdate().isoformat()
    # The display mode (长者模式) changes the page's <body> class: each mode is a page of its own.
    mode = display_mode(request)
    return f"page:{release()}:{version}:{day}:{translation.get_language()}:{mode}:{path}"


def _signed_in(request):
    """True for a request that carries a signed-in session; no query when there is no session cookie."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return request.user.is_authenticated


def _bypass(request):
    return (
        request.method not in ("GET", "HEAD")
        or _signed_in(request)
        # A message waiting for this visitor would be rendered into the page: show it, never store it.
        or "messages" in request.COOKIES
    )


def _storable(response):
    if response.status_code != 200 or response.cookies or isinstance(response, FileResponse):
        return False
    control = response.get("Cache-Control", "")
    return "private" not in control and "no-store" not in control


def _entry(response, content):
    headers = [(name, value) for name, value in response.items() if name.lower() in _KEPT_HEADERS]
    etag = '"%s"' % hashlib.md5(content, usedforsecurity=False).hexdigest()
    return {"status": response.status_code, "headers": headers, "content": content, "etag": etag}


def _from_entry(request, entry):
    not_modified = get_conditional_response(request, etag=entry["etag"])
    if not_modified is not None:
        response = not_modified
    elif "file" in entry:
        storage = storages["publications"]
        if not storage.exists(entry["file"]):
            return None
        response = FileResponse(storage.open(entry["file"], "rb"))
        for name, value in entry["headers"]:
            response[name] = value
    else:
        response = HttpResponse(entry["content"], status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
    response["ETag"] = entry["etag"]
    _public_headers(response)
    return response


def _public_headers(response):
    # Browsers and proxies may keep a public page but must ask again each time; the ETag makes that a 304.
    patch_cache_control(response, public=True, no_cache=True)


def _teed(response, cache, key, limit):
    """Stream the response as it is made, and store it once it has ended, if it stayed under the limit."""
    chunks, size = [], 0
    original = response.streaming_content

    def stream():
        nonlocal size
        keep = True
        for chunk in original:
            if keep:
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    keep = False
                    chunks.clear()
            yield chunk
        if keep:
            cache.set(key, _entry(response, b"".join(chunks)))

    return stream()


def public_page(view):
    """Serve a public view from the cache keyed by the public version (see this module's docstring)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if _bypass(request):
            response = view(request, *args, **kwargs)
            if request.method in ("GET", "HEAD") and not isinstance(response, FileResponse):
                patch_cache_control(response, private=True, no_cache=True)
            return response
        cache = caches[CACHE_ALIAS]
        key = cache_key(request, current_version())
        entry = cache.get(key)
        if entry is not None:
            response = _from_entry(request, entry)
            if response is not None:
                return response
        response = view(request, *args, **kwargs)
        if getattr(response, "published_file", None) and response.status_code == 200:
            name, etag = response.published_file
            headers = [(header, value) for header, value in response.items() if header.lower() in _KEPT_HEADERS]
            cache.set(key, {"file": name, "etag": etag, "headers": headers, "status": 200})
            return response
        if not _storable(response):
            return response
        if isinstance(response, StreamingHttpResponse):
            response.streaming_content = _teed(response, cache, key, settings.PUBLIC_CACHE_MAX_BYTES)
            _public_headers(response)
            return response
        if len(response.content) > settings.PUBLIC_CACHE_MAX_BYTES:
            return response
        entry = _entry(response, response.content)
        cache.set(key, entry)
        return _from_entry(request, entry)

    wrapper.public_page = True
    return wrapper
