"""Reads that several apps share: who may download an uploaded file (the answer every app gives for
the files its records store, which portal.media asks in turn, and core's own for municipalities'
logos), whether a person is blocked from taking part in a municipality, and the last changes of
a municipality's content (the audit log, for the back office's home)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

from django.apps import apps
from django.db.models import Count, Q

from .models import AuditEvent, Block, Membership, Municipality


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


# The back office's home: the last changes of the municipality's content, from the audit log. The
# log's other entries (roles, blocks, flags, moderation of people's posts) are not for every member
# of staff; their own pages show them to those who may see them.
CHANGES_SHOWN = ("plans.", "projects.", "indicators.", "consultations.consultation", "surveys.survey",
                 "planfiles.", "core.municipality")  # fmt: skip


@dataclass
class Change:
    at: datetime.datetime
    actor: str  # the person's name; "" for the operator (a command on the server)
    action: str
    what: str  # the kind of record (the model's name)
    name: str  # the record as it was named then


def recent_changes(*, municipality: Municipality, limit: int = 10) -> list[Change]:
    """The municipality's last changes to its plans, projects, indicators, consultations and
    surveys, with who made them and when, newest first: one query."""
    shown = Q()
    for prefix in CHANGES_SHOWN:
        shown |= Q(object_type__startswith=prefix)
    events = (
        AuditEvent.objects.filter(shown, municipality=municipality)
        .select_related("actor")
        .order_by("-at", "-pk")[:limit]
    )
    changes = []
    for event in events:
        try:
            what = str(apps.get_model(event.object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            what = event.object_type
        actor = event.actor.get_full_name() or event.actor.get_username() if event.actor else ""
        changes.append(
            Change(at=event.at, actor=actor, action=event.action, what=what, name=event.object_repr)
        )
    return changes
