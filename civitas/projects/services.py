"""Every write to projects and their parts. Validating, transactional, audit-logged.

Changes to a project's parts (partners, funding lines, activities, documents) move the project's
version on when the editor names the version they started from, so that two staff editing the
same project are detected, and always mark the project as updated.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.core import content, uploads
from civitas.core.content import Content
from civitas.core.models import Municipality
from civitas.core.permissions import Action
from civitas.core.services import audit_record, bump_version, field_changes, row_content
from civitas.plans import policy as plan_policy
from civitas.plans.models import PlanElement

from . import policy, rules
from .models import (
    Activity,
    ActivityState,
    DocumentKind,
    FundingLine,
    Project,
    ProjectContribution,
    ProjectDocument,
    ProjectFormerSlug,
    ProjectPartner,
)

PROJECT_FIELDS = {
    "slug", "code", "title_bg", "title_en", "description_bg", "description_en", "responsible_unit_bg",
    "responsible_unit_en", "responsible_person", "status", "planned_start", "planned_end", "actual_start",
    "actual_end", "progress", "location", "location_name_bg", "location_name_en", "is_sample", "declared_total",
    "declared_currency", "cofinancing_decision",
}  # fmt: skip
PARTNER_FIELDS = {"name_bg", "name_en", "role_bg", "role_en"}
FUNDING_FIELDS = {"source", "programme_bg", "programme_en", "amount", "spent", "grant_share", "contract_number",
                  "contract_date", "currency", "is_ceiling"}  # fmt: skip
ACTIVITY_FIELDS = {"title_bg", "title_en", "description_bg", "description_en", "is_milestone", "start_date",
                   "due_date", "completed_on", "state"}  # fmt: skip
# A project's fields that pages of another area show: forum topics about the project name and link it.
SHOWN_BY_PARTICIPATION = {"title_bg", "title_en", "slug"}


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _check_unknown(fields: dict, allowed: set) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


def _search_text(project: Project) -> str:
    parts = [project.code, project.title_bg, project.title_en, project.description_bg, project.description_en]
    return " ".join(part for part in parts if part).casefold()


def _check_identity(municipality: Municipality, *, code: str, slug: str, exclude_pk=None) -> dict:
    errors: dict = {}
    try:
        validate_slug(slug)
    except ValidationError:
        errors["slug"] = [_("Use only Latin letters, digits, hyphens and underscores in the address name.")]
    others = Project.objects.filter(municipality=municipality).exclude(pk=exclude_pk)
    if others.filter(code=code).exists():
        errors.setdefault("code", []).append(
            _("Another project of the municipality has the code “%(code)s”.") % {"code": code}
        )
    if others.filter(slug=slug).exists():
        errors.setdefault("slug", []).append(
            _("Another project of the municipality uses the address name “%(slug)s”.") % {"slug": slug}
        )
    return errors


def _check_decision(municipality: Municipality, decision) -> dict:
    if decision is not None and decision.municipality_id != municipality.pk:
        return {"cofinancing_decision": [_("The decision is another municipality's council's.")]}
    return {}


def _check_elements(municipality: Municipality, element_ids) -> dict:
    ids = set(element_ids)
    found = set(
        PlanElement.objects.filter(pk__in=ids, plan__municipality=municipality).values_list("pk", flat=True)
    )
    if found != ids:
        return {
            "element_ids": [
                _("Some of the chosen plan elements do not exist or belong to another municipality.")
            ]
        }
    return {}


def _refuse_if_plans_frozen(element_ids) -> None:
    """A project's contribution to the elements of a plan in force is part of the plan's adopted
    version: adding or removing it waits for a new draft version of that plan."""
    if not element_ids:
        return
    plan_ids = PlanElement.objects.filter(pk__in=set(element_ids)).values_list("plan_id", flat=True)
    for plan_id in sorted(set(plan_ids)):
        plan_policy.require_unfrozen(plan_id)


def _set_elements(project: Project, element_ids) -> None:
    wanted = list(dict.fromkeys(element_ids))
    ProjectContribution.objects.filter(project=project).exclude(element_id__in=wanted).delete()
    existing = dict(ProjectContribution.objects.filter(project=project).values_list("element_id", "pk"))
    for position, element_id in enumerate(wanted):
        if element_id in existing:
            ProjectContribution.objects.filter(pk=existing[element_id]).update(position=position)
        else:
            ProjectContribution.objects.create(project=project, element_id=element_id, position=position)


@transaction.atomic
def project_create(
    *, actor, municipality: Municipality, code: str, title_bg: str, slug: str | None = None,
    element_ids: list[int] | None = None, **fields,
) -> Project:  # fmt: skip
    policy.require_create_project(actor, municipality)
    _check_unknown(fields, PROJECT_FIELDS - {"slug", "code", "title_bg"})
    slug = slug or rules.default_slug(code)
    data = {"code": code, "title_bg": title_bg, **fields}
    errors = rules.check_project(data)
    errors.update(_check_identity(municipality, code=code, slug=slug))
    errors.update(_check_decision(municipality, fields.get("cofinancing_decision")))
    if element_ids:
        errors.update(_check_elements(municipality, element_ids))
        _refuse_if_plans_frozen(element_ids)
    _raise(errors)
    project = Project(municipality=municipality, slug=slug, **data)
    project.search_text = _search_text(project)
    project.full_clean(exclude=["municipality"], validate_unique=False, validate_constraints=False)
    project.save()
    # The address now leads to this project, not to the one that once had it.
    ProjectFormerSlug.objects.filter(municipality=municipality, slug=slug).delete()
    if element_ids:
        _set_elements(project, element_ids)
    content.changed(municipality, Content.PLANNING)
    audit_record(
        actor=actor, municipality=municipality, action="create", obj=project,
        changes={"status": [None, project.status]}, authority=Action.EDIT_PROJECT,
    )  # fmt: skip
    return project


@transaction.atomic
def project_update(
    *, actor, project: Project, expected_version: int, element_ids: list[int] | None = None, **fields
) -> Project:
    policy.require_edit_project(actor, project)
    return _update(actor=actor, project=project, expected_version=expected_version, element_ids=element_ids,
                   **fields)  # fmt: skip


@transaction.atomic
def project_touch_progress(
    *, actor, project: Project, progress: int | None, expected_version: int
) -> Project:
    """Update only a project's progress (for project managers' quick updates); None clears it:
    not reported."""
    policy.require_update_progress(actor, project)
    return _update(actor=actor, project=project, expected_version=expected_version, progress=progress)


def _update(
    *, actor, project: Project, expected_version: int, element_ids: list[int] | None = None, **fields
) -> Project:
    _check_unknown(fields, PROJECT_FIELDS)
    data = {field: getattr(project, field) for field in PROJECT_FIELDS} | fields
    errors = rules.check_project(data)
    if "code" in fields or "slug" in fields:
        errors.update(
            _check_identity(project.municipality, code=data["code"], slug=data["slug"], exclude_pk=project.pk)
        )
    before: list[int] = []
    if element_ids is not None:
        errors.update(_check_elements(project.municipality, element_ids))
        before = sorted(project.contributions.values_list("element_id", flat=True))
        _refuse_if_plans_frozen(set(before) ^ set(element_ids))
    errors.update(_check_decision(project.municipality, data["cofinancing_decision"]))
    _raise(errors)
    changes = field_changes(project, fields)
    if "slug" in changes:
        _remember_slug(project, old=changes["slug"][0], new=data["slug"])
    for field, value in fields.items():
        setattr(project, field, value)
    project.search_text = _search_text(project)
    bump_version(instance=project, expected_version=expected_version)
    project.save()
    if element_ids is not None:
        _set_elements(project, element_ids)
        if before != sorted(element_ids):
            changes["element_ids"] = [before, sorted(element_ids)]
    if SHOWN_BY_PARTICIPATION & set(changes):
        content.changed(project.municipality, Content.PLANNING, Content.PARTICIPATION)
    else:
        content.changed(project.municipality, Content.PLANNING)
    audit_record(
        actor=actor,
        municipality=project.municipality,
        action="update",
        obj=project,
        changes=changes,
        authority=Action.EDIT_PROJECT,
    )
    return project


def _remember_slug(project: Project, *, old: str, new: str) -> None:
    """The project's old address name keeps leading to it (a 301 to the new one); the new one is
    no longer a former name of any project, since it now leads to this project itself."""
    former = ProjectFormerSlug.objects.filter(municipality_id=project.municipality_id)
    former.filter(slug=new).delete()
    former.update_or_create(municipality_id=project.municipality_id, slug=old, defaults={"project": project})


@transaction.atomic
def project_delete(*, actor, project: Project) -> None:
    """Delete a project with its parts; the audit log keeps its content. Refused while indicators
    (with their values) hang on it; its files are removed only once the deletion is committed."""
    policy.require_delete_project(actor, project)
    # The indicators (indicators.Indicator) through their relation to the project: indicators
    # builds on projects, not the other way round.
    codes = list(project.indicators.values_list("code", flat=True)[:5])
    if codes:
        raise ValidationError(
            {
                "__all__": [
                    _("Indicators with their values hang on this project (%(codes)s): remove them first.")
                    % {"codes": ", ".join(codes)}
                ]
            }
        )

    def rows(queryset) -> list[dict]:
        return [row_content(row) for row in queryset]

    _refuse_if_plans_frozen(project.contributions.values_list("element_id", flat=True))
    deleted = row_content(project) | {
        "funding": rows(project.funding_lines.all()),
        "activities": rows(project.activities.all()),
        "partners": rows(project.partners.all()),
        "documents": rows(project.documents.all()),
        "elements": list(project.contributions.values_list("element_id", flat=True)),
    }
    # Forum topics about the project lose their link to it.
    content.changed(project.municipality, Content.PLANNING, Content.PARTICIPATION)
    audit_record(
        actor=actor, municipality=project.municipality, action="delete", obj=project, changes=deleted
    )
    files = [document.file.name for document in project.documents.all() if document.file.name]
    project.delete()
    if files:
        storage = ProjectDocument._meta.get_field("file").storage

        def delete_files() -> None:
            for name in files:
                storage.delete(name)

        transaction.on_commit(delete_files)


def _touch(project: Project, expected_version: int | None) -> None:
    if expected_version is not None:
        bump_version(instance=project, expected_version=expected_version)
    Project.objects.filter(pk=project.pk).update(updated_at=timezone.now())


def _next_position(qs) -> int:
    last = qs.order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else last + 1


# Partners -------------------------------------------------------------------------------------


@transaction.atomic
def partner_add(
    *, actor, project: Project, name_bg: str, expected_version: int | None = None, **fields
) -> ProjectPartner:
    policy.require_edit_project(actor, project)
    _check_unknown(fields, PARTNER_FIELDS)
    _raise(rules.check_partner({"name_bg": name_bg}))
    _touch(project, expected_version)
    partner = ProjectPartner.objects.create(
        project=project, name_bg=name_bg, position=_next_position(project.partners), **fields
    )
    content.changed(project.municipality, Content.PLANNING)
    audit_record(actor=actor, municipality=project.municipality, action="create", obj=partner)
    return partner


@transaction.atomic
def partner_update(
    *, actor, partner: ProjectPartner, expected_version: int | None = None, **fields
) -> ProjectPartner:
    policy.require_edit_project(actor, partner.project)
    _check_unknown(fields, PARTNER_FIELDS)
    _raise(rules.check_partner({"name_bg": fields.get("name_bg", partner.name_bg)}))
    _touch(partner.project, expected_version)
    changes = field_changes(partner, fields)
    for field, value in fields.items():
        setattr(partner, field, value)
    partner.save()
    content.changed(partner.project.municipality, Content.PLANNING)
    audit_record(
        actor=actor, municipality=partner.project.municipality, action="update", obj=partner, changes=changes
    )
    return partner


@transaction.atomic
def partner_delete(*, actor, partner: ProjectPartner, expected_version: int | None = None) -> None:
    policy.require_edit_project(actor, partner.project)
    _touch(partner.project, expected_version)
    content.changed(partner.project.municipality, Content.PLANNING)
    audit_record(actor=actor, municipality=partner.project.municipality, action="delete", obj=partner,
                 changes={"name_bg": partner.name_bg})  # fmt: skip
    partner.delete()


# Funding lines --------------------------------------------------------------------------------


def _funding_values(data: dict) -> dict:
    values = dict(data)
    for field in ("amount", "spent", "grant_share"):
        if field in values:
            values[field] = rules.to_decimal(values[field])
    return values


@transaction.atomic
def funding_line_add(
    *, actor, project: Project, source: str, amount, expected_version: int | None = None, **fields
) -> FundingLine:
    policy.require_edit_project(actor, project)
    _check_unknown(fields, FUNDING_FIELDS - {"source", "amount"})
    data = {"source": source, "amount": amount, **fields}
    _raise(rules.check_funding(data))
    _touch(project, expected_version)
    line = FundingLine.objects.create(
        project=project, position=_next_position(project.funding_lines), **_funding_values(data)
    )
    content.changed(project.municipality, Content.PLANNING)
    audit_record(actor=actor, municipality=project.municipality, action="create", obj=line)
    return line


@transaction.atomic
def funding_line_update(
    *, actor, line: FundingLine, expected_version: int | None = None, **fields
) -> FundingLine:
    policy.require_edit_project(actor, line.project)
    _check_unknown(fields, FUNDING_FIELDS)
    data = {field: getattr(line, field) for field in FUNDING_FIELDS} | fields
    _raise(rules.check_funding(data))
    _touch(line.project, expected_version)
    values = _funding_values(fields)
    changes = field_changes(line, values)
    for field, value in values.items():
        setattr(line, field, value)
    line.save()
    content.changed(line.project.municipality, Content.PLANNING)
    audit_record(
        actor=actor, municipality=line.project.municipality, action="update", obj=line, changes=changes
    )
    return line


@transaction.atomic
def funding_line_delete(*, actor, line: FundingLine, expected_version: int | None = None) -> None:
    policy.require_edit_project(actor, line.project)
    _touch(line.project, expected_version)
    content.changed(line.project.municipality, Content.PLANNING)
    audit_record(
        actor=actor, municipality=line.project.municipality, action="delete", obj=line,
        changes={"source": line.source, "amount": str(line.amount), "currency": line.currency,
                 "spent": None if line.spent is None else str(line.spent)},
    )  # fmt: skip
    line.delete()


# Activities -----------------------------------------------------------------------------------


def _activity_data(data: dict) -> dict:
    if data.get("state") == ActivityState.DONE and not data.get("completed_on"):
        data["completed_on"] = timezone.localdate()
    return data


@transaction.atomic
def activity_add(
    *, actor, project: Project, title_bg: str, expected_version: int | None = None, **fields
) -> Activity:
    policy.require_edit_project(actor, project)
    _check_unknown(fields, ACTIVITY_FIELDS - {"title_bg"})
    data = _activity_data({"title_bg": title_bg, **fields})
    _raise(rules.check_activity(data, today=timezone.localdate()))
    _touch(project, expected_version)
    activity = Activity.objects.create(project=project, position=_next_position(project.activities), **data)
    content.changed(project.municipality, Content.PLANNING)
    audit_record(actor=actor, municipality=project.municipality, action="create", obj=activity)
    return activity


@transaction.atomic
def activity_update(*, actor, activity: Activity, expected_version: int | None = None, **fields) -> Activity:
    policy.require_edit_project(actor, activity.project)
    _check_unknown(fields, ACTIVITY_FIELDS)
    data = _activity_data({field: getattr(activity, field) for field in ACTIVITY_FIELDS} | fields)
    _raise(rules.check_activity(data, today=timezone.localdate()))
    _touch(activity.project, expected_version)
    changes = field_changes(activity, data)
    for field, value in data.items():
        setattr(activity, field, value)
    activity.save()
    content.changed(activity.project.municipality, Content.PLANNING)
    audit_record(
        actor=actor,
        municipality=activity.project.municipality,
        action="update",
        obj=activity,
        changes=changes,
    )
    return activity


@transaction.atomic
def activity_delete(*, actor, activity: Activity, expected_version: int | None = None) -> None:
    policy.require_edit_project(actor, activity.project)
    _touch(activity.project, expected_version)
    content.changed(activity.project.municipality, Content.PLANNING)
    audit_record(actor=actor, municipality=activity.project.municipality, action="delete", obj=activity,
                 changes={"title_bg": activity.title_bg})  # fmt: skip
    activity.delete()


@transaction.atomic
def activity_reorder(
    *, actor, project: Project, ordered_ids: list[int], expected_version: int | None = None
) -> None:
    policy.require_edit_project(actor, project)
    current = set(project.activities.values_list("pk", flat=True))
    if set(ordered_ids) != current or len(ordered_ids) != len(current):
        raise ValidationError({"__all__": [_("The new order must list every activity of the project once.")]})
    _touch(project, expected_version)
    for position, pk in enumerate(ordered_ids):
        Activity.objects.filter(pk=pk).update(position=position)
    content.changed(project.municipality, Content.PLANNING)
    audit_record(actor=actor, municipality=project.municipality, action="reorder", obj=project,
                 changes={"activities": ordered_ids})  # fmt: skip


# Documents and photos -------------------------------------------------------------------------


@transaction.atomic
def document_add(
    *, actor, project: Project, kind: str, title_bg: str, upload, title_en: str = "",
    expected_version: int | None = None,
) -> ProjectDocument:  # fmt: skip
    policy.require_edit_project(actor, project)
    errors: dict = {}
    if kind not in DocumentKind.values:
        errors["kind"] = [_("Unknown kind of document.")]
    if not title_bg.strip():
        errors["title_bg"] = [_("Give the document's title in Bulgarian.")]
    _raise(errors)
    stored, content_type, size = uploads.check_upload(upload, photo=kind == DocumentKind.PHOTO)
    _touch(project, expected_version)
    document = ProjectDocument(
        project=project, kind=kind, title_bg=title_bg, title_en=title_en, content_type=content_type, size=size
    )
    document.file.save(stored.name or "upload", stored, save=False)
    document.save()
    content.changed(project.municipality, Content.PLANNING)
    audit_record(actor=actor, municipality=project.municipality, action="create", obj=document)
    return document


@transaction.atomic
def document_delete(*, actor, document: ProjectDocument, expected_version: int | None = None) -> None:
    policy.require_edit_project(actor, document.project)
    _touch(document.project, expected_version)
    content.changed(document.project.municipality, Content.PLANNING)
    audit_record(actor=actor, municipality=document.project.municipality, action="delete", obj=document,
                 changes={"title_bg": document.title_bg, "file": document.file.name})  # fmt: skip
    name, storage = document.file.name, document.file.storage
    document.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
