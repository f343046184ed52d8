"""What plan files need from indicators beyond the passport services: an indicator's year-to-date
flag and the other elements it serves (not part of the passport), and values already published in
a document recorded as published by a named verifier. (A verifier's status overrides go through
``services.override_set``, as in the back office.)

Each is a service: it asks ``policy`` first, validates with ``rules``, writes in a transaction and
is audited. A plan file's importer (``planfiles.imports``) calls them inside its own transaction.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.core import content
from civitas.core.content import Content
from civitas.core.services import audit_record, field_changes
from civitas.plans.models import PlanElement

from . import policy, rules
from .models import Indicator, Measurement, MeasurementState
from .services import _check_values, _raise, _shown, _values


@transaction.atomic
def indicator_links_set(
    *, actor, indicator: Indicator, year_to_date: bool, also_element_ids: list[int]
) -> Indicator:
    """Set whether the indicator's values are year to date and which other elements (of any plan
    of the municipality, never its own) it also serves."""
    policy.require_edit_passports(actor, indicator.municipality)
    wanted = set(also_element_ids)
    found = set(
        PlanElement.objects.filter(pk__in=wanted, plan__municipality=indicator.municipality).values_list(
            "pk", flat=True
        )
    )
    if found != wanted or indicator.element_id in wanted:
        raise ValidationError(
            {
                "also_elements": [
                    _("An indicator also serves other elements of the municipality's plans only.")
                ]
            }
        )
    changes = field_changes(indicator, {"year_to_date": year_to_date})
    before = sorted(indicator.also_elements.values_list("pk", flat=True))
    if before != sorted(wanted):
        changes["also_elements"] = [before, sorted(wanted)]
    if not changes:
        return indicator
    indicator.year_to_date = year_to_date
    indicator.save(update_fields=["year_to_date", "updated_at"])
    indicator.also_elements.set(wanted)
    content.changed(indicator.municipality, Content.PLANNING)
    audit_record(
        actor=actor, municipality=indicator.municipality, action="update", obj=indicator, changes=changes
    )
    return indicator


@transaction.atomic
def measurement_record_published(
    *,
    actor,
    indicator: Indicator,
    year: int,
    sub: int = 0,
    value=None,
    numerator=None,
    denominator=None,
    breakdown: dict | None = None,
    collected_on: datetime.date | None = None,
    comment: str = "",
    evidence_url: str = "",
    evidence_name: str = "",
    source: str,
) -> Measurement:
    """Record a value already published in a document (``source``, e.g. the name of the file it
    came in; ``evidence_name``: that document as stored, if it is) as published by the verifier
    ``actor``, in one step: it counts at once. A period that has a value already is refused."""
    if not policy.can_verify(actor, indicator.municipality) or getattr(actor, "pk", None) is None:
        raise PermissionDenied(_("Only a verifier records published values."))
    values = _values(value, numerator, denominator, breakdown)
    _check_values(indicator, year, sub, values)
    _raise(rules.check_evidence_url(evidence_url))
    if Measurement.objects.filter(indicator=indicator, year=year, sub=sub).exists():
        raise ValidationError({"period": [_("This period already has a value.")]})
    now = timezone.now()
    measurement = Measurement(
        indicator=indicator, year=year, sub=sub, collected_on=collected_on, comment=comment,
        evidence_url=evidence_url, state=MeasurementState.PUBLISHED, entered_by=actor, approved_by=actor,
        submitted_at=now, approved_at=now, **values,
    )  # fmt: skip
    if evidence_name:
        measurement.evidence.name = evidence_name
    measurement.published_text = _shown(measurement)
    measurement.save()
    content.changed(indicator.municipality, Content.PLANNING)
    audit_record(
        actor=actor, municipality=indicator.municipality, action="publish_reported", obj=measurement,
        changes={"source": source, "value": measurement.published_text},
    )  # fmt: skip
    return measurement
