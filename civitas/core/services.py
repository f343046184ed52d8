import json
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from . import content, permissions, policy
from .errors import ConflictError
from .models import RESERVED_SLUGS, AuditEvent, Membership, Municipality, Role


def audit_record(
    *,
    actor,
    municipality: Municipality | None,
    action: str,
    obj,
    changes: dict | None = None,
    reason: str = "",
    authority: permissions.Action | None = None,
):
    """Append one event to the audit log: who did what to which object, and why (``reason``, as
    the person gave it). ``authority``: the permission the service checked; the role the actor
    held for it here is recorded with the event (what the public change history names instead of
    the person).

    The log is written, never read for decisions; which public content changed is said separately
    (core.content.changed).
    """
    return AuditEvent.objects.create(
        municipality=municipality,
        actor=recorded_actor(actor),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        changes=changes or {},
        role=permissions.acting_role(actor, municipality, authority) if authority is not None else "",
        reason=reason.strip(),
    )


def recorded_actor(actor):
    """The user the audit log names for ``actor``: nobody for the anonymous and the operator."""
    return actor if getattr(actor, "is_authenticated", False) and actor.pk is not None else None


class _ContentEncoder(DjangoJSONEncoder):
    def default(self, o):
        try:
            return super().default(o)
        except TypeError:
            return str(o)  # files by name, related rows by their name


def row_content(obj) -> dict:
    """A row's editable fields as JSON, for the audit log's record of what was deleted."""
    return json.loads(json.dumps(model_to_dict(obj), cls=_ContentEncoder))


def bump_version(*, instance: models.Model, expected_version: int | None) -> None:
    """Optimistic locking: raise ConflictError unless the stored version is the one the editor saw.

    Moves the stored version one up in the same statement, so of two concurrent saves exactly one
    passes.
    """
    model: Any = type(instance)  # a model with a ``version`` field
    if expected_version is None:
        expected_version = instance.version  # type: ignore[attr-defined]
    updated = model.objects.filter(pk=instance.pk, version=expected_version).update(
        version=models.F("version") + 1
    )
    if updated != 1:
        raise ConflictError()
    instance.version = expected_version + 1  # type: ignore[attr-defined]


def field_changes(instance, data: dict) -> dict:
    """The fields of ``data`` whose value differs from the instance's, as {field: [old, new]}."""
    changes = {}
    for field, new in data.items():
        old = getattr(instance, field)
        if old != new:
            changes[field] = [_jsonable(old), _jsonable(new)]
    return changes


def _jsonable(value):
    if value is None or isinstance(value, (bool, int, float, str, list, dict)):
        return value
    return str(value)


EKATTE_PATTERN = re.compile(r"\d{5}")
NUTS_PATTERN = re.compile(r"[A-Z]{2}[0-9A-Z]{1,3}")


@transaction.atomic
def municipality_create(
    *,
    actor,
    slug: str,
    name_bg: str,
    name_en: str = "",
    ekatte: str = "",
    nuts: str = "",
    year_start_month: int = 1,
    email: str = "",
    **fields,
) -> Municipality:
    """Create a municipality: a platform superuser or the operator (the command
    ``create_municipality``). Every refusal at once, by field, and nothing created on any."""
    policy.require_runs_platform(actor)
    slug, name_bg, name_en = (slug or "").strip(), (name_bg or "").strip(), (name_en or "").strip()
    ekatte, nuts, email = (ekatte or "").strip(), (nuts or "").strip().upper(), (email or "").strip()
    errors: dict[str, list] = {}
    if not slug:
        errors["slug"] = [_("Give the address name, e.g. sopot.")]
    elif not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):
        errors["slug"] = [
            _("The address name may hold only small Latin letters, digits and hyphens, e.g. stara-zagora.")
        ]
    elif slug in RESERVED_SLUGS:
        errors["slug"] = [_("This address name is reserved by the platform.")]
    elif Municipality.objects.filter(slug=slug).exists():
        errors["slug"] = [_("A municipality with this address name already exists.")]
    if not name_bg:
        errors["name_bg"] = [_("Give the municipality's name in Bulgarian.")]
    if ekatte and not EKATTE_PATTERN.fullmatch(ekatte):
        errors["ekatte"] = [_("The EKATTE code is five digits, e.g. 68080.")]
    if nuts and not NUTS_PATTERN.fullmatch(nuts):
        errors["nuts"] = [_("The NUTS code is two letters and up to three letters or digits, e.g. BG421.")]
    if not isinstance(year_start_month, int) or not 1 <= year_start_month <= 12:
        errors["year_start_month"] = [_("The reporting year starts in a month from 1 to 12.")]
    municipality = Municipality(
        slug=slug, name_bg=name_bg, name_en=name_en, ekatte=ekatte, nuts=nuts,
        year_start_month=year_start_month, email=email, **fields,
    )  # fmt: skip
    try:
        municipality.full_clean(exclude=list(errors))
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    municipality.save()
    audit_record(
        actor=actor, municipality=municipality, action="create_municipality", obj=municipality,
        changes={"slug": slug, "name_bg": name_bg},
    )  # fmt: skip
    return municipality


def membership_grant(*, actor, user, municipality: Municipality, role: str) -> Membership:
    """Give ``user`` a staff role in the municipality (its administrators, or the operator)."""
    permissions.require(actor, municipality, permissions.Action.MANAGE_STAFF)
    if role not in Role.values:
        raise ValidationError({"role": [_("Choose one of the roles offered.")]})
    membership, created = Membership.objects.get_or_create(user=user, municipality=municipality, role=role)
    if created:
        audit_record(
            actor=actor, municipality=municipality, action="grant_role", obj=membership,
            changes={"user": user.pk, "role": role},
        )  # fmt: skip
    return membership


def _keeps_an_administrator(membership: Membership) -> None:
    """Refuse to take away the municipality's last administrator role: nobody could then give roles."""
    if membership.role != Role.ADMINISTRATOR:
        return
    others = (
        Membership.objects.select_for_update()
        .filter(municipality_id=membership.municipality_id, role=Role.ADMINISTRATOR)
        .exclude(pk=membership.pk)
    )
    if not others.exists():
        raise ValidationError(
            {
                "role": [
                    _("This is the municipality's last administrator: make someone else administrator first.")
                ]
            }
        )


@transaction.atomic
def membership_revoke(*, actor, membership: Membership) -> None:
    """Take a staff role away (its administrators, or the operator); the revocation is recorded.
    The last administrator of a municipality keeps the role."""
    municipality = membership.municipality
    permissions.require(actor, municipality, permissions.Action.MANAGE_STAFF)
    _keeps_an_administrator(membership)
    audit_record(
        actor=actor, municipality=municipality, action="revoke_role", obj=membership,
        changes={"user": membership.user_id, "role": membership.role},
    )  # fmt: skip
    membership.delete()


@transaction.atomic
def membership_change(*, actor, membership: Membership, role: str) -> Membership:
    """Replace a staff role by another for the same person (revoking the old one, recorded)."""
    municipality = membership.municipality
    permissions.require(actor, municipality, permissions.Action.MANAGE_STAFF)
    if role not in Role.values:
        raise ValidationError({"role": [_("Choose one of the roles offered.")]})
    if role == membership.role:
        return membership
    _keeps_an_administrator(membership)
    new, _created = Membership.objects.get_or_create(
        user_id=membership.user_id, municipality=municipality, role=role
    )
    audit_record(
        actor=actor, municipality=municipality, action="change_role", obj=new,
        changes={"user": membership.user_id, "role": [membership.role, role]},
    )  # fmt: skip
    membership.delete()
    return new


@transaction.atomic
def municipality_evaluation_update(
    *, actor, municipality: Municipality, on_track_threshold: Decimal, at_risk_threshold: Decimal,
    stale_grace_days: int, year_start_month: int,
) -> Municipality:  # fmt: skip
    """How the municipality's indicators are rated: the thresholds of the traffic light (0 ≤ at
    risk ≤ on track ≤ 1), the days of grace before a value is stale, and the month its reporting
    years start in (a plan may set its own). Every page's evaluation changes with them."""
    permissions.require(actor, municipality, permissions.Action.MANAGE_MUNICIPALITY)
    errors: dict = {}
    if not Decimal(0) <= at_risk_threshold <= on_track_threshold <= Decimal(1):
        errors["at_risk_threshold"] = [
            _("The thresholds must satisfy 0 ≤ at risk ≤ on track ≤ 1, e.g. 0.60 and 0.85.")
        ]
    if stale_grace_days < 0:
        errors["stale_grace_days"] = [_("The grace period is zero days or more.")]
    if not 1 <= year_start_month <= 12:
        errors["year_start_month"] = [_("Choose the month the reporting year starts in (1–12).")]
    if errors:
        raise ValidationError(errors)
    data = {"on_track_threshold": on_track_threshold, "at_risk_threshold": at_risk_threshold,
            "stale_grace_days": stale_grace_days, "year_start_month": year_start_month}  # fmt: skip
    changes = field_changes(municipality, data)
    for field, value in data.items():
        setattr(municipality, field, value)
    municipality.save(update_fields=list(data))
    content.changed(municipality, content.Content.PLANNING)
    audit_record(actor=actor, municipality=municipality, action="update", obj=municipality, changes=changes)
    return municipality
