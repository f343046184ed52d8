"""What every endpoint of the API shares: errors, strict query parameters, cursor pagination,
conditional requests and the rate limit for anonymous clients.

Conventions, so that every endpoint reads alike:

- Lists are ``GET /api/v1/<things>`` with filters as query parameters; each list calls
  ``strict_query(request, *names)`` with the names it accepts, so an unknown filter is a 400,
  never silently ignored. They return ``Page[ThingOut]`` built by ``paginate`` (cursor pagination
  on the primary key, at most ``MAX_LIMIT`` items, a ``next`` URL while more remain).
- Details are ``GET /api/v1/<things>/{id}``; every object carries its ``id`` (stable, the primary
  key), its ``url`` in the API and, where the portal shows it, its ``web_url``.
- Texts kept in both languages are given as ``<field>_bg`` and ``<field>_en``.
- Money is given in euro cents as integers where the model keeps cents, with the currency named.
- Errors are JSON ``{"detail": <message in the request's language>, "code": <stable code>}``,
  with ``errors`` for validation failures (422); endpoints declare them (``READ_ERRORS``,
  ``WRITE_ERRORS``) beside their answer.
- A list runs the same number of queries whatever the page size: select/prefetch in selectors.
"""

import base64
import binascii
import json
import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Generic, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import http_date
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.throttling import BaseThrottle

from civitas.core import throttle
from civitas.core.errors import RETRY_AFTER_SECONDS, database_unavailable
from civitas.core.permissions import Action

log = logging.getLogger(__name__)

ACTION_NAMES = frozenset(action.value for action in Action)
MAX_LIMIT = 100
DEFAULT_LIMIT = 25
PAGING = ("cursor", "limit")

T = TypeVar("T")


class Page(Schema, Generic[T]):
    items: list[T]
    next: str | None = None


class ErrorOut(Schema):
    """Every error's body: a message for people, a stable code for programs, and with a 422 the
    refused fields."""

    detail: str
    code: str
    errors: list[dict] | None = None


# The errors an endpoint declares beside its answer (``response={200: ThingOut, **READ_ERRORS}``),
# so that the OpenAPI description, and the fuzz test that holds the API to it, know them all.
READ_ERRORS: dict[int, type[ErrorOut]] = {status: ErrorOut for status in (400, 404, 422, 429)}
WRITE_ERRORS: dict[int, type[ErrorOut]] = {
    status: ErrorOut for status in (400, 401, 403, 404, 409, 412, 422, 429)
}


class ApiError(Exception):
    """A refusal with its status, a stable code for programs and a message for people."""

    def __init__(self, status: int, code: str, message: str, errors: list | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors  # each refused field's messages, with a 422


def _error(api: NinjaAPI, request, status: int, code: str, message: str, **extra) -> HttpResponse:
    return api.create_response(request, {"detail": str(message), "code": code, **extra}, status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    """Every failure becomes JSON with a proper status; nothing reaches the HTML error pages."""

    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError):
        extra = {"errors": exc.errors} if exc.errors is not None else {}
        return _error(api, request, exc.status, exc.code, exc.message, **extra)

    @api.exception_handler(ValidationError)
    def invalid(request, exc: ValidationError):
        return _error(api, request, 422, "invalid", _("The request is not valid."), errors=_plain(exc.errors))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return _error(api, request, 404, "not_found", _("Not found."))

    @api.exception_handler(ObjectDoesNotExist)
    def no_object(request, exc):
        return _error(api, request, 404, "not_found", _("Not found."))

    @api.exception_handler(OverflowError)
    def too_large(request, exc):
        # An id beyond what the database stores (SQLite refuses it): no such object.
        return _error(api, request, 404, "not_found", _("Not found."))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return _error(api, request, 401, "unauthenticated", _("A valid API token is required."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        # The role table refuses with the action's name, a code rather than a message for people.
        message = str(exc)
        if not message or message in ACTION_NAMES:
            message = _("You may not do this with this token.")
        return _error(api, request, 403, "forbidden", message)

    @api.exception_handler(Throttled)
    def throttled(request, exc: Throttled):
        response = _error(api, request, 429, "rate_limited", _("Too many requests; try again in a minute."))
        response["Retry-After"] = str(int(exc.wait or 60))
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return _error(api, request, exc.status_code, "error", str(exc))

    @api.exception_handler(Exception)
    def server_error(request, exc):
        log.exception("API error on %s", request.path)
        if database_unavailable(exc):  # a restart or a fail-over: briefly unavailable, not broken
            response = _error(
                api,
                request,
                503,
                "unavailable",
                _("The service is briefly unavailable: try again in a minute."),
            )
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        if settings.DEBUG and not getattr(settings, "CIVITAS_TESTING", False):
            raise exc
        return _error(api, request, 500, "server_error", _("Something went wrong on our side."))


def _plain(errors) -> list:
    """Validation errors as JSON-safe values (pydantic may put exceptions in ``ctx``)."""
    return json.loads(json.dumps(list(errors), default=str))


# --- Query parameters --------------------------------------------------------------------------


def strict_query(request: HttpRequest, *names: str) -> None:
    """Refuse a query parameter the endpoint does not know (a misspelt filter would otherwise
    return everything as if it had been applied)."""
    allowed = set(names) | set(PAGING)
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise ApiError(
            400,
            "unknown_parameter",
            _("Unknown query parameter: %(names)s. Known: %(known)s.")
            % {"names": ", ".join(unknown), "known": ", ".join(sorted(allowed))},
        )


def parse_datetime_param(value: str | None, name: str) -> datetime | None:
    """An ISO 8601 date-time from the query (``updated_since``); a date alone means its midnight."""
    if value in (None, ""):
        return None
    try:
        moment = parse_datetime(value)
        if moment is None and (day := parse_date(value)) is not None:
            moment = datetime(day.year, day.month, day.day)
    except ValueError:
        moment = None
    if moment is None:
        raise ApiError(
            400,
            "invalid_parameter",
            _("%(name)s must be an ISO 8601 date or date-time.") % {"name": name},
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


# --- Pagination --------------------------------------------------------------------------------


def encode_cursor(pk) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": pk}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        after = json.loads(base64.urlsafe_b64decode(padded.encode()))["after"]
        if isinstance(after, bool) or not isinstance(after, int) or after < 0:
            raise ValueError
        return after
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise ApiError(
            400, "invalid_cursor", _("The cursor is not valid; use the next link of a page.")
        ) from None


def page_size(request: HttpRequest) -> int:
    raw = request.GET.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError(
            400,
            "invalid_limit",
            _("limit must be a whole number from 1 to %(max)d.") % {"max": MAX_LIMIT},
        )
    return limit


def paginate(request: HttpRequest, queryset) -> tuple[list, str | None]:
    """One page of ``queryset`` in primary-key order after the request's cursor, and the URL of the
    next page (None on the last). One query, whatever the page size (prefetches excepted)."""
    limit = page_size(request)
    queryset = queryset.order_by("pk")
    if cursor := request.GET.get("cursor"):
        queryset = queryset.filter(pk__gt=decode_cursor(cursor))
    items = list(queryset[: limit + 1])
    if len(items) <= limit:
        return items, None
    items = items[:limit]
    params = request.GET.copy()
    params["cursor"] = encode_cursor(items[-1].pk)
    return items, request.build_absolute_uri(request.path) + "?" + urlencode(list(params.lists()), doseq=True)


def page(request: HttpRequest, queryset, serialize=None) -> dict:
    """A ``Page`` of ``queryset``; ``serialize`` turns each object into its output (default: the
    object itself, for the response schema to read)."""
    items, next_url = paginate(request, queryset)
    return {"items": [serialize(i) for i in items] if serialize else items, "next": next_url}


# --- Conditional requests ----------------------------------------------------------------------


def set_last_modified(response: HttpResponse, moments: Iterable[datetime | None]) -> None:
    """Last-Modified from the latest of ``moments`` (the items' ``updated_at``), when there is one."""
    latest = max((m for m in moments if m is not None), default=None)
    if latest is not None:
        response["Last-Modified"] = http_date(latest.timestamp())


# --- Rate limit --------------------------------------------------------------------------------


class AnonymousRateLimit(BaseThrottle):
    """Anonymous clients get ``CIVITAS_API_ANONYMOUS_PER_MINUTE`` requests a minute each (counted
    per client address in the shared throttle cache); clients with a token are not limited here."""

    def allow_request(self, request) -> bool:
        if getattr(request, "auth", None) is not None:
            return True
        limit = settings.CIVITAS_API_ANONYMOUS_PER_MINUTE
        if not limit:
            return True
        return throttle.hit(f"api:{throttle.client_address(request)}", limit=limit, window=60)

    def wait(self) -> float:
        return 60.0


def not_found_view(request, path: str = "") -> HttpResponse:
    """Any address under /api/ that names no endpoint: a JSON 404, like the endpoints' own."""
    return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
