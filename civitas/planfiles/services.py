"""The back office's plan-file upload: the file is kept (``PlanFileUpload``) between the preview of
what it will change and the confirmation that imports it, all or nothing (``imports``)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.core import content
from civitas.core.content import Content
from civitas.core.models import Municipality
from civitas.core.permissions import Action
from civitas.core.services import audit_record, recorded_actor
from civitas.council.models import Decision
from civitas.plans import policy as plan_policy
from civitas.plans import services as plan_services
from civitas.plans.models import IN_FORCE_KINDS, PLAN_STATUS_ORDER, Plan, PlanStatus, PlanVersion, VersionKind

from . import policy
from .imports import ImportResult, planfile_document, planfile_import
from .models import PlanFileUpload
from .planfile import MAX_BYTES

# An upload nobody confirmed is dropped after this long (and whenever its uploader uploads again).
KEPT_FOR = datetime.timedelta(days=1)


@transaction.atomic
def planfile_upload_create(
    *, actor, municipality: Municipality, file_name: str, data: bytes, replace: bool = False
) -> PlanFileUpload:
    """Keep an uploaded plan file for its preview; the uploader's earlier uploads here, and every
    upload older than a day, are dropped."""
    policy.require_import_plan(actor, municipality, replace=replace)
    if len(data) > MAX_BYTES:
        raise ValidationError(
            {
                "file": [
                    _("The file is larger than %(mb)s MB: it is not a plan file.")
                    % {"mb": MAX_BYTES // 2**20}
                ]
            }
        )
    PlanFileUpload.objects.filter(municipality=municipality, created_by=actor).delete()
    PlanFileUpload.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
    upload = PlanFileUpload.objects.create(
        municipality=municipality, created_by=actor, file_name=file_name[:255], data=data, replace=replace
    )
    audit_record(actor=actor, municipality=municipality, action="upload", obj=upload)
    return upload


def verifier_for(actor, municipality: Municipality):
    """Who the file's values are recorded as published by: the importing person when they may
    verify values here; otherwise none (and a file with values is refused, saying why)."""
    return actor if policy.can_publish_values(actor, municipality) else None


def planfile_upload_import(*, actor, upload: PlanFileUpload) -> ImportResult:
    """Import a kept upload, all or nothing (PlanImportError lists every problem); it is dropped
    once imported."""
    policy.require_import_plan(actor, upload.municipality, replace=upload.replace)
    result = planfile_import(
        actor=actor, municipality=upload.municipality, data=bytes(upload.data), name=upload.file_name,
        replace=upload.replace, verifier=verifier_for(actor, upload.municipality),
    )  # fmt: skip
    upload.delete()
    return result


# Versions of a plan -------------------------------------------------------------------------------
# A version is a snapshot of the plan's live data (its plan file document) at one stage. The live data
# is the working copy: editable while no version is in force (no versions at all, or a draft open),
# frozen while the latest version is adopted or amended (plans.policy.require_unfrozen). An open
# draft version (kind draft) is the working copy's marker: publishing it for consultation or adopting
# it records it as that stage with the snapshot of that moment; a consultation draft, an adopted and
# an amended version never change.


def _version_last(plan: Plan) -> PlanVersion | None:
    return PlanVersion.objects.select_for_update().filter(plan=plan).order_by("-number").first()


def _version_record(
    *, actor, plan: Plan, last: PlanVersion | None, kind: str, reuse_draft: bool, **fields
) -> PlanVersion:
    """The open draft version recorded as ``kind`` (when ``reuse_draft`` and the last version is a
    draft), or a new version after the last, with the snapshot of the plan's live data now."""
    snapshot = planfile_document(plan)
    if reuse_draft and last is not None and last.kind == VersionKind.DRAFT:
        version = last
        for field, value in ({"kind": kind, "snapshot": snapshot} | fields).items():
            setattr(version, field, value)
        version.save()
        action = f"record_{kind}"
    else:
        number = 1 if last is None else last.number + 1
        version = PlanVersion.objects.create(
            plan=plan, number=number, kind=kind, snapshot=snapshot, created_by=recorded_actor(actor), **fields
        )
        action = "create"
    # Audit the record, not its snapshot (the version keeps that itself).
    changes = {"kind": kind, "number": version.number} | {
        field: str(value.pk if hasattr(value, "pk") else value) for field, value in fields.items()
    }
    audit_record(
        actor=actor, municipality=plan.municipality, action=action, obj=version, changes=changes,
        reason=fields.get("note_bg", ""), authority=Action.EDIT_PLAN,
    )  # fmt: skip
    content.changed(plan.municipality, Content.PLANNING)
    return version


@transaction.atomic
def plan_version_start_draft(*, actor, plan: Plan, note_bg: str = "", note_en: str = "") -> PlanVersion:
    """Open a new draft version (the next number), with the snapshot of the plan as it is now: the
    plan may be changed again until it is adopted. Refused while a draft version is already open."""
    plan_policy.require_edit_plan(actor, plan)
    Plan.objects.select_for_update().filter(pk=plan.pk).first()  # one start at a time per plan
    last = _version_last(plan)
    if last is not None and last.kind == VersionKind.DRAFT:
        raise ValidationError(
            {"__all__": [_("Draft version %(number)s is already open: change the plan in it.")
                         % {"number": last.number}]}
        )  # fmt: skip
    return _version_record(
        actor=actor, plan=plan, last=last, kind=VersionKind.DRAFT, reuse_draft=False,
        note_bg=note_bg.strip(), note_en=note_en.strip(),
    )  # fmt: skip


@transaction.atomic
def plan_version_publish_for_consultation(
    *, actor, plan: Plan, published_on: datetime.date | None = None, note_bg: str = "", note_en: str = ""
) -> PlanVersion:
    """Record the open draft as the draft for public consultation (a frozen snapshot), published on
    ``published_on`` (today unless given). A draft plan moves to "in consultation". Refused when no
    draft is open: start a draft version first."""
    plan_policy.require_edit_plan(actor, plan)
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    plan.refresh_from_db(fields=["status", "version"])  # its status may move on below
    last = _version_last(plan)
    if last is None or last.kind not in (VersionKind.DRAFT, VersionKind.CONSULTATION_DRAFT):
        if last is not None:
            plan_policy.require_unfrozen(plan.pk)
        raise ValidationError(
            {"__all__": [_("The plan has no draft version open: start a new draft version first.")]}
        )
    published_on = published_on or timezone.localdate()
    if published_on > timezone.localdate():
        raise ValidationError({"published_on": [_("A draft is published on a day that has come.")]})
    version = _version_record(
        actor=actor, plan=plan, last=last, kind=VersionKind.CONSULTATION_DRAFT, reuse_draft=True,
        effective_on=published_on, note_bg=note_bg.strip(), note_en=note_en.strip(),
    )  # fmt: skip
    if plan.status == PlanStatus.DRAFT:
        plan_services.plan_change_status(
            actor=actor, plan=plan, status=PlanStatus.CONSULTATION, expected_version=plan.version
        )
    return version


@transaction.atomic
def plan_version_adopt(
    *, actor, plan: Plan, decision: Decision, effective_on: datetime.date | None = None, note_bg: str = "",
    note_en: str = "",
) -> PlanVersion:  # fmt: skip
    """Record the plan's live data as adopted by a council decision of its municipality: the first
    adoption (kind adopted) or an update (kind amended, "актуализация") once an adopted version
    exists, with the day it takes effect (the decision's day unless given) and a note of what
    changed. The open draft version, if any, becomes that version. The plan is then frozen until a
    new draft version is started; a plan not yet adopted moves to "adopted"."""
    plan_policy.require_edit_plan(actor, plan)
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    plan.refresh_from_db(fields=["status", "version"])  # its status may move on below
    errors: dict = {}
    if decision.municipality_id != plan.municipality_id:
        errors["decision"] = [_("The decision is of another municipality's council.")]
    effective_on = effective_on or (decision.date if not errors else None)
    if effective_on is not None and effective_on < decision.date:
        errors["effective_on"] = [_("A version cannot take effect before the decision that adopts it.")]
    if errors:
        raise ValidationError(errors)
    plan_policy.require_unfrozen(plan.pk)
    last = _version_last(plan)
    adopted_before = PlanVersion.objects.filter(plan=plan, kind__in=IN_FORCE_KINDS).exists()
    version = _version_record(
        actor=actor, plan=plan, last=last, reuse_draft=True,
        kind=VersionKind.AMENDED if adopted_before else VersionKind.ADOPTED,
        decision=decision, effective_on=effective_on, note_bg=note_bg.strip(), note_en=note_en.strip(),
    )  # fmt: skip
    order = PLAN_STATUS_ORDER
    if order.index(plan.status) < order.index(PlanStatus.ADOPTED):
        plan_services.plan_change_status(
            actor=actor, plan=plan, status=PlanStatus.ADOPTED, expected_version=plan.version
        )
    return version
