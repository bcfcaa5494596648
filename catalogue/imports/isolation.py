"""Running the parser of an uploaded spreadsheet in a child process that cannot take the server down.

A spreadsheet a clerk uploads is untrusted input for a parser: a 232 KB file can declare millions
of shared strings, a 185 KB one a row of millions of cells. So the web worker never parses one.
It hands the file's path to catalogue/imports/extract.py, run as a separate Python process
(`python -I -B`: no environment, no project on the path, nothing written), which first caps its
own address space (settings.IMPORT_PARSE_MEMORY_MB) and CPU time (settings.IMPORT_PARSE_SECONDS),
and is killed if it has not answered within twice that many seconds of wall-clock time (room for a
busy machine, still well inside gunicorn's timeout). It answers in
JSON (never pickle: a parser subverted by a file must not be able to run code in the worker),
with plain rows or the code of the limit the file broke; catalogue/imports/reading.py turns that
into the clerk's message. The child gets no secrets: its environment is a handful of variables.
"""

import json
import os
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

CHILD = Path(__file__).with_name("extract.py")
PASSED_ENVIRONMENT = ("PATH", "LANG", "LC_ALL", "LD_LIBRARY_PATH", "TMPDIR")
DEFAULT_MEMORY_MB = 256
DEFAULT_SECONDS = 10


def memory_mb():
    return getattr(settings, "IMPORT_PARSE_MEMORY_MB", DEFAULT_MEMORY_MB)


def seconds():
    """CPU seconds the child may use; it is killed after twice as many seconds of wall-clock time."""
    return getattr(settings, "IMPORT_PARSE_SECONDS", DEFAULT_SECONDS)


@contextmanager
def path_of(upload):
    """A path on disk holding the upload: Django's own temporary file when it made one, else a copy."""
    temporary = getattr(upload, "temporary_file_path", None)
    if temporary is not None:
        yield temporary()
        return
    with tempfile.NamedTemporaryFile(prefix="import-", dir=settings.FILE_UPLOAD_TEMP_DIR) as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        yield copy.name


def extract(upload, file_format, **limits):
    """Rows of `upload` ("xlsx" or "csv") read by the child within `limits` (see extract.Limits).

    Returns the child's answer: {"rows", "truncated", "encoding"} or {"refused": code, "params"};
    the codes of this side are "timeout" (no answer in time) and "killed" (the child died, most
    often of its memory or CPU limit).
    """
    job = {"format": file_format, "limits": limits, "memory_mb": memory_mb(), "cpu_seconds": seconds()}
    environment = {name: os.environ[name] for name in PASSED_ENVIRONMENT if name in os.environ}
    with path_of(upload) as path:
        job["path"] = str(path)
        try:
            done = subprocess.run(
                [sys.executable, "-I", "-B", str(CHILD), json.dumps(job)],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=2 * seconds(),
                env=environment,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return {"refused": "timeout", "params": {"seconds": 2 * seconds()}}
    try:
        answer = json.loads(done.stdout) if done.returncode == 0 else None
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        return {"refused": "killed", "params": {"memory_mb": memory_mb(), "seconds": seconds()}}
    return answer
