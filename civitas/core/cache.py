"""Cached rendering of public pages that is never stale.

A page is cached under the versions of the municipality's content it reads (core.content); every
service that changes that content moves its version on (core.content.changed), so the next request
misses the cache and renders the current data. Only anonymous GET requests without a session are
cached: they see nothing personal.

Where the versions are read depends on the cache:

- a cache shared by every server process (``CACHE_URL``, Redis: ``settings.CIVITAS_SHARED_CACHE``):
  each area of each municipality has a *content token* in the cache, a random value that
  ``changed`` replaces once its transaction has committed. A cached page is found with two reads of
  the cache (the tokens, then the page) and no database query. A token is written only after the
  commit and is never reused, so a page rendered before a change, whenever it is stored, is stored
  under a token nobody reads any more. A lost token (evicted, a new cache) is replaced by a new
  one: a new, empty namespace, never an old one;
- a cache in each process (the embedded default): a process cannot see another one's tokens, so the
  versions are read from the municipality's row, which the request reads anyway (one query).
"""

import hashlib
from collections import OrderedDict
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from .content import Content, content_tokens, versions
from .db import primary_reads

CACHE_SECONDS = 600
MAX_QUERY_LENGTH = 300  # longer query strings are rendered, never cached


def _cacheable(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.COOKIES.get("sessionid")
        and not request.COOKIES.get("messages")  # a banner for this visitor alone
        and not getattr(request.user, "is_authenticated", False)
    )


def shared() -> bool:
    """Whether every server process reads and writes the same cache (content tokens in use)."""
    return settings.CIVITAS_SHARED_CACHE


def _key(request, owner: str, version: str, params: tuple[str, ...], valid=None) -> str | None:
    """The cache key, from the path and the parameters the page reads (sorted, so that their order
    does not matter); None when the URL carries anything else, or values ``valid`` refuses: such
    requests are rendered and not stored, so that made-up query strings cannot fill the cache."""
    query = request.GET
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH or any(
        name not in params for name in query
    ):
        return None
    if valid is not None and not valid(query):
        return None
    known = urlencode(sorted((name, value) for name in params for value in query.getlist(name)))
    digest = hashlib.sha256(f"{request.path}?{known}".encode()).hexdigest()
    # The day is part of the key: pages say what is overdue, open or closing as of today, so a page
    # cached yesterday is not served after midnight.
    return f"page:{owner}:{version}:{timezone.localdate().isoformat()}:{get_language()}:{digest}"


def _shared_key(request, slug: str, params, reads, valid, *, create: bool = True) -> str | None:
    tokens = content_tokens(slug, reads, create=create)
    if tokens is None:
        return None
    return _key(request, slug, ".".join(tokens), params, valid)


def _timeout(response) -> int:
    """How long a rendered page may be kept: CACHE_SECONDS, or less if it says when it goes stale
    (``fresh_until``); 0 when that moment has come."""
    until = getattr(response, "fresh_until", None)
    if until is None:
        return CACHE_SECONDS
    return max(0, min(CACHE_SECONDS, int((until - timezone.now()).total_seconds())))


def cached_public_page(
    view=None, *, params: tuple[str, ...] = (), reads: tuple[Content, ...] = (Content.PLANNING,), valid=None
):
    """Cache an anonymous visitor's rendered page by the versions of the content it ``reads``,
    language, path and the query parameters the page reads (``params``; a URL with others is not
    cached, nor one whose parameters the function ``valid(request.GET)`` refuses).

    Must wrap a view already wrapped by ``with_municipality``'s resolution: apply it *inside*, i.e.
    listed after, ``@with_municipality``, which, with a shared cache, asks the page cache
    (``wrapper.cached_page``) before it reads the municipality from the database. Decorators listed
    between the two must not change a page that exists (``follows_former_address`` acts on a
    404 only). A response that sets a cookie (e.g. one that showed a message) is never stored.

    A page that shows something which changes by itself at a known moment (a consultation that
    closes at 17:00 moves from "open" to "past") sets ``response.fresh_until`` to that moment: it is
    kept no longer than until then.
    """

    def decorate(view):
        def cached_page(request, slug: str):
            """The stored page for this request, or None; with a shared cache only, and before
            anything is read from the database. The key is kept for the rendering that follows."""
            if not (shared() and _cacheable(request)):
                return None
            key = request.civitas_page_key = _shared_key(request, slug, params, reads, valid, create=False)
            return cache.get(key) if key is not None else None

        @wraps(view)
        def wrapper(request, municipality, *args, **kwargs):
            if not _cacheable(request):
                key = None
            elif shared():
                key = getattr(request, "civitas_page_key", None) or _shared_key(
                    request, municipality.slug, params, reads, valid
                )
            else:
                version = ".".join(str(v) for v in versions(municipality, reads))
                key = _key(request, str(municipality.pk), version, params, valid)
            if key is None:
                return view(request, municipality, *args, **kwargs)
            cached = cache.get(key)
            if cached is not None:
                return cached
            # Rendered from the primary: a page kept under a content version must not come from a
            # read replica that is still behind that version (core/db.py).
            with primary_reads():
                response = view(request, municipality, *args, **kwargs)
            timeout = _timeout(response)
            if (
                response.status_code == 200
                and not response.streaming
                and not response.cookies
                and timeout > 0
            ):
                if hasattr(response, "render") and callable(response.render):
                    response.render()
                patch_vary_headers(response, ["Cookie"])
                cache.set(key, response, timeout)
            return response

        wrapper.cached_page = cached_page  # type: ignore[attr-defined]
        return wrapper

    return decorate(view) if view is not None else decorate


class ProcessCache:
    """A small least-recently-used cache in this process's memory, for values that are costly to
    compute and cheap to keep (no pickling, unlike the shared cache). Keys must name the version
    of the data they were computed from, so that an entry is never stale: a changed version is a
    new key, and the old entry ages out."""

    instances: list["ProcessCache"] = []

    def __init__(self, size: int):
        self.size = size
        self._entries: OrderedDict = OrderedDict()
        ProcessCache.instances.append(self)

    def get(self, key):
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def set(self, key, value) -> None:
        self._entries[key] = value
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()

    @classmethod
    def clear_all(cls) -> None:
        for instance in cls.instances:
            instance.clear()
