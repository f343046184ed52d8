"""Every write to indicators, targets and measurements, with the measurement workflow.

Workflow: draft → submitted → returned (with a note) | approved → published. Who may do each
step is ``policy``'s to say, and every service asks it first: only the indicator's owner (or, for
an indicator without owner, a user with the indicator-owner role) enters and submits; only a
verifier returns, approves and publishes, and never a person who typed the value. Changes to a
baseline, a target or an approved value need a reason and are kept in the indicator's history.

Only published values, passports and targets are public: a draft, submitted, returned or approved
value changes no public content (``content.changed`` is not called for it).
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.core import content
from civitas.core.content import Content
from civitas.core.errors import ConflictError
from civitas.core.models import AuditEvent, Municipality
from civitas.core.permissions import Action, acting_role
from civitas.core.services import audit_record, bump_version, field_changes
from civitas.core.uploads import check_upload
from civitas.plans import policy as plan_policy
from civitas.plans.models import PlanElement
from civitas.projects.models import Project

from . import policy, rules
from .evaluation import indicator_year_start, spec_for
from .models import Indicator, IndicatorChange, Measurement, MeasurementState, StatusOverride, Target
from .passport import IndicatorPassport
from .rules import indicator_period, period_of

HISTORY_FIELDS = {"baseline_value", "baseline_year"}
EDITABLE_STATES = (MeasurementState.DRAFT, MeasurementState.RETURNED)


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _clean_passport(indicator: Indicator, passport: IndicatorPassport) -> None:
    errors = rules.check_passport(passport, period=indicator_period(indicator))
    try:
        indicator.full_clean(
            exclude=["municipality", "element", "project", "owner"], validate_constraints=False
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    _raise(errors)


@transaction.atomic
def indicator_create(
    *,
    actor,
    municipality: Municipality,
    element: PlanElement | None = None,
    project: Project | None = None,
    passport: IndicatorPassport,
    targets: list[dict] | None = None,
    also_elements: Sequence[PlanElement] = (),
) -> Indicator:
    """A new indicator on a plan element or a project; ``also_elements``: other elements (of any plan
    of the municipality) it also serves, counted in their roll-ups too."""
    policy.require_edit_passports(actor, municipality)
    errors: dict = {}
    if (element is None) == (project is None):
        errors["element"] = [_("Attach the indicator to one plan element or to one project.")]
    elif element is not None and element.plan.municipality_id != municipality.pk:
        errors["element"] = [_("This plan element belongs to another municipality.")]
    elif project is not None and project.municipality_id != municipality.pk:
        errors["project"] = [_("This project belongs to another municipality.")]
    if Indicator.objects.filter(municipality=municipality, code=passport.code).exists():
        errors["code"] = [_("Another indicator of the municipality already has this code.")]
    _raise(errors)
    if element is not None:
        plan_policy.require_unfrozen(element.plan_id)
    indicator = Indicator(municipality=municipality, element=element, project=project, **passport.values())
    _clean_passport(indicator, passport)
    indicator.save()
    for target in targets or []:
        _target_write(indicator=indicator, **target)
    _check_evaluable(indicator)
    _set_also_elements(indicator, also_elements)
    content.changed(municipality, Content.PLANNING)
    audit_record(
        actor=actor, municipality=municipality, action="create", obj=indicator,
        changes={"code": [None, indicator.code]}
        | ({"also_elements": [e.code for e in also_elements]} if also_elements else {}),
        authority=Action.EDIT_PLAN,
    )  # fmt: skip
    return indicator


def _refuse_if_frozen(indicator: Indicator) -> None:
    """An indicator of a plan's element, with its baseline and targets, is part of what the plan's
    versions hold: frozen while the plan is in force. Its values and their approval are not."""
    if indicator.element is not None:
        plan_policy.require_unfrozen(indicator.element.plan_id)


def _set_also_elements(indicator: Indicator, elements: Sequence[PlanElement]) -> dict:
    """Make the elements the indicator also serves exactly ``elements``; the change, for the audit log."""
    errors = []
    for element in elements:
        if element.plan.municipality_id != indicator.municipality_id:
            errors.append(
                _("The plan element %(code)s belongs to another municipality.") % {"code": element.code}
            )
        elif element.pk == indicator.element_id:
            errors.append(
                _("The indicator already serves %(code)s, the element it belongs to.")
                % {"code": element.code}
            )
    if errors:
        raise ValidationError({"also_elements": errors})
    before = {pk: code for pk, code in indicator.also_elements.values_list("pk", "code")}
    if set(before) == {element.pk for element in elements}:
        return {}
    indicator.also_elements.set(elements)
    return {"also_elements": [sorted(before.values()), sorted(element.code for element in elements)]}


@transaction.atomic
def indicator_update(
    *, actor, indicator: Indicator, expected_version: int, passport: IndicatorPassport, reason: str = ""
) -> Indicator:
    """Change a passport; a changed baseline needs the reason and is kept in the history. To change
    a few fields: ``passport=dataclasses.replace(IndicatorPassport.of(indicator), field=value)``."""
    policy.require_edit_passports(actor, indicator.municipality)
    _refuse_if_frozen(indicator)
    _update_fields(
        actor=actor, indicator=indicator, expected_version=expected_version, reason=reason, passport=passport
    )
    _check_evaluable(indicator)
    return indicator


@transaction.atomic
def indicator_edit(
    *,
    actor,
    indicator: Indicator,
    expected_version: int,
    passport: IndicatorPassport,
    targets: list[dict],
    reason: str = "",
    also_elements: Sequence[PlanElement] | None = None,
) -> Indicator:
    """Change a passport and its targets together, as the staff edit page does: ``targets`` is the
    whole new list ({year, sub, value, is_final}); a changed or removed target, like a changed
    baseline, needs the reason and is kept in the history; ``also_elements``: the whole new list
    of other elements it serves (None: unchanged). All or nothing."""
    policy.require_edit_passports(actor, indicator.municipality)
    _refuse_if_frozen(indicator)
    _update_fields(
        actor=actor, indicator=indicator, expected_version=expected_version, reason=reason, passport=passport
    )
    _targets_apply(actor=actor, indicator=indicator, targets=targets, reason=reason)
    _check_evaluable(indicator)
    if also_elements is not None:
        shared = _set_also_elements(indicator, also_elements)
        if shared:
            audit_record(
                actor=actor,
                municipality=indicator.municipality,
                action="update",
                obj=indicator,
                changes=shared,
                authority=Action.EDIT_PLAN,
            )
    return indicator


def _update_fields(
    *, actor, indicator: Indicator, expected_version: int, reason: str, passport: IndicatorPassport
) -> None:
    fields = passport.values()
    changes = field_changes(indicator, fields)
    if "code" in changes and (
        Indicator.objects.filter(municipality_id=indicator.municipality_id, code=fields["code"])
        .exclude(pk=indicator.pk)
        .exists()
    ):
        raise ValidationError({"code": [_("Another indicator of the municipality already has this code.")]})
    if set(changes) & HISTORY_FIELDS and not reason.strip():
        raise ValidationError({"reason": [_("A change to the baseline needs a reason.")]})
    before = {field: getattr(indicator, field) for field in HISTORY_FIELDS}
    for field, value in fields.items():
        setattr(indicator, field, value)
    _clean_passport(indicator, passport)
    bump_version(instance=indicator, expected_version=expected_version)
    indicator.save()
    for field in sorted(set(changes) & HISTORY_FIELDS):
        IndicatorChange.objects.create(
            indicator=indicator, field=field, old_value=_text(before[field]), new_value=_text(fields[field]),
            reason=reason.strip(), changed_by=_user(actor),
        )  # fmt: skip
    content.changed(indicator.municipality, Content.PLANNING)
    audit_record(
        actor=actor, municipality=indicator.municipality, action="update", obj=indicator, changes=changes,
        reason=reason if set(changes) & HISTORY_FIELDS else "", authority=Action.EDIT_PLAN,
    )  # fmt: skip


def _targets_apply(*, actor, indicator: Indicator, targets: list[dict], reason: str) -> None:
    """Make the indicator's targets exactly ``targets``; changes and removals need the reason."""
    existing = {(t.year, t.sub): t for t in Target.objects.filter(indicator=indicator)}
    wanted = {}
    for target in targets:
        key = (target["year"], target.get("sub", 0))
        if key in wanted:
            raise ValidationError(
                {"targets": [_("Two targets are given for the period %(period)s.")
                             % {"period": _period_text(indicator, *key)}]}
            )  # fmt: skip
        wanted[key] = target
    changed = [
        key for key, target in existing.items()
        if key not in wanted or Decimal(str(wanted[key]["value"])) != target.value
    ]  # fmt: skip
    if changed and not reason.strip():
        raise ValidationError({"reason": [_("A change to a target needs a reason.")]})
    for key in changed:
        old = existing[key]
        new = wanted.get(key)
        IndicatorChange.objects.create(
            indicator=indicator, field="target", period=_period_text(indicator, *key),
            old_value=_text(old.value), new_value=_text(Decimal(str(new["value"]))) if new else "",
            reason=reason.strip(), changed_by=_user(actor),
        )  # fmt: skip
        if new is None:
            old.delete()
    for key, target in wanted.items():
        _target_write(
            indicator=indicator, year=key[0], sub=key[1], value=target["value"],
            is_final=bool(target.get("is_final")),
        )  # fmt: skip
    if changed or set(wanted) - set(existing):
        content.changed(indicator.municipality, Content.PLANNING)
        changed_targets = {
            _period_text(indicator, *key): [
                _text(existing[key].value) if key in existing else None,
                _text(Decimal(str(wanted[key]["value"]))) if key in wanted else None,
            ]
            for key in sorted(set(changed) | (set(wanted) - set(existing)))
        }
        audit_record(
            actor=actor, municipality=indicator.municipality, action="set_targets", obj=indicator,
            changes={"targets": changed_targets}, reason=reason if changed else "", authority=Action.EDIT_PLAN,
        )  # fmt: skip


def _target_write(*, indicator: Indicator, year: int, value, sub: int = 0, is_final: bool = False) -> Target:
    _raise(
        rules.check_target(
            year=year, sub=sub, frequency=indicator.frequency, period=indicator_period(indicator)
        )
    )
    target, _created = Target.objects.update_or_create(
        indicator=indicator, year=year, sub=sub, defaults={"value": Decimal(str(value)), "is_final": is_final}
    )
    return target


@transaction.atomic
def target_set(
    *, actor, indicator: Indicator, year: int, value, sub: int = 0, is_final: bool = False, reason: str = ""
) -> Target:
    """Set the milestone or final target of a period; changing an existing one needs a reason."""
    policy.require_edit_passports(actor, indicator.municipality)
    _refuse_if_frozen(indicator)
    existing = Target.objects.filter(indicator=indicator, year=year, sub=sub).first()
    if existing is not None and existing.value != Decimal(str(value)) and not reason.strip():
        raise ValidationError({"reason": [_("A change to a target needs a reason.")]})
    target = _target_write(indicator=indicator, year=year, sub=sub, value=value, is_final=is_final)
    _check_evaluable(indicator)
    if existing is not None and existing.value != target.value:
        IndicatorChange.objects.create(
            indicator=indicator, field="target", period=_period_text(indicator, year, sub),
            old_value=_text(existing.value), new_value=_text(target.value), reason=reason.strip(),
            changed_by=_user(actor),
        )  # fmt: skip
    content.changed(indicator.municipality, Content.PLANNING)
    changed = existing is not None and existing.value != target.value
    audit_record(
        actor=actor, municipality=indicator.municipality, action="set_target", obj=indicator,
        changes={"targets": {_period_text(indicator, year, sub): [
            _text(existing.value) if existing is not None else None, _text(target.value)
        ]}},
        reason=reason if changed else "", authority=Action.EDIT_PLAN,
    )  # fmt: skip
    return target


def _check_evaluable(indicator: Indicator) -> None:
    """The engine must be able to evaluate the passport with its targets (e.g. a target on the
    wrong side of the baseline for the direction is refused)."""
    try:
        spec_for(indicator, list(Target.objects.filter(indicator=indicator)))
    except ValueError as exc:
        detail = rules.engine_error_message(exc)
        raise ValidationError(
            {"targets": [_("The passport cannot be evaluated as it stands: %(detail)s") % {"detail": detail}]}
        ) from None


def _number(value, field: str):
    """rules.parse_number, its refusal put on ``field``: every caller (form, import, command, API)
    stores only numbers the column holds exactly."""
    try:
        return rules.parse_number(value)
    except rules.NumberError as error:
        raise ValidationError({field: [str(error)]}) from None


def _check_values(indicator: Indicator, year: int, sub: int, values: dict) -> None:
    _raise(
        rules.check_measurement(
            year=year, sub=sub, frequency=indicator.frequency, period=indicator_period(indicator),
            measure=indicator.measure, value=values["value"], numerator=values["numerator"],
            denominator=values["denominator"], scale=(indicator.scale_min, indicator.scale_max),
            breakdown=values["breakdown"], dimensions=indicator.disaggregation,
            accumulation=indicator.accumulation,
        )
    )  # fmt: skip


def _values(value, numerator, denominator, breakdown) -> dict:
    errors: dict = {}
    values: dict = {}
    for field, raw in (("value", value), ("numerator", numerator), ("denominator", denominator)):
        try:
            values[field] = _number(raw, field)
        except ValidationError as error:
            errors.update(error.message_dict)
    try:
        values["breakdown"] = _plain_breakdown(breakdown or {})
    except ValidationError as error:
        errors.update(error.message_dict)
    _raise(errors)
    return values


def _plain_breakdown(breakdown: dict) -> dict:
    """Disaggregated values as JSON numbers (whole numbers stay whole); a value that is no number
    the measurement could hold is refused (an infinity would not even be valid JSON)."""
    if not isinstance(breakdown, dict) or not all(isinstance(v, dict) for v in breakdown.values()):
        raise ValidationError({"breakdown": [_("The disaggregated values must be numbers by category.")]})

    def plain(value):
        number = _number(value, "breakdown")
        if number is None:
            return None
        return int(number) if number == number.to_integral() else float(number)

    return {dim: {cat: plain(v) for cat, v in values.items()} for dim, values in breakdown.items()}


def measurement_save(
    *,
    actor,
    indicator: Indicator,
    year: int,
    sub: int = 0,
    value=None,
    numerator=None,
    denominator=None,
    breakdown: dict | None = None,
    collected_on=None,
    comment: str = "",
    evidence: UploadedFile | None = None,
    evidence_url: str = "",
    expected_version: int | None = None,
    submit: bool = False,
) -> Measurement:
    """Enter or change the draft (or returned) value of a period, and with ``submit`` submit it for
    approval at once: all or nothing. ``evidence`` is the uploaded evidence file as it came: it is
    checked (core.uploads) before the transaction opens, since that may take a while."""
    policy.require_enter(actor, indicator)
    checked = None
    if evidence is not None:
        try:
            checked = check_upload(evidence, photo=False)[0]
        except ValidationError as error:
            raise ValidationError({"evidence": error.message_dict["upload"]}) from None
    values = _values(value, numerator, denominator, breakdown)
    with transaction.atomic():
        measurement = _save(
            actor=actor, indicator=indicator, year=year, sub=sub, values=values, collected_on=collected_on,
            comment=comment, evidence=checked, evidence_url=evidence_url, expected_version=expected_version,
        )  # fmt: skip
        if submit:
            _submit(actor=actor, measurement=measurement)
    return measurement


def _save(
    *, actor, indicator: Indicator, year: int, sub: int, values: dict, collected_on, comment: str, evidence,
    evidence_url: str, expected_version: int | None,
) -> Measurement:  # fmt: skip
    _check_values(indicator, year, sub, values)
    _raise(rules.check_evidence_url(evidence_url))
    measurement = (
        Measurement.objects.select_for_update().filter(indicator=indicator, year=year, sub=sub).first()
    )
    if measurement is None:
        measurement = Measurement(indicator=indicator, year=year, sub=sub, entered_by=_user(actor))
        action = "create"
    else:
        if measurement.state not in EDITABLE_STATES:
            raise ValidationError(
                {
                    "__all__": [
                        _("This value is already submitted or approved: correct it with a reason instead.")
                    ]
                }
            )
        bump_version(instance=measurement, expected_version=expected_version)
        action = "update"
    for field, new in values.items():
        setattr(measurement, field, new)
    measurement.collected_on = collected_on
    measurement.comment = comment
    measurement.evidence_url = evidence_url
    if evidence is not None:
        measurement.evidence = evidence
    measurement.entered_by = _user(actor)
    measurement.save()
    _typed_by(measurement, actor)
    # A draft is not public: no public content changed.
    audit_record(
        actor=actor, municipality=indicator.municipality, action=action, obj=measurement,
        authority=Action.ENTER_MEASUREMENT,
    )  # fmt: skip
    return measurement


def _typed_by(measurement: Measurement, actor) -> None:
    """Remember that ``actor`` typed this value (policy.typed: they never approve it)."""
    user = _user(actor)
    if user is not None:
        measurement.typed_by.add(user)


@dataclass(frozen=True)
class MeasurementInput:
    """One period's value for ``measurements_save_many``: the arguments of ``measurement_save``."""

    indicator: Indicator
    year: int
    sub: int = 0
    value: object = None
    numerator: object = None
    denominator: object = None
    breakdown: dict | None = None
    collected_on: datetime.date | None = None
    comment: str = ""
    evidence_url: str = ""


def _checked_items(
    municipality: Municipality, items: Sequence[MeasurementInput], *, refusal: str, check=None
) -> tuple[dict[int, ValidationError | PermissionDenied], list[tuple[int, MeasurementInput, dict]]]:
    """Each item checked as ``measurement_save`` checks a value (and by ``check``, e.g. a policy):
    a period given once, an indicator of this municipality (``refusal`` otherwise), its values and
    evidence link. Returns the refusals by the item's index and the items that passed, with their
    values."""
    errors: dict[int, ValidationError | PermissionDenied] = {}
    checked: list[tuple[int, MeasurementInput, dict]] = []
    seen: set[tuple[int, int, int]] = set()
    for index, item in enumerate(items):
        try:
            key = (item.indicator.pk, item.year, item.sub)
            if key in seen:
                raise ValidationError({"period": [_("This period's value is given twice.")]})
            seen.add(key)
            if item.indicator.municipality_id != municipality.pk:
                raise PermissionDenied(refusal)
            if check is not None:
                check(item)
            values = _values(item.value, item.numerator, item.denominator, item.breakdown)
            _check_values(item.indicator, item.year, item.sub, values)
            _raise(rules.check_evidence_url(item.evidence_url))
        except (ValidationError, PermissionDenied) as error:
            errors[index] = error
            continue
        checked.append((index, item, values))
    return errors, checked


def _measurements_for(
    checked: list[tuple[int, MeasurementInput, dict]], errors: dict
) -> tuple[list[Measurement], list[Measurement], list[tuple[MeasurementInput, Measurement]]]:
    """The measurement each checked item writes, with its values, period, date and comment set: the
    stored one, locked, if it is still editable (a value already submitted or approved is refused
    into ``errors``), else a new one. Returns the new ones, the stored ones and each item's."""
    stored = {
        (m.indicator_id, m.year, m.sub): m
        for m in Measurement.objects.select_for_update().filter(
            indicator__in={item.indicator.pk for _index, item, _values in checked}
        )
    }
    created: list[Measurement] = []
    updated: list[Measurement] = []
    written: list[tuple[MeasurementInput, Measurement]] = []
    for index, item, values in checked:
        measurement = stored.get((item.indicator.pk, item.year, item.sub))
        if measurement is None:
            measurement = Measurement(indicator=item.indicator, year=item.year, sub=item.sub)
            created.append(measurement)
        elif measurement.state not in EDITABLE_STATES:
            errors[index] = ValidationError(
                {
                    "__all__": [
                        _("This value is already submitted or approved: correct it with a reason instead.")
                    ]
                }
            )
            continue
        else:
            measurement.version += 1  # locked above: no one else moves it meanwhile
            measurement.indicator = item.indicator
            updated.append(measurement)
        for field, new in values.items():
            setattr(measurement, field, new)
        measurement.collected_on, measurement.comment = item.collected_on, item.comment
        written.append((item, measurement))
    return created, updated, written


@transaction.atomic
def measurements_save_many(
    *, actor, municipality: Municipality, items: Sequence[MeasurementInput], submit: bool = False
) -> dict[int, ValidationError | PermissionDenied]:
    """Enter many values at once, as a file import does: the rules of ``measurement_save`` (and of
    ``measurement_submit`` with ``submit``) for each item, in a number of queries that does not grow
    with the items (the writes go in batches). All or nothing: returns the refusals by the item's
    index, and writes nothing unless there is none. Whoever may enter no value here is refused
    (PermissionDenied) before anything is read."""
    policy.require_enter_values(actor, municipality)

    def may_enter(item: MeasurementInput) -> None:
        item.indicator.municipality = municipality  # policy.can_enter's role check, once per actor
        policy.require_enter(actor, item.indicator)

    errors, checked = _checked_items(
        municipality, items, refusal=_("Only the indicator's owner enters its measurements."), check=may_enter
    )
    now, user = timezone.now(), _user(actor)
    created, updated, written = _measurements_for(checked, errors)
    for item, measurement in written:
        measurement.evidence_url, measurement.entered_by = item.evidence_url, user
        measurement.updated_at = now  # bulk_update does not set auto_now fields
        if submit:
            measurement.state = MeasurementState.SUBMITTED
            measurement.submitted_at = now
            measurement.return_note = ""
    if errors:
        return errors
    Measurement.objects.bulk_create(created)
    Measurement.objects.bulk_update(
        updated,
        ["value", "numerator", "denominator", "breakdown", "collected_on", "comment", "evidence_url",
         "entered_by", "state", "submitted_at", "return_note", "version", "updated_at"],
    )  # fmt: skip
    if user is not None:
        Measurement.typed_by.through.objects.bulk_create(
            [Measurement.typed_by.through(measurement_id=m.pk, user_id=user.pk) for m in created + updated],
            ignore_conflicts=True,
        )
    events = [("create", m) for m in created] + [("update", m) for m in updated]
    if submit:
        events += [("submit", m) for m in created + updated]
    # The audit log as audit_record writes it, one row per event. Drafts and submitted values are
    # not public: no public content changed.
    AuditEvent.objects.bulk_create(
        AuditEvent(
            municipality=municipality, actor=user, action=action, object_type=Measurement._meta.label_lower,
            object_id=str(m.pk), object_repr=str(m)[:300], changes={},
        )
        for action, m in events
    )  # fmt: skip
    return {}


def _transition(measurement: Measurement, allowed_from, to: str) -> None:
    if measurement.state not in allowed_from:
        raise ValidationError(
            {
                "__all__": [
                    _("A value in state “%(state)s” cannot move on this way.")
                    % {"state": measurement.get_state_display()}
                ]
            }
        )
    measurement.state = to


@transaction.atomic
def measurement_submit(*, actor, measurement: Measurement) -> Measurement:
    measurement = _locked(measurement)
    policy.require_enter(actor, measurement.indicator)
    return _submit(actor=actor, measurement=measurement)


def _submit(*, actor, measurement: Measurement) -> Measurement:
    _transition(measurement, EDITABLE_STATES, MeasurementState.SUBMITTED)
    measurement.submitted_at = timezone.now()
    measurement.return_note = ""
    measurement.save()
    # Submitted is not public: no public content changed.
    audit_record(
        actor=actor, municipality=measurement.indicator.municipality, action="submit", obj=measurement
    )
    return measurement


@transaction.atomic
def measurement_return(*, actor, measurement: Measurement, note: str) -> Measurement:
    measurement = _locked(measurement)
    policy.require_review(actor, measurement)
    if not note.strip():
        raise ValidationError({"note": [_("Say what needs to change when you return a value.")]})
    _transition(measurement, (MeasurementState.SUBMITTED,), MeasurementState.RETURNED)
    measurement.return_note = note.strip()
    measurement.save()
    # A submitted value goes back to its owner: the public saw neither.
    audit_record(
        actor=actor, municipality=measurement.indicator.municipality, action="return", obj=measurement
    )
    return measurement


@transaction.atomic
def measurement_approve(*, actor, measurement: Measurement, publish: bool = False) -> Measurement:
    measurement = _locked(measurement)
    policy.require_review(actor, measurement)
    _transition(measurement, (MeasurementState.SUBMITTED,), MeasurementState.APPROVED)
    measurement.approved_by = _user(actor)
    measurement.approved_at = timezone.now()
    changes: dict = {}
    reason = ""
    if publish:
        measurement.state = MeasurementState.PUBLISHED
        changes, reason = _publish_corrections(measurement)
    measurement.save()
    if publish:  # approved but not published is not public yet
        content.changed(measurement.indicator.municipality, Content.PLANNING)
    audit_record(
        actor=actor, municipality=measurement.indicator.municipality, action="approve", obj=measurement,
        changes=changes, reason=reason, authority=Action.VERIFY_MEASUREMENT,
    )  # fmt: skip
    return measurement


def _publish_corrections(measurement: Measurement) -> tuple[dict, str]:
    """The value is being published: its corrections since the last publication become one public
    history entry, from the value the public saw to this one, with the last correction's reason.
    A first publication is no change; the corrections stay in the staff's history. Returns what the
    audit log records of the publication (``published``: the value the public saw before, none
    for a first publication, and the one it sees now, with the indicator and period) and the
    correction's reason."""
    pending = list(
        IndicatorChange.objects.filter(
            measurement=measurement, field="measurement", is_public=False
        ).order_by("-changed_at", "-pk")
    )
    shown = _shown(measurement)
    reason = ""
    if pending and measurement.published_text and measurement.published_text != shown:
        latest = pending[0]
        IndicatorChange.objects.filter(pk=latest.pk).update(
            is_public=True, old_value=measurement.published_text, new_value=shown
        )
        reason = latest.reason
    changes = _published_change(measurement, measurement.published_text or None, shown)
    measurement.published_text = shown
    return changes, reason


def _published_change(measurement: Measurement, before: str | None, after: str | None) -> dict:
    """The audit log's record of what the public sees of a value: ``published`` [before, after]
    (none: not shown), with its indicator and period, as the public change history reads them."""
    return {
        "published": [before, after],
        "indicator": measurement.indicator_id,
        "period": [measurement.year, measurement.sub],
    }


@transaction.atomic
def measurement_publish(*, actor, measurement: Measurement) -> Measurement:
    measurement = _locked(measurement)
    policy.require_publish(actor, measurement)
    _transition(measurement, (MeasurementState.APPROVED,), MeasurementState.PUBLISHED)
    changes, reason = _publish_corrections(measurement)
    measurement.save()
    content.changed(measurement.indicator.municipality, Content.PLANNING)
    audit_record(
        actor=actor, municipality=measurement.indicator.municipality, action="publish", obj=measurement,
        changes=changes, reason=reason, authority=Action.VERIFY_MEASUREMENT,
    )  # fmt: skip
    return measurement


@transaction.atomic
def measurement_correct(
    *, actor, measurement: Measurement, reason: str, value=None, numerator=None, denominator=None,
    breakdown: dict | None = None, expected_version: int | None = None,
) -> Measurement:  # fmt: skip
    """Change an approved or published value: needs a reason, is kept in the public history, and
    goes back to the verifier (submitted) before it counts again. ``expected_version`` is the
    value's version the corrector saw: a correction made meanwhile by someone else is not
    overwritten."""
    measurement = _locked(measurement)
    indicator = measurement.indicator
    policy.require_enter(actor, indicator)
    if expected_version is not None and measurement.version != expected_version:
        raise ConflictError()
    if measurement.state not in (MeasurementState.APPROVED, MeasurementState.PUBLISHED):
        raise ValidationError({"__all__": [_("Only an approved value is corrected this way.")]})
    if not reason.strip():
        raise ValidationError({"reason": [_("A change to an approved value needs a reason.")]})
    values = _values(value, numerator, denominator, breakdown)
    _check_values(indicator, measurement.year, measurement.sub, values)
    was_public = measurement.state == MeasurementState.PUBLISHED
    old = _shown(measurement)
    for field, new in values.items():
        setattr(measurement, field, new)
    # Kept for staff at once; shown to the public only when the corrected value is published
    # (see _publish_corrections), so that no unverified value reaches the public history.
    IndicatorChange.objects.create(
        indicator=indicator, measurement=measurement, field="measurement",
        period=_period_text(indicator, measurement.year, measurement.sub), old_value=old, new_value=_shown(measurement),
        reason=reason.strip(), changed_by=_user(actor), is_public=False,
    )  # fmt: skip
    measurement.state = MeasurementState.SUBMITTED
    measurement.entered_by = _user(actor)
    measurement.approved_by = None
    measurement.approved_at = None
    measurement.submitted_at = timezone.now()
    measurement.version += 1
    measurement.save()
    _typed_by(measurement, actor)
    if was_public:  # the published value no longer counts until it is published again
        content.changed(indicator.municipality, Content.PLANNING)
    # A published value corrected is withdrawn from the public until it is verified again: the
    # history says so (the corrected value and its reason show when it is published again).
    audit_record(
        actor=actor, municipality=indicator.municipality, action="correct", obj=measurement,
        changes=_published_change(measurement, measurement.published_text, None) if was_public else None,
        reason=reason, authority=Action.ENTER_MEASUREMENT,
    )  # fmt: skip
    return measurement


def _locked(measurement: Measurement) -> Measurement:
    """The value locked for this transaction, with who typed it (policy.typed)."""
    return (
        Measurement.objects.select_for_update()
        .select_related("indicator__municipality")
        .prefetch_related("typed_by")
        .get(pk=measurement.pk)
    )


def _shown(measurement: Measurement) -> str:
    if measurement.numerator is not None and measurement.denominator is not None:
        return f"{_text(measurement.numerator)}/{_text(measurement.denominator)}"
    return _text(measurement.value)


def _period_text(indicator: Indicator, year: int, sub: int) -> str:
    period = period_of(year, sub, indicator.frequency, indicator_year_start(indicator))
    return period.label if period else f"{year}/{sub}"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _user(actor):
    """The person to record (None for nobody signed in and for the server's operator)."""
    return actor if getattr(actor, "is_authenticated", False) and actor.pk is not None else None


# Values from an already published document (the set-up task: imports.import_published_measurements,
# the command import_measurements --published) ------------------------------------------------------


def _document_evidence(evidence: UploadedFile | None, evidence_url: str):
    """The published document, checked before any transaction opens: its file as it will be stored
    (core.uploads), or its link. One of them is needed."""
    evidence_url = (evidence_url or "").strip()
    if evidence is None and not evidence_url:
        raise ValidationError(
            {"evidence": [_("Give the published document the values come from: upload it or give its link.")]}
        )
    _raise(
        {
            "evidence" if k == "evidence_url" else k: v
            for k, v in rules.check_evidence_url(evidence_url).items()
        }
    )
    if evidence is None:
        return None, evidence_url
    try:
        return check_upload(evidence, photo=False)[0], evidence_url
    except ValidationError as error:
        raise ValidationError({"evidence": error.message_dict["upload"]}) from None


def measurements_publish_from_document(
    *,
    actor,
    municipality: Municipality,
    items: Sequence[MeasurementInput],
    evidence: UploadedFile | None = None,
    evidence_url: str = "",
) -> dict[int, ValidationError | PermissionDenied]:
    """Record values that a document of the municipality has already published (its annual report,
    a published KPI report) as published at once, by ``actor``, a verifier, with the document as
    their evidence: its file, stored once and shared by every value, or its link (a row's own
    link stays). The rules of ``measurements_save_many`` for each item; a period whose value is
    already submitted, approved or published is refused (correct it with a reason instead). All or
    nothing: returns the refusals by the item's index and writes nothing unless there is none.
    Audited per value as "publish_from_document", naming the document. ValidationError (on
    ``evidence``) when the document is missing or not accepted, before anything is read."""
    policy.require_publish_from_document(actor, municipality)
    document, document_url = _document_evidence(evidence, evidence_url)
    with transaction.atomic():
        return _publish_from_document(
            actor=actor, municipality=municipality, items=items, document=document, document_url=document_url
        )


def _publish_from_document(*, actor, municipality, items, document, document_url) -> dict:
    errors, checked = _checked_items(
        municipality, items, refusal=_("Only a verifier publishes measurements.")
    )
    now, user = timezone.now(), _user(actor)
    created, updated, written = _measurements_for(checked, errors)
    for item, measurement in written:
        measurement.evidence_url = item.evidence_url or document_url
        measurement.entered_by = measurement.approved_by = user
        measurement.state = MeasurementState.PUBLISHED
        measurement.submitted_at = measurement.approved_at = measurement.updated_at = now
        measurement.return_note = ""
        measurement.published_text = _shown(measurement)
    if errors:
        return errors
    source = document_url
    if document is not None:
        # Stored once (as an evidence upload is), shared by every value: one file, one document.
        field = Measurement._meta.get_field("evidence")
        source = field.storage.save(field.generate_filename(Measurement(), document.name), document)
        for measurement in created + updated:
            measurement.evidence = source
    Measurement.objects.bulk_create(created)
    Measurement.objects.bulk_update(
        updated,
        ["value", "numerator", "denominator", "breakdown", "collected_on", "comment", "evidence", "evidence_url",
         "entered_by", "approved_by", "state", "submitted_at", "approved_at", "return_note", "published_text",
         "version", "updated_at"],
    )  # fmt: skip
    if user is not None:
        Measurement.typed_by.through.objects.bulk_create(
            [Measurement.typed_by.through(measurement_id=m.pk, user_id=user.pk) for m in created + updated],
            ignore_conflicts=True,
        )
    role = acting_role(actor, municipality, Action.VERIFY_MEASUREMENT)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            municipality=municipality, actor=user, action="publish_from_document",
            object_type=Measurement._meta.label_lower, object_id=str(m.pk), object_repr=str(m)[:300],
            changes={"document": source, "value": m.published_text} | _published_change(m, None, m.published_text),
            role=role,
        )
        for m in created + updated
    )  # fmt: skip
    if created or updated:
        content.changed(municipality, Content.PLANNING)
    return {}


# Status overrides ---------------------------------------------------------------------------------


def _override_changes(override: StatusOverride | None) -> dict:
    if override is None:
        return {}
    return {
        "period": [override.year, override.sub], "status": override.status, "reason_bg": override.reason_bg,
        "reason_en": override.reason_en, "decided_on": override.decided_on.isoformat(),
    }  # fmt: skip


def _override_locked(indicator: Indicator, year: int, sub: int) -> StatusOverride | None:
    return StatusOverride.objects.select_for_update().filter(indicator=indicator, year=year, sub=sub).first()


def _check_override_version(found: StatusOverride | None, expected_version: int | None) -> None:
    """An override is replaced, never changed in place, so its id is its version: the editor's form
    carries the id it saw (0 when there was none), and a change made meanwhile is not overwritten."""
    if expected_version is not None and (found.pk if found else 0) != expected_version:
        raise ConflictError()


@transaction.atomic
def override_set(
    *, actor, indicator: Indicator, year: int, sub: int = 0, status: str, reason_bg: str, reason_en: str = "",
    decided_on: datetime.date | None = None, expected_version: int | None = None,
) -> StatusOverride:  # fmt: skip
    """A verifier's status for one period of the indicator, with its public reason: shown beside
    the computed status, never replacing it. Replaces the period's earlier override (kept in the
    audit log). ``decided_on``: when the authority made the judgement (default today; the date of
    a published report for a past one): an evaluation as of an earlier date does not know it.
    ``expected_version``: the id of the override the verifier saw (0 = none)."""
    policy.require_override(actor, indicator.municipality)
    reason_bg, reason_en = reason_bg.strip(), reason_en.strip()
    context = False
    try:
        context = spec_for(indicator, indicator.targets.all()).context
    except ValueError:
        pass  # a passport that cannot be evaluated yet may still be judged
    _raise(
        rules.check_override(
            year=year,
            sub=sub,
            frequency=indicator.frequency,
            period=indicator_period(indicator),
            status=status,
            reason_bg=reason_bg,
            reason_en=reason_en,
            context=context,
            decided_on=decided_on,
            today=timezone.localdate(),
        )
    )
    found = _override_locked(indicator, year, sub)
    _check_override_version(found, expected_version)
    before = _override_changes(found)
    if found is not None:
        found.delete()
    override = StatusOverride.objects.create(
        indicator=indicator, year=year, sub=sub, status=status, reason_bg=reason_bg, reason_en=reason_en,
        decided_on=decided_on or timezone.localdate(), decided_by=_user(actor),
    )  # fmt: skip
    content.changed(indicator.municipality, Content.PLANNING)
    audit_record(
        actor=actor, municipality=indicator.municipality, action="override" if found is None else "update",
        obj=override, changes={"before": before, "after": _override_changes(override)},
    )  # fmt: skip
    return override


@transaction.atomic
def override_remove(
    *, actor, indicator: Indicator, year: int, sub: int = 0, expected_version: int | None = None
) -> None:
    """Withdraw the verifier's status of a period: the computed status stands alone again. The
    removed override is recorded in the audit log."""
    policy.require_override(actor, indicator.municipality)
    found = _override_locked(indicator, year, sub)
    _check_override_version(found, expected_version)
    if found is None:
        raise ValidationError({"__all__": [_("There is no assessment of this period to remove.")]})
    removed = _override_changes(found)
    audit_record(
        actor=actor, municipality=indicator.municipality, action="delete", obj=found, changes=removed
    )
    found.delete()
    content.changed(indicator.municipality, Content.PLANNING)
