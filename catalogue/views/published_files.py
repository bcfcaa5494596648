"""Serving a published edition's official files (written by catalogue/services/publication.py)."""

from django.core.files.storage import storages
from django.http import FileResponse
from django.utils.cache import get_conditional_response, patch_cache_control

from catalogue.exports.writers import XLSX_CONTENT_TYPE, _attachment
from catalogue.models import PublishedFile

CONTENT_TYPES = {
    PublishedFile.Kind.CSV: "text/csv; charset=utf-8",
    PublishedFile.Kind.XLSX: XLSX_CONTENT_TYPE,
    PublishedFile.Kind.JSON: "application/json; charset=utf-8",
    PublishedFile.Kind.OCDS: "application/json; charset=utf-8",
    PublishedFile.Kind.OCDS_RECORDS: "application/json; charset=utf-8",
}


def serve_published_file(request, edition, kind, *, names=None):
    """The file of `kind` as it was published (an attachment named `names` when given), or None when there is none (then the caller writes one).

    Only the callers' public() lookups reach here, so a withdrawn edition's files, kept on disk,
    are never served. The SHA-256 is the ETag: a copy that still matches answers 304.
    """
    record = PublishedFile.objects.filter(edition=edition, kind=kind).first()
    storage = storages["publications"]
    if record is None or not storage.exists(record.name):
        return None
    etag = f'"{record.sha256}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = FileResponse(storage.open(record.name, "rb"), content_type=CONTENT_TYPES[kind])
        if names is not None:
            _attachment(response, names)
    response["ETag"] = etag
    patch_cache_control(response, public=True, no_cache=True)
    # The page cache keeps where the file is, not the file, so the next request opens it without a query.
    response.published_file = (record.name, etag)
    return response
