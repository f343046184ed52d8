from functools import lru_cache

from django.conf import settings
from django.shortcuts import render

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
