import errno
import logging
from functools import lru_cache

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .geo import tile_origin


@lru_cache(maxsize=8)
def content_security_policy(tiles: str = "") -> str:
    """The policy: scripts, styles and images from this site only, and images from the map's tile
    server when one is configured (``CIVITAS_MAP_TILES``)."""
    images = " ".join(filter(None, ["'self'", "data:", tile_origin(tiles)]))
    return "; ".join(
        [
            "default-src 'self'",
            f"img-src {images}",
            "style-src 'self'",
            "script-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


CSP = content_security_policy()


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header: only this site's own scripts, styles and images
    (and the map tiles' server). ``CIVITAS_CSP`` replaces the whole policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):
            policy = getattr(settings, "CIVITAS_CSP", None) or content_security_policy(
                settings.CIVITAS_MAP_TILES
            )
            response.headers.setdefault("Content-Security-Policy", policy)
        return response


class RequestSizeLimitMiddleware:
    """Refuses a request whose declared body is larger than ``CIVITAS_MAX_REQUEST_BYTES`` (413) before
    anything reads it, so an oversized upload is never received, spooled to disk or parsed.

    A body without Content-Length (chunked) is not read by Django at all, so the declared length
    is the whole question. The web server in front should refuse the same size (nginx:
    ``client_max_body_size``), so that the bytes never reach the app server.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.CIVITAS_MAX_REQUEST_BYTES
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            response = render(
                request,
                "core/request_too_large.html",
                {"max_mb": settings.CIVITAS_MAX_UPLOAD_BYTES // (1024 * 1024)},
                status=413,
            )
            response["Connection"] = "close"  # don't read the rest of a body nobody wants
            return response
        return self.get_response(request)


logger = logging.getLogger(__name__)

# The storage refused to write: the disk or the account's quota is full.
STORAGE_FULL = {errno.ENOSPC, errno.EDQUOT}


class StorageFullMiddleware:
    """An upload (or any write to the file storage) that fails because the disk is full: the person
    learns that nothing was saved and to try again later (507, in their language), not an error
    page; the operator finds it in the log. The request's transaction has been rolled back by then,
    so no record points to a file that was not written."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OSError) or exception.errno not in STORAGE_FULL:
            return None
        logger.error("The file storage is full: %s %s refused (%s)", request.method, request.path, exception)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": str(storage_full_message()), "code": "storage_full"}, status=507)
        return render(request, "core/storage_full.html", {"message": storage_full_message()}, status=507)


def storage_full_message() -> str:
    return _(
        "The file could not be stored: the site's storage is full. Nothing was saved. "
        "Try again later; the site's operators have been told."
    )


class NulCharacterMiddleware:
    """A NUL character in a page's address or query is refused (400) before anything reads it: no
    text column can hold one (PostgreSQL refuses it outright, a server error), so no value with it
    names anything. The API answers the same in JSON (opendata.middleware.ApiMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in k or "\x00" in v for k, vs in request.GET.lists() for v in vs
        ):
            return render(request, "core/bad_address.html", status=400)
        return self.get_response(request)
