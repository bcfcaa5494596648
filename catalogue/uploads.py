"""Uploads refused while they are received: no file over its limit is ever written whole to disk or memory.

Django's own handlers keep an upload in memory (up to 2.5 MB) or in a temporary file, however large
it is; a size check in a form comes after the whole file is stored. BoundedUploadHandler sits first
in settings.FILE_UPLOAD_HANDLERS and counts the bytes of each file as they arrive: past the limit it
stops passing them on (Django's handlers drop what they held) and reads the rest of the file into
nothing. The form then receives a RefusedUpload in the file's place: empty, `refused`, with the
size that was sent, so the form's own size check answers in Chinese ("文件过大…") as it would for
any other file that is too large, and nothing of the file is kept.

The limit is settings.UPLOAD_MAX_BYTES (the largest file any staff form takes); a view that takes
less, or more, says so with `limit_uploads(request, max_bytes)` before it reads request.POST, which
means a view exempt from the CSRF middleware that checks the token itself (see
catalogue/views/staff/imports.py), because the middleware reads the POST first otherwise.
"""

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, MemoryFileUploadHandler

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def default_limit():
    return getattr(settings, "UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


def limit_uploads(request, max_bytes):
    """Receive this request's files with `max_bytes` as the limit; call before request.POST or FILES is read."""
    request.upload_max_bytes = max_bytes


class RefusedUpload(UploadedFile):
    """What the form gets for a file refused while it was received: no content, the size that was sent."""

    refused = True

    def __init__(self, name, content_type, size, max_bytes):
        super().__init__(io.BytesIO(b""), name=name, content_type=content_type, size=size)
        self.max_bytes = max_bytes


class BoundedUploadHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.limit = getattr(request, "upload_max_bytes", None) or default_limit()

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.refused = False

    def receive_data_chunk(self, raw_data, start):
        self.received = start + len(raw_data)
        if self.refused:
            return None
        if self.received > self.limit:
            self.refused = True
            self._drop_what_the_others_hold()
            return None
        return raw_data

    def _drop_what_the_others_hold(self):
        """Close the partial copy the next handler keeps (in memory, or in a temporary file it deletes on close).

        Only the current file's: Django's memory handler takes a whole request or none of it, and
        the temporary-file handler opens a new file for each upload.
        """
        handlers = list(getattr(self.request, "upload_handlers", ()))
        for handler in handlers[handlers.index(self) + 1 :] if self in handlers else ():
            if isinstance(handler, MemoryFileUploadHandler) and not getattr(handler, "activated", False):
                continue
            held = getattr(handler, "file", None)
            if held is not None:
                held.close()

    def file_complete(self, file_size):
        if not self.refused:
            return None  # the next handler hands the file over
        return RefusedUpload(self.file_name, self.content_type, self.received, self.limit)
