"""Every write to the publicity register. Validating, transactional, audit-logged.

Each service checks who may first (``policy.require_manage_publicity``), then the rules: a refused
call raises ValidationError with a message in the user's language and writes nothing. Edits name
the version the editor started from (optimistic locking), and every write moves the planning
content's version on (the project pages and the events calendar read it), so cached pages refresh.
"""

from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.core import content, uploads
from civitas.core.content import Content
from civitas.core.models import Municipality
from civitas.core.services import audit_record, bump_version, field_changes
from civitas.plans.models import Plan
from civitas.projects.models import Project

from . import policy, rules
from .models import EventPhoto, Publication, PublicityEvent, PublicityMaterial

COMMON_FIELDS = {"title_bg", "title_en", "is_sample"}
EVENT_FIELDS = COMMON_FIELDS | {
    "kind", "date", "time", "place_bg", "place_en", "participants", "description_bg", "description_en",
}  # fmt: skip
MATERIAL_FIELDS = COMMON_FIELDS | {"kind", "quantity", "produced_on"}
PUBLICATION_FIELDS = COMMON_FIELDS | {"medium", "outlet_bg", "outlet_en", "published_on", "url"}


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _check_unknown(fields: dict, allowed: set) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


def _check_subject(municipality: Municipality, project: Project | None, plan: Plan | None) -> dict:
    """A record is about a project and/or a plan of its own municipality, or of none."""
    errors: dict = {}
    if project is not None and project.municipality_id != municipality.pk:
        errors["project"] = [_("The project is not one of this municipality's.")]
    if plan is not None and plan.municipality_id != municipality.pk:
        errors["plan"] = [_("The plan is not one of this municipality's.")]
    return errors


def _checked(files) -> list[tuple]:
    """The uploads among ``files`` checked by core.uploads (size, real type; photos re-encoded
    without their metadata), before anything is written: (field, stored file, type field, content
    type, size field, size)."""
    checked = []
    for field, upload, photo, type_field, size_field in files:
        if upload is not None:
            stored, content_type, size = uploads.check_upload(upload, photo=photo)
            checked.append((field, stored, type_field, content_type, size_field, size))
    return checked


def _store(instance, checked) -> list[str]:
    """Put the checked files on ``instance``; the names of the files they replace."""
    replaced = []
    for field, stored, type_field, content_type, size_field, size in checked:
        replaced.append(getattr(instance, field).name or "")
        getattr(instance, field).save(stored.name or "upload", stored, save=False)
        setattr(instance, type_field, content_type)
        setattr(instance, size_field, size)
    return replaced


def _delete_files_after_commit(*names: str | None) -> None:
    for name in names:
        if name:
            transaction.on_commit(partial(default_storage.delete, name))


def _changed(municipality: Municipality) -> None:
    content.changed(municipality, Content.PLANNING)


def _create(model, *, actor, municipality, project, plan, fields, check, allowed, files=()):
    policy.require_manage_publicity(actor, municipality)
    _check_unknown(fields, allowed)
    errors = check(fields, today=timezone.localdate())
    errors.update(_check_subject(municipality, project, plan))
    _raise(errors)
    checked = _checked(files)
    record = model(municipality=municipality, project=project, plan=plan, **fields)
    _full_clean(record)
    _store(record, checked)
    record.save()
    _changed(municipality)
    audit_record(actor=actor, municipality=municipality, action="create", obj=record)
    return record


def _full_clean(record) -> None:
    """The model's own checks (lengths, choices), before any file is stored."""
    record.full_clean(
        exclude=["municipality", "project", "plan", "minutes", "file"], validate_unique=False,
        validate_constraints=False,
    )  # fmt: skip


_KEEP = object()  # the project or plan stays as it is


def _update(record, *, actor, expected_version, project, plan, fields, check, allowed, files=()):
    policy.require_manage_publicity(actor, record.municipality)
    _check_unknown(fields, allowed)
    project = record.project if project is _KEEP else project
    plan = record.plan if plan is _KEEP else plan
    data = {field: getattr(record, field) for field in allowed} | fields
    errors = check(data, today=timezone.localdate())
    errors.update(_check_subject(record.municipality, project, plan))
    _raise(errors)
    changes = field_changes(record, fields)
    if project != record.project:
        changes["project"] = [record.project_id, project.pk if project else None]
    if plan != record.plan:
        changes["plan"] = [record.plan_id, plan.pk if plan else None]
    checked = _checked(files)
    bump_version(instance=record, expected_version=expected_version)
    for field, value in fields.items():
        setattr(record, field, value)
    record.project, record.plan = project, plan
    _full_clean(record)
    replaced = _store(record, checked)
    for (field, *_rest), old in zip(checked, replaced, strict=True):
        changes[field] = [old, getattr(record, field).name]
    record.save()
    _delete_files_after_commit(*replaced)
    _changed(record.municipality)
    audit_record(actor=actor, municipality=record.municipality, action="update", obj=record, changes=changes)
    return record


def _delete(record, *, actor, expected_version, files: list[str | None]) -> None:
    policy.require_manage_publicity(actor, record.municipality)
    bump_version(instance=record, expected_version=expected_version)
    _changed(record.municipality)
    audit_record(actor=actor, municipality=record.municipality, action="delete", obj=record,
                 changes={"title_bg": record.title_bg, "files": [name for name in files if name]})  # fmt: skip
    record.delete()
    _delete_files_after_commit(*files)


# Events --------------------------------------------------------------------------------------------


def _minutes(upload) -> tuple:
    return (("minutes", upload, False, "minutes_content_type", "minutes_size"),)


@transaction.atomic
def event_create(
    *, actor, municipality: Municipality, title_bg: str, kind: str, date, project: Project | None = None,
    plan: Plan | None = None, minutes=None, **fields,
) -> PublicityEvent:  # fmt: skip
    """Record an event (a press conference, a public hearing, a forum...), with its minutes if given
    (a document checked by core.uploads)."""
    return _create(
        PublicityEvent, actor=actor, municipality=municipality, project=project, plan=plan,
        fields={"title_bg": title_bg, "kind": kind, "date": date, **fields}, check=rules.check_event,
        allowed=EVENT_FIELDS, files=_minutes(minutes),
    )  # fmt: skip


@transaction.atomic
def event_update(
    *, actor, event: PublicityEvent, expected_version: int, project=_KEEP, plan=_KEEP, minutes=None, **fields
) -> PublicityEvent:
    """Change an event's fields (and its project or plan, when given; None: none); ``minutes``
    replaces its minutes."""
    return _update(
        event, actor=actor, expected_version=expected_version, project=project, plan=plan, fields=fields,
        check=rules.check_event, allowed=EVENT_FIELDS, files=_minutes(minutes),
    )  # fmt: skip


@transaction.atomic
def event_delete(*, actor, event: PublicityEvent, expected_version: int | None = None) -> None:
    """Delete an event with its photos and minutes; the audit log keeps its title."""
    files = [event.minutes.name, *(photo.file.name for photo in event.photos.all())]
    _delete(event, actor=actor, expected_version=expected_version, files=files)


@transaction.atomic
def photo_add(
    *, actor, event: PublicityEvent, upload, caption_bg: str, caption_en: str = "",
    expected_version: int | None = None,
) -> EventPhoto:  # fmt: skip
    """Add a photo to an event: re-encoded without its metadata (core.uploads), with a caption that
    is also its text alternative."""
    policy.require_manage_publicity(actor, event.municipality)
    if not caption_bg.strip():
        raise ValidationError(
            {
                "caption_bg": [
                    _("Describe the photo in Bulgarian: the caption is what people who cannot see it read.")
                ]
            }
        )
    checked = _checked([("file", upload, True, "content_type", "size")])
    bump_version(instance=event, expected_version=expected_version)
    photo = EventPhoto(event=event, caption_bg=caption_bg.strip(), caption_en=caption_en.strip())
    _store(photo, checked)
    photo.save()
    _changed(event.municipality)
    audit_record(actor=actor, municipality=event.municipality, action="create", obj=photo)
    return photo


@transaction.atomic
def photo_delete(*, actor, photo: EventPhoto, expected_version: int | None = None) -> None:
    event = photo.event
    policy.require_manage_publicity(actor, event.municipality)
    bump_version(instance=event, expected_version=expected_version)
    _changed(event.municipality)
    audit_record(actor=actor, municipality=event.municipality, action="delete", obj=photo,
                 changes={"caption_bg": photo.caption_bg, "file": photo.file.name})  # fmt: skip
    name = photo.file.name
    photo.delete()
    _delete_files_after_commit(name)


# Materials -----------------------------------------------------------------------------------------


def _material_file(upload) -> tuple:
    return (("file", upload, False, "content_type", "size"),)


@transaction.atomic
def material_create(
    *, actor, municipality: Municipality, title_bg: str, kind: str, project: Project | None = None,
    plan: Plan | None = None, upload=None, **fields,
) -> PublicityMaterial:  # fmt: skip
    """Record a material (a banner, brochures with their print run...), with a file or photo of it if
    given (checked by core.uploads; a photo is re-encoded)."""
    return _create(
        PublicityMaterial, actor=actor, municipality=municipality, project=project, plan=plan,
        fields={"title_bg": title_bg, "kind": kind, **fields}, check=rules.check_material,
        allowed=MATERIAL_FIELDS, files=_material_file(upload),
    )  # fmt: skip


@transaction.atomic
def material_update(
    *, actor, material: PublicityMaterial, expected_version: int, project=_KEEP, plan=_KEEP, upload=None,
    **fields,
) -> PublicityMaterial:  # fmt: skip
    return _update(
        material, actor=actor, expected_version=expected_version, project=project, plan=plan, fields=fields,
        check=rules.check_material, allowed=MATERIAL_FIELDS, files=_material_file(upload),
    )  # fmt: skip


@transaction.atomic
def material_delete(*, actor, material: PublicityMaterial, expected_version: int | None = None) -> None:
    _delete(material, actor=actor, expected_version=expected_version, files=[material.file.name])


# Publications --------------------------------------------------------------------------------------


@transaction.atomic
def publication_create(
    *, actor, municipality: Municipality, title_bg: str, medium: str, outlet_bg: str,
    project: Project | None = None, plan: Plan | None = None, **fields,
) -> Publication:  # fmt: skip
    """Record a publication (in a newspaper, on a website, on the radio...), with its link if given
    (http or https only)."""
    return _create(
        Publication, actor=actor, municipality=municipality, project=project, plan=plan,
        fields={"title_bg": title_bg, "medium": medium, "outlet_bg": outlet_bg, **fields},
        check=rules.check_publication, allowed=PUBLICATION_FIELDS,
    )  # fmt: skip


@transaction.atomic
def publication_update(
    *, actor, publication: Publication, expected_version: int, project=_KEEP, plan=_KEEP, **fields
) -> Publication:
    return _update(
        publication, actor=actor, expected_version=expected_version, project=project, plan=plan, fields=fields,
        check=rules.check_publication, allowed=PUBLICATION_FIELDS,
    )  # fmt: skip


@transaction.atomic
def publication_delete(*, actor, publication: Publication, expected_version: int | None = None) -> None:
    _delete(publication, actor=actor, expected_version=expected_version, files=[])
