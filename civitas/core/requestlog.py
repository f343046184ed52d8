"""Request ids and the one log line per request (docs/operations.md, Logs).

Each request gets an id: the one a trusted reverse proxy sent in X-Request-ID (nginx:
``proxy_set_header X-Request-ID $request_id;``), so that the proxy's log and Civitas's share it, or
a new one. It is returned in the response's X-Request-ID header, shown on every log line the
request causes (``logs.RequestContextFilter``) and, when the request ends, logged once more with
its status, duration and user by the ``civitas.request`` logger."""

import logging
import re
import time
import uuid

from django.conf import settings
from django.utils.functional import empty
from django.utils.log import log_response

from . import logs
from .throttle import UNIX, trusted_proxies
from .throttle import _parse as parse_address

HEADER = "X-Request-ID"
# What a proxy's id may look like: nginx's $request_id (32 hex digits), a UUID, and the like. Anything
# else (too long, other characters: a log injection) is replaced by an id of our own.
VALID_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$")

logger = logging.getLogger("civitas.request")


def from_trusted_proxy(request) -> bool:
    """Whether the request came straight from one of CIVITAS_TRUSTED_PROXIES (as core.throttle
    decides whose X-Forwarded-For to believe)."""
    remote = request.META.get("REMOTE_ADDR") or ""
    address = parse_address(remote)
    if address is None:
        return not remote and UNIX in getattr(settings, "CIVITAS_TRUSTED_PROXIES", ())
    return any(address in network for network in trusted_proxies())


def request_id_for(request) -> str:
    """The proxy's id when a trusted proxy sent a well-formed one; otherwise a new one. A client's
    own X-Request-ID is never used: it could tie its requests to someone else's in the logs."""
    sent = request.META.get("HTTP_X_REQUEST_ID", "")
    if sent and VALID_ID.match(sent) and from_trusted_proxy(request):
        return sent
    return uuid.uuid4().hex


def signed_in_user_id(request) -> int | None:
    """The signed-in user's id, if this request already read it: the log line never costs a query
    (a cached page does not read the session)."""
    user = request.__dict__.get("user")
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is not None and wrapped is not empty:
        return wrapped.pk if getattr(wrapped, "is_authenticated", False) else None
    session = getattr(request, "session", None)
    cached = getattr(session, "_session_cache", None)
    if isinstance(cached, dict) and "_auth_user_id" in cached:
        try:
            return int(cached["_auth_user_id"])
        except (TypeError, ValueError):
            return None
    return None


class RequestLogMiddleware:
    """First in MIDDLEWARE: binds the request id to the request's log lines, adds the response
    header and logs the request's line (method, path, status, duration in ms, user id)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_for(request)
        request.request_id = request_id
        tokens = logs.bind_request(request, request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            status = response.status_code
            if status >= 400 and not getattr(response, "_has_been_logged", False):
                # Django would log the refusal after the middleware, outside the request's context,
                # with the unmasked path: logged here instead (Django then skips it).
                log_response(
                    "%s: %s",
                    response.reason_phrase,
                    logs.logged_path(request),
                    response=response,
                    request=request,
                )
            logger.log(
                logging.WARNING if status >= 500 else logging.INFO,
                "%s %s %s",
                request.method,
                logs.logged_path(request),
                status,
                extra={
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": signed_in_user_id(request),
                },
            )
            return response
        finally:
            logs.unbind_request(tokens)
