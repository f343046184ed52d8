"""The API's requests: their language from Accept-Language (the portal's addresses carry theirs,
the API's do not), and conditional GET: an ETag on every successful read and 304 Not Modified when
the client already has it (If-None-Match), or when nothing changed since If-Modified-Since. A NUL
character in the address or the query is refused (400) before anything reads it: no text column
can hold one (PostgreSQL refuses it outright), so no value containing it names anything.

With a cache shared by every server process (core.cache.shared), an anonymous client's successful
read is kept under the installation's content token, which every change anywhere renews once
committed: the next identical read is answered from the cache without a database query (its
language, day and address in the key; the anonymous rate limit still counted)."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe
from django.utils.translation import gettext as _

from civitas.core import throttle
from civitas.core.cache import CACHE_SECONDS, MAX_QUERY_LENGTH, shared
from civitas.core.content import installation_token
from civitas.core.db import primary_reads

API_PREFIX = "/api/"


def _cache_key(request) -> str | None:
    """The key of an anonymous client's read in the shared cache, or None when it is not kept:
    with a token or a session (what they see is theirs), a long query string, or no shared cache."""
    if (
        not shared()
        or request.method not in ("GET", "HEAD")
        or "HTTP_AUTHORIZATION" in request.META
        or request.COOKIES.get("sessionid")
        or len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH
    ):
        return None
    token = installation_token()
    if token is None:
        return None
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    language = translation.get_language()
    return f"api:{token}:{timezone.localdate().isoformat()}:{language}:{address}"


def _within_rate_limit(request) -> bool:
    limit = settings.CIVITAS_API_ANONYMOUS_PER_MINUTE
    return not limit or throttle.hit(f"api:{throttle.client_address(request)}", limit=limit, window=60)


def _conditional(request, response):
    last_modified = response.get("Last-Modified")
    return get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=last_modified and parse_http_date_safe(last_modified),
        response=response,
    )


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(API_PREFIX):
            language = translation.get_language_from_request(request)
            translation.activate(language)
            request.LANGUAGE_CODE = language
            if "\x00" in request.path or any(
                "\x00" in v for vs in request.GET.lists() for v in [vs[0], *vs[1]]
            ):
                return JsonResponse(
                    {"detail": _("The request is not valid."), "code": "invalid_parameter"}, status=400
                )
            key = _cache_key(request)
            if key is not None:
                kept = cache.get(key)
                # Over the limit: the API itself answers (429), counting once more.
                if kept is not None and _within_rate_limit(request):
                    return _conditional(request, kept)
                # Read from the primary: an answer kept under the installation's token must not
                # come from a read replica still behind it (core/db.py).
                with primary_reads():
                    return self._answered(request, self.get_response(request), key)
        return self._answered(request, self.get_response(request), None)

    def _answered(self, request, response, key: str | None):
        """The response with its ETag, kept under ``key`` (computed before the view read anything,
        so that a change committed meanwhile, which renews the token, makes it unreachable)."""
        if (
            not request.path.startswith(API_PREFIX)
            or request.method not in ("GET", "HEAD")
            or response.status_code != 200
            or response.streaming
        ):
            return response
        if not response.has_header("ETag"):
            digest = hashlib.blake2b(response.content, digest_size=16).hexdigest()
            response["ETag"] = f'"{digest}"'
        response.setdefault("Cache-Control", "no-cache")  # revalidate every time, cheaply
        if key is not None and not response.cookies:
            cache.set(key, response, CACHE_SECONDS)
        return _conditional(request, response)
