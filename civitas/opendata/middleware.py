"""The API's requests: their language from Accept-Language (the portal's addresses carry theirs,
the API's do not), and conditional GET: an ETag on every successful read and 304 Not Modified when
the client already has it (If-None-Match), or when nothing changed since If-Modified-Since. A NUL
character in the address or the query is refused (400) before anything reads it: no text column
can hold one (PostgreSQL refuses it outright), so no value containing it names anything."""

import hashlib

from django.http import JsonResponse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


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
        response = self.get_response(request)
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
        last_modified = response.get("Last-Modified")
        return get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=last_modified and parse_http_date_safe(last_modified),
            response=response,
        )
