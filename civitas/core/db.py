"""Reads of anonymous public pages from a PostgreSQL read replica, everything else from the primary.

With DATABASE_REPLICA_URL set (settings.CIVITAS_READ_REPLICA names its alias), a request may read
from the replica only if it is a GET or HEAD from a visitor without a session, API token or
recent write of their own (``ReplicaReadsMiddleware`` decides before anything reads). Even then
the primary answers every read inside a transaction and every read after the request wrote
anything, and a visitor who just wrote (a survey answered, a proposal sent) reads from the
primary for the next ``CIVITAS_REPLICA_PIN_SECONDS``: a replica a little behind never hides
someone's own change from them. Management commands, task workers and tests without the
middleware read from the primary.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

# Set on the response of a request that wrote: the same browser's next requests read the primary.
PIN_COOKIE = "civitas_primary"
# The cache tables (DatabaseCache, the rate-limit counters) are not content: their writes do not
# pin the request, and they are always read where they are written.
CACHE_TABLES = "django_cache"


@dataclass
class RequestReads:
    replica: bool  # this request may read from the replica
    wrote: bool = False  # it has written: from now on it reads the primary


_reads: ContextVar[RequestReads | None] = ContextVar("civitas_request_reads", default=None)


def may_read_replica(request) -> bool:
    """Whether ``request`` is one whose reads may come from the replica: an anonymous public GET
    or HEAD (no session, no API token, no write of its own in the last seconds)."""
    return (
        bool(settings.CIVITAS_READ_REPLICA)
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and PIN_COOKIE not in request.COOKIES
        and "Authorization" not in request.headers
    )


class ReplicaRouter:
    """Routes the reads of a request the middleware allowed to the replica, all else to the primary."""

    def db_for_read(self, model, **hints):
        state = _reads.get()
        if state is None or not state.replica or state.wrote:
            return None
        if model._meta.app_label == CACHE_TABLES or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None
        return settings.CIVITAS_READ_REPLICA

    def db_for_write(self, model, **hints):
        state = _reads.get()
        if state is not None and model._meta.app_label != CACHE_TABLES:
            state.wrote = True
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's rows: an object read from either is the same

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db in ("replica", settings.CIVITAS_READ_REPLICA or "replica"):
            return False  # the replica follows the primary's schema by replication
        return None


@contextmanager
def primary_reads() -> Iterator[None]:
    """Read from the primary inside this block, whatever the request: for results kept beyond
    the request (a cached page) that must not be older than what they are stored under."""
    state = _reads.get()
    token = _reads.set(RequestReads(replica=False) if state is not None else None)
    try:
        yield
    finally:
        if state is not None and (inner := _reads.get()) is not None and inner.wrote:
            state.wrote = True
        _reads.reset(token)


class ReplicaReadsMiddleware:
    """Decides, before anything reads, whether this request may read from the replica, and pins
    the visitor to the primary for a few seconds after a write of theirs. First in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = RequestReads(replica=may_read_replica(request))
        token = _reads.set(state)
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        if state.wrote and settings.CIVITAS_READ_REPLICA:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.CIVITAS_REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
