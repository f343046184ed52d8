"""Reads that several apps share: who may download an uploaded file (the answer every app gives for
the files its records store, which portal.media asks in turn, and core's own for municipalities'
logos), and whether a person is blocked from taking part in a municipality."""

from collections.abc import Iterable
from enum import IntEnum

from django.db.models import Count

from .models import Block, Membership, Municipality


class FileAccess(IntEnum):
    """What one record that stores a file allows the person asking; ordered from the strictest."""

    DENIED = 0  # this person may not see it: it answers 404, like a file that does not exist
    PRIVATE = 1  # this person may, not everyone: no shared cache may keep it
    PUBLIC = 2  # anyone may


def strictest(accesses: Iterable[FileAccess]) -> FileAccess | None:
    """What all the records that store one file allow together (None: no record stores it).
    The strictest wins, so a file is never more public than any record it belongs to."""
    return min(accesses, default=None)


def logo_access(user, name: str) -> FileAccess | None:
    """A municipality's logo is public; None if no municipality stores ``name`` as its logo."""
    if name and Municipality.objects.filter(logo=name).exists():
        return FileAccess.PUBLIC
    return None


def is_blocked(user, municipality: Municipality) -> bool:
    """Whether the municipality's moderators blocked ``user`` from its forum and consultations (one
    indexed query; False, without a query, for someone not signed in)."""
    if not getattr(user, "is_authenticated", False) or user.pk is None:
        return False
    return Block.objects.filter(municipality=municipality, user=user).exists()


def staff_memberships(*, municipality: Municipality):
    """The municipality's staff roles with their people (the staff page), in one query whatever
    their number; ``user__profile`` is the accounts' profile (the display name), read by name."""
    return (
        Membership.objects.filter(municipality=municipality)
        .select_related("user", "user__profile")
        .order_by("user__email", "user__username", "role")
    )


def platform_municipalities():
    """Every municipality, by name, with its number of staff roles (the platform's page): one query."""
    return Municipality.objects.annotate(staff_count=Count("memberships")).order_by("name_bg", "slug")
