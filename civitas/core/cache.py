"""Cached rendering of public pages that is never stale.

A page is cached under the versions of the municipality's content it reads (core.content), which
the request reads anyway when it resolves the municipality from the URL; every service that
changes that content moves its version up (core.content.changed), so the next request misses the
cache and renders the current data. Only anonymous GET requests without a session are cached: they see nothing
personal.
"""

import hashlib
from collections import OrderedDict
from functools import wraps
from urllib.parse import urlencode

from django.core.cache import cache
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from .content import Content, versions
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


def _key(
    request, municipality, params: tuple[str, ...], reads: tuple[Content, ...], valid=None
) -> str | None:
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
    version = ".".join(str(v) for v in versions(municipality, reads))
    # The day is part of the key: pages say what is overdue, open or closing as of today, so a page
    # cached yesterday is not served after midnight.
    return f"page:{municipality.pk}:{version}:{timezone.localdate().isoformat()}:{get_language()}:{digest}"


def cached_public_page(
    view=None, *, params: tuple[str, ...] = (), reads: tuple[Content, ...] = (Content.PLANNING,), valid=None
):
    """Cache an anonymous visitor's rendered page by the versions of the content it ``reads``,
    language, path and the query parameters the page reads (``params``; a URL with others is not
    cached, nor one whose parameters the function ``valid(request.GET)`` refuses).

    Must wrap a view already wrapped by ``with_municipality``'s resolution (it reads
    ``request.municipality``): apply it *inside*, i.e. listed after, ``@with_municipality``. A
    response that sets a cookie (e.g. one that showed a message) is never stored.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, municipality, *args, **kwargs):
            key = _key(request, municipality, params, reads, valid) if _cacheable(request) else None
            if key is None:
                return view(request, municipality, *args, **kwargs)
            cached = cache.get(key)
            if cached is not None:
                return cached
            # Rendered from the primary: a page kept under a content version must not come from a
            # read replica that is still behind that version (core/db.py).
            with primary_reads():
                response = view(request, municipality, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                if hasattr(response, "render") and callable(response.render):
                    response.render()
                patch_vary_headers(response, ["Cookie"])
                cache.set(key, response, CACHE_SECONDS)
            return response

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
