"""Which public content of a municipality a write changed, said explicitly by the service.

Cached public pages and cached evaluations are keyed by the versions of the content they read, so a
change to one area (a forum post) leaves the caches of another (the plans' pages and evaluations)
in place. A service that changes what the public sees calls ``changed`` in its transaction; the
audit log records who did what and is not involved.
"""

import uuid
from enum import StrEnum

from django.core.cache import cache
from django.db import models, transaction

from .models import Municipality


class Content(StrEnum):
    # Plans and their goal trees, projects, indicators with their targets and published values, and
    # the municipality's own details: what the portal's cached pages and the plan evaluations read.
    PLANNING = "planning"
    # Consultations, surveys and the forum.
    PARTICIPATION = "participation"


FIELDS: dict[Content, str] = {
    Content.PLANNING: "planning_version",
    Content.PARTICIPATION: "participation_version",
}


def changed(municipality: Municipality, *areas: Content) -> None:
    """Move the version of each area on (one UPDATE), so the caches keyed by it miss next time, and,
    once the transaction has committed, give the areas new content tokens in the shared cache
    (core.cache), which cached pages are found by without reading the database."""
    if not areas:
        raise ValueError("Say which content changed.")
    Municipality.objects.filter(pk=municipality.pk).update(
        **{FIELDS[area]: models.F(FIELDS[area]) + 1 for area in set(areas)}
    )
    slug, renewed = municipality.slug, sorted(set(areas))
    transaction.on_commit(lambda: renew_content_tokens(slug, renewed), robust=True)


def versions(municipality: Municipality, areas) -> tuple[int, ...]:
    """The current versions of ``areas``, as read with the municipality's row."""
    return tuple(getattr(municipality, FIELDS[area]) for area in areas)


# Content tokens: the versions as the cache shared by every server process knows them (core.cache).


def _token_key(slug: str, area: Content) -> str:
    return f"content:{slug}:{area.value}"


def content_tokens(slug: str, areas: tuple[Content, ...], *, create: bool = True) -> tuple[str, ...] | None:
    """The current content tokens of ``areas`` of the municipality ``slug`` (one read of the cache);
    a missing one is created when ``create`` (only for a municipality known to exist, so that made-up
    addresses cannot fill the cache). None when one is missing: the caller renders the page."""
    keys = [_token_key(slug, area) for area in areas]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing and not create:
        return None
    if missing:
        for key in missing:
            cache.add(key, uuid.uuid4().hex, timeout=None)  # another process's new token wins
        found.update(cache.get_many(missing))
        if any(key not in found for key in keys):
            return None
    return tuple(found[key] for key in keys)


INSTALLATION_TOKEN = "content:*"  # renewed by every change of any municipality


def installation_token() -> str | None:
    """The token of everything public in the installation (what a list across municipalities
    reads), renewed by any change anywhere; created when missing. None when the cache fails."""
    token = cache.get(INSTALLATION_TOKEN)
    if token is None:
        cache.add(INSTALLATION_TOKEN, uuid.uuid4().hex, timeout=None)
        token = cache.get(INSTALLATION_TOKEN)
    return token


def renew_content_tokens(slug: str, areas) -> None:
    """Give ``areas`` of the municipality ``slug`` new tokens, and the installation a new one: what
    was cached under the old ones is never served again. Called by ``content.changed`` once the
    transaction has committed."""
    tokens = {_token_key(slug, Content(area)): uuid.uuid4().hex for area in areas}
    cache.set_many({**tokens, INSTALLATION_TOKEN: uuid.uuid4().hex}, timeout=None)
