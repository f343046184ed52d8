"""Uploaded files, each served only to those its owner record lets see it.

A file is served only under its stored name written the one way storage writes it (anything else,
such as ``./``, ``%2e``, ``//`` or a backslash, answers 404), only if a record stores exactly that
name, and only as that record allows: each app answers for its own files (``*_access`` in its
selectors: evidence, consultation files, forum photos, project documents, logos) and the
strictest answer wins. A file no record owns, or one this person may not see, answers 404.

The bytes are streamed from MEDIA_ROOT (never through a symlink), or, where
CIVITAS_MEDIA_ACCEL_REDIRECT is set, left to nginx with X-Accel-Redirect to an internal location:

    location /protected-media/ {
        internal;                       # only reachable through X-Accel-Redirect
        alias /srv/civitas/var/media/;  # MEDIA_ROOT, with the trailing slash
        disable_symlinks on;
        add_header X-Content-Type-Options nosniff always;
    }

``/media/`` itself stays proxied to Civitas; never serve MEDIA_ROOT directly, which would skip
these checks.

With uploads on S3-compatible storage (core/storage.py) the same checks come first; then the bytes
are streamed from the private bucket, or, with CIVITAS_S3_PRESIGNED_SECONDS, the browser is
redirected to a link signed for those seconds that carries the same headers.
"""

import mimetypes
import os
import posixpath
import re
import stat
import unicodedata
from urllib.parse import quote

from django.conf import settings
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotModified,
    HttpResponseRedirect,
)
from django.utils.http import content_disposition_header, http_date, parse_http_date_safe
from django.views.decorators.http import require_safe

from civitas.consultations.selectors import file_access as consultation_file_access
from civitas.core import storage
from civitas.core.selectors import FileAccess, logo_access, strictest
from civitas.council.selectors import decision_access
from civitas.evaluations.selectors import evidence_file_access as evaluation_evidence_access
from civitas.forum.selectors import photo_access
from civitas.indicators.selectors import evidence_access
from civitas.projects.selectors import document_access
from civitas.publicity.selectors import file_access as publicity_file_access
from civitas.reports.selectors import report_file_access

# A council decision's document (council.selectors.decision_access) is public, as the register is.
OWNERS = (
    evidence_access,
    consultation_file_access,
    photo_access,
    document_access,
    logo_access,
    decision_access,
    evaluation_evidence_access,
    publicity_file_access,
    report_file_access,
)

# What storage writes: segments of letters, digits, "_", "-" and "." (Django's get_valid_name).
STORED_NAME = re.compile(r"[-\w.]+(?:/[-\w.]+)*")
# A public file may become private later (a post hidden, a value withdrawn): shared caches keep it
# at most this long.
PUBLIC_MAX_AGE = 600
# Shown in the browser: none of these can run script.
INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/webp", "image/gif", "text/plain"}
# Downloaded with their own type (what projects.uploads accepts). Anything else, HTML and SVG
# among them, is downloaded as plain bytes, so that no browser renders it as a page.
DOWNLOAD_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "text/csv",
}
RANDOM_PREFIX = re.compile(r"^[0-9a-f]{16}-")  # projects.uploads.check_upload's unguessable part


def canonical_name(path: str) -> str | None:
    """``path`` if it is a stored name exactly as storage writes it, else None: no ``.`` or ``..``
    segments, no empty segments, no leading or trailing slash, no backslash, control or format
    characters, percent signs or spaces, and Unicode in its composed (NFC) form."""
    if len(path) > 1000 or not STORED_NAME.fullmatch(path):
        return None
    if any(segment in (".", "..") for segment in path.split("/")):
        return None
    if unicodedata.normalize("NFC", path) != path or posixpath.normpath(path) != path:
        return None
    return path


def file_access(user, name: str) -> FileAccess | None:
    """What the records storing ``name`` allow ``user`` (None: no record stores it)."""
    return strictest(a for owner in OWNERS if (a := owner(user, name)) is not None)


def open_stored(name: str):
    """The regular file ``name`` under MEDIA_ROOT, opened without following any symlink, with its
    stat; raises Http404 if it is missing, not a regular file or reached through a symlink."""
    root = os.path.realpath(settings.MEDIA_ROOT)
    path = os.path.join(root, name)
    if os.path.realpath(path) != path:  # a symlink somewhere on the way
        raise Http404("No such file")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        raise Http404("No such file") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise Http404("No such file")
    return os.fdopen(fd, "rb"), info


def content_headers(name: str) -> tuple[str, str]:
    """(Content-Type, Content-Disposition) for the stored ``name``: from its extension, shown
    inline only for types that cannot run script, downloaded otherwise."""
    content_type, encoding = mimetypes.guess_type(name, strict=False)
    if encoding is not None or content_type not in INLINE_TYPES | DOWNLOAD_TYPES:
        content_type = "application/octet-stream"
    inline = content_type in INLINE_TYPES
    if content_type == "text/plain":
        content_type = "text/plain; charset=utf-8"
    filename = RANDOM_PREFIX.sub("", posixpath.basename(name))
    # Never None: a canonical name ends in a file name, so there is always one to give.
    return content_type, content_disposition_header(not inline, filename)  # type: ignore[return-value]


@require_safe
def media(request, path: str):
    name = canonical_name(path)
    if name is None:
        raise Http404("No such file")
    access = file_access(request.user, name)
    if access is None or access == FileAccess.DENIED:
        raise Http404("No such file")
    cache_control = (
        "private, no-store" if access == FileAccess.PRIVATE else f"public, max-age={PUBLIC_MAX_AGE}"
    )
    if storage.on_object_storage():
        return from_object_storage(request, name, cache_control)
    file, info = open_stored(name)
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    response: HttpResponseBase
    if since is not None and int(info.st_mtime) <= since:
        file.close()
        response = HttpResponseNotModified()
    else:
        if prefix := settings.CIVITAS_MEDIA_ACCEL_REDIRECT:
            file.close()
            response = HttpResponse()
            response["X-Accel-Redirect"] = "/" + prefix.strip("/") + "/" + quote(name)
        else:
            response = FileResponse(file)
            response["Content-Length"] = str(info.st_size)
        response["Content-Type"], response["Content-Disposition"] = content_headers(name)
    response["Last-Modified"] = http_date(info.st_mtime)
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Bytes read from the bucket at a time while streaming.
CHUNK_BYTES = 64 * 1024


def from_object_storage(request, name: str, cache_control: str) -> HttpResponseBase:
    """The checked file ``name`` from the bucket: streamed, or a redirect to a short-lived signed
    link (CIVITAS_S3_PRESIGNED_SECONDS) that no shared cache may keep."""
    content_type, disposition = content_headers(name)
    response: HttpResponseBase
    if seconds := settings.CIVITAS_S3_PRESIGNED_SECONDS:
        if storage.object_modified(name) is None:
            raise Http404("No such file")
        response = HttpResponseRedirect(
            storage.presigned_url(
                name,
                seconds=seconds,
                content_type=content_type,
                disposition=disposition,
                cache_control=cache_control,
            )
        )
        response["Cache-Control"] = "private, no-store"
        return response
    found = storage.open_object(name)
    if found is None:
        raise Http404("No such file")
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    if since is not None and int(found.modified.timestamp()) <= since:
        found.body.close()
        response = HttpResponseNotModified()
    else:
        response = FileResponse(found.body)  # closes the body when done
        response.block_size = CHUNK_BYTES
        response["Content-Length"] = str(found.size)
        response["Content-Type"], response["Content-Disposition"] = content_type, disposition
    response["Last-Modified"] = http_date(found.modified.timestamp())
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    return response
