"""Which public content of a municipality a write changed, said explicitly by the service.

Cached public pages and cached evaluations are keyed by the versions of the content they read, so a
change to one area (a forum post) leaves the caches of another (the plans' pages and evaluations)
in place. A service that changes what the public sees calls ``changed`` in its transaction; the
audit log records who did what and is not involved.
"""

from enum import StrEnum

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
    from .cache import renew_content_tokens  # cache reads this module's Content

    slug, renewed = municipality.slug, sorted(set(areas))
    transaction.on_commit(lambda: renew_content_tokens(slug, renewed), robust=True)


def versions(municipality: Municipality, areas) -> tuple[int, ...]:
    """The current versions of ``areas``, as read with the municipality's row."""
    return tuple(getattr(municipality, FIELDS[area]) for area in areas)
