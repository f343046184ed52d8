"""The API's writes, for staff with a personal API token (``auth.token_auth``): a measurement
entered and submitted, a project's progress and status. Each calls the same service as the back
office's page, with the token's holder as the actor, so the same policy decides (403 outside their
municipality or role), the same rules refuse (422), the same workflow follows (a submitted value
waits for a verifier) and the audit log names them.

Refusals, every one before anything is written or inside the service's rolled-back transaction:
401 no valid token, 403 not allowed, 404 unknown object, 409 the record's state or a concurrent
edit stands in the way (a value already submitted or approved, a plan in force, a stale
``version``), 412 a stale ``If-Match``, 422 a body of wrong types or with unknown fields, or a
value the service's rules refuse (their messages, in the request's language).

``If-Match`` takes the ``ETag`` these endpoints give the record (the measurement in the write's
answer; the project in ``GET /projects/{id}/progress`` and the write's answer): it names the
record's version, so a client that read it and writes back learns that someone saved in between
instead of saving over it. A body's ``version`` does the same, answered by 409 like a back-office
form.
"""

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict, StrictBool, StrictFloat, StrictInt

from civitas.core.errors import ConflictError
from civitas.indicators import policy as indicator_policy
from civitas.indicators import services as indicator_services
from civitas.indicators.models import Indicator, Measurement
from civitas.projects import policy as project_policy
from civitas.projects import services as project_services
from civitas.projects.models import Project, ProjectStatus

from .auth import token_auth
from .base import READ_ERRORS, WRITE_ERRORS, ApiError

router = Router(auth=token_auth)


Number = StrictInt | StrictFloat
SMALL = {"ge": 0, "le": 32767}  # what the period's columns hold; the rules say which periods exist


# --- Refusals ---------------------------------------------------------------------------------


def _refused(error: ValidationError) -> ApiError:
    """A service's ValidationError as the API's answer: a concurrent edit or a refusal of the
    record's state as a whole (non-field errors: a value already submitted, a plan in force) is a
    409; refused fields are a 422 with each field's messages, in the request's language."""
    if isinstance(error, ConflictError) or getattr(error, "code", None) == "conflict":
        return ApiError(409, "conflict", " ".join(error.messages))
    fields = getattr(error, "message_dict", {NON_FIELD_ERRORS: error.messages})
    if set(fields) <= {NON_FIELD_ERRORS}:
        return ApiError(409, "conflict", " ".join(fields.get(NON_FIELD_ERRORS, error.messages)))
    return ApiError(
        422,
        "invalid",
        _("The request is not valid.") + " " + " ".join(error.messages),
        errors=[
            {"loc": ["body", "payload", field], "msg": message, "type": "refused"}
            for field, messages in fields.items()
            for message in messages
        ],
    )


def _etag(kind: str, obj) -> str:
    return f'"{kind}-{obj.pk}-{obj.version}"'


def _if_match(request: HttpRequest, current: str | None) -> bool:
    """Refuse (412) a write whose If-Match names no current version of the record (``current``:
    its ETag, None when it does not exist). True when the client named one that matches."""
    header = request.headers.get("If-Match")
    if header is None:
        return False
    tags = {tag.strip() for tag in header.split(",")}
    if current is not None and ("*" in tags or current in tags):
        return True
    raise ApiError(
        412,
        "precondition_failed",
        _("The record changed since you read it (If-Match does not match its ETag): read it again."),
    )


# --- Measurements -----------------------------------------------------------------------------


class MeasurementIn(Schema):
    """A period's value, as the back office's value form takes it. ``submit`` (the default) sends
    it for approval at once; false keeps it a draft."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"year": 2016, "value": 150, "comment": "From the register"}]},
    )

    year: Annotated[StrictInt, Field(**SMALL)]
    sub: Annotated[StrictInt, Field(**SMALL)] = 0
    value: Number | None = None
    numerator: Number | None = None
    denominator: Number | None = None
    breakdown: dict[str, dict[str, Number | None]] | None = None
    collected_on: datetime.date | None = None
    comment: Annotated[str, Field(max_length=5000, strict=True)] = ""
    evidence_url: Annotated[str, Field(max_length=200, strict=True)] = ""
    submit: StrictBool = True
    version: Annotated[StrictInt, Field(ge=1)] | None = None


class SubmittedMeasurementOut(Schema):
    id: int
    indicator: int
    year: int
    sub: int
    value: float | None
    numerator: float | None
    denominator: float | None
    breakdown: dict[str, dict[str, float | None]]
    collected_on: datetime.date | None
    comment: str
    evidence_url: str
    state: str
    submitted_at: datetime.datetime | None
    version: int


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def measurement_out(measurement: Measurement) -> dict:
    return {
        "id": measurement.pk,
        "indicator": measurement.indicator_id,
        "year": measurement.year,
        "sub": measurement.sub,
        "value": _number(measurement.value),
        "numerator": _number(measurement.numerator),
        "denominator": _number(measurement.denominator),
        "breakdown": measurement.breakdown or {},
        "collected_on": measurement.collected_on,
        "comment": measurement.comment,
        "evidence_url": measurement.evidence_url,
        "state": measurement.state,
        "submitted_at": measurement.submitted_at,
        "version": measurement.version,
    }


@router.post(
    "/indicators/{id}/measurements",
    response={200: SubmittedMeasurementOut, 201: SubmittedMeasurementOut, **WRITE_ERRORS},
    url_name="indicator_measurement_write",
)
def measurement_write(request: HttpRequest, response: HttpResponse, id: int, payload: MeasurementIn):
    """Enter a period's value of an indicator and submit it for approval, as the back office's
    value form does: the indicator's owner (or, when it has none, staff with the indicator-owner
    role) of its municipality. A new value is answered 201, a changed draft or returned value 200;
    the value then waits for a verifier. A value already submitted or approved is a 409 (it is
    corrected in the back office, with a reason)."""
    actor = request.auth  # type: ignore[attr-defined]  # the token's holder (auth.ApiTokenAuth)
    indicator = Indicator.objects.select_related("municipality").filter(pk=id).first()
    if indicator is None:
        raise Http404
    indicator_policy.require_enter(actor, indicator)
    stored = Measurement.objects.filter(indicator=indicator, year=payload.year, sub=payload.sub).first()
    expected = payload.version
    if _if_match(request, _etag("measurement", stored) if stored else None) and stored is not None:
        expected = stored.version
    try:
        measurement = indicator_services.measurement_save(
            actor=actor, indicator=indicator, year=payload.year, sub=payload.sub, value=payload.value,
            numerator=payload.numerator, denominator=payload.denominator, breakdown=payload.breakdown,
            collected_on=payload.collected_on, comment=payload.comment, evidence_url=payload.evidence_url,
            expected_version=expected, submit=payload.submit,
        )  # fmt: skip
    except ValidationError as error:
        raise _refused(error) from None
    response["ETag"] = _etag("measurement", measurement)
    return Status(200 if stored else 201, measurement_out(measurement))


# --- Projects ---------------------------------------------------------------------------------


class ProjectProgressOut(Schema):
    id: int
    status: str
    progress: int | None
    version: int
    updated_at: datetime.datetime


class ProjectProgressIn(Schema):
    """What changes: ``progress`` (0–100, null: not reported), ``status``, or both; ``version``,
    the project's version the client read (a 409 if someone saved since)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"progress": 60, "status": "in_progress"}]}
    )

    progress: Annotated[StrictInt, Field(ge=0, le=100)] | None = None
    status: ProjectStatus | None = None
    version: Annotated[StrictInt, Field(ge=1)] | None = None


def project_progress_out(project: Project) -> dict:
    return {
        "id": project.pk,
        "status": project.status,
        "progress": project.progress,
        "version": project.version,
        "updated_at": project.updated_at,
    }


def _project(id: int) -> Project:
    project = Project.objects.select_related("municipality").filter(pk=id).first()
    if project is None:
        raise Http404
    return project


@router.get(
    "/projects/{id}/progress",
    auth=None,
    response={200: ProjectProgressOut, **READ_ERRORS},
    url_name="project_progress",
)
def project_progress(request: HttpRequest, response: HttpResponse, id: int):
    """A project's status, progress and version, with the ETag a write's If-Match names."""
    project = _project(id)
    response["ETag"] = _etag("project", project)
    return project_progress_out(project)


@router.patch(
    "/projects/{id}/progress",
    response={200: ProjectProgressOut, **WRITE_ERRORS},
    url_name="project_progress_write",
)
def project_progress_write(request: HttpRequest, response: HttpResponse, id: int, payload: ProjectProgressIn):
    """Update a project's progress (staff who may update progress here) and its status (staff
    who may edit the project), as the back office does."""
    actor = request.auth  # type: ignore[attr-defined]  # the token's holder (auth.ApiTokenAuth)
    project = _project(id)
    given = payload.model_fields_set - {"version"}
    if not given:
        raise ApiError(422, "invalid", _("Give the progress, the status or both."))
    if "status" in given and payload.status is None:
        raise ApiError(422, "invalid", _("A project always has a status: give one of them."))
    if "status" in given:
        project_policy.require_edit_project(actor, project)
    else:
        project_policy.require_update_progress(actor, project)
    expected = payload.version if payload.version is not None else project.version
    if _if_match(request, _etag("project", project)):
        expected = project.version
    fields: dict[str, Any] = {name: getattr(payload, name) for name in given}
    try:
        if "status" in given:
            project = project_services.project_update(
                actor=actor, project=project, expected_version=expected, **fields
            )
        else:
            project = project_services.project_touch_progress(
                actor=actor, project=project, progress=payload.progress, expected_version=expected
            )
    except ValidationError as error:
        raise _refused(error) from None
    project.refresh_from_db(fields=["version", "updated_at"])
    response["ETag"] = _etag("project", project)
    return project_progress_out(project)
