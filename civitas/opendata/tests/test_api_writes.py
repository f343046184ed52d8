"""The API's writes with a personal token: a measurement submitted through the API waits for a
verifier exactly like one entered in the back office; a project's progress and status change as
the back office changes them; and every refusal (401, 403, 404, 409, 412, 422) is JSON, in the
request's language, and changes nothing."""

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from civitas.accounts import services as account_services
from civitas.accounts.models import ApiToken
from civitas.core.models import AuditEvent, Membership, Role
from civitas.indicators import selectors as indicator_selectors
from civitas.indicators import services as indicator_services
from civitas.indicators.models import Measurement, MeasurementState
from civitas.projects.models import Project
from civitas.testing.factories import (
    IndicatorFactory,
    MeasurementFactory,
    MembershipFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    ProjectFactory,
    UserFactory,
)
from civitas.testing.signin import sign_in

pytestmark = pytest.mark.django_db

# A measurement submitted through the API: the token with its holder, the indicator, the holder's
# roles, the stored value of the period, then the back office's service (lock, write, typed by,
# submit, audit log), whatever the number of values.
QUERIES_PER_WRITE = 14


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot")


@pytest.fixture
def indicator(town):
    return IndicatorFactory(element=PlanElementFactory(plan=PlanFactory(municipality=town)))


def staff(town, role):
    return MembershipFactory(municipality=town, role=role).user


def token_of(user) -> str:
    return account_services.api_token_create(actor=user, name="integration").secret


@pytest.fixture
def owner(town):
    return staff(town, Role.INDICATOR_OWNER)


@pytest.fixture
def token(owner):
    return token_of(owner)


def measurements_url(indicator) -> str:
    return f"/api/v1/indicators/{indicator.pk}/measurements"


def send(client, method, url, body, token=None, **headers):
    if token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    data = body if isinstance(body, str) else json.dumps(body)
    return getattr(client, method)(url, data=data, content_type="application/json", **headers)


def state_of_everything():
    """What a refusal must leave as it was: every value, every project and the audit log."""
    return (
        list(Measurement.objects.order_by("pk").values()),
        list(Project.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


# --- A measurement through the API -------------------------------------------------------------


def test_a_measurement_submitted_through_the_api_waits_for_a_verifier_like_one_from_the_back_office(
    client, town, indicator, owner, token
):
    response = send(client, "post", measurements_url(indicator), {"year": 2016, "value": 150.5}, token)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "submitted" and body["value"] == 150.5 and body["version"] == 1
    assert response["ETag"] == f'"measurement-{body["id"]}-1"'
    measurement = Measurement.objects.get(pk=body["id"])
    assert measurement.state == MeasurementState.SUBMITTED
    assert measurement.value == Decimal("150.5")
    assert measurement.entered_by == owner
    assert list(measurement.typed_by.all()) == [owner]
    assert [m.pk for m in indicator_selectors.verification_queue(municipality=town)] == [measurement.pk]
    events = list(
        AuditEvent.objects.filter(object_type="indicators.measurement", object_id=str(measurement.pk))
        .order_by("pk")
        .values_list("action", "actor")
    )
    assert events == [("create", owner.pk), ("submit", owner.pk)]
    # Its enterer cannot approve it, a verifier can: the back office's workflow.
    verifier = staff(town, Role.VERIFIER)
    approved = indicator_services.measurement_approve(actor=verifier, measurement=measurement)
    assert approved.state == MeasurementState.APPROVED


def test_a_draft_kept_then_changed_and_submitted(client, indicator, token):
    first = send(
        client, "post", measurements_url(indicator), {"year": 2016, "value": 1, "submit": False}, token
    )
    assert first.status_code == 201 and first.json()["state"] == "draft"
    second = send(
        client, "post", measurements_url(indicator), {"year": 2016, "value": 2, "version": 1}, token,
        HTTP_IF_MATCH=first["ETag"],
    )  # fmt: skip
    assert second.status_code == 200, second.content
    assert second.json()["state"] == "submitted" and second.json()["value"] == 2
    assert second.json()["version"] == 2
    assert Measurement.objects.get().state == MeasurementState.SUBMITTED


def test_token_writes_need_no_csrf_token_but_a_session_alone_cannot_write(indicator, owner, token):
    strict = Client(enforce_csrf_checks=True)
    response = send(strict, "post", measurements_url(indicator), {"year": 2016, "value": 3}, token)
    assert response.status_code == 201
    signed_in = Client()
    sign_in(signed_in, owner)
    response = send(signed_in, "post", measurements_url(indicator), {"year": 2017, "value": 3})
    assert response.status_code == 401
    assert Measurement.objects.count() == 1


def test_the_write_runs_a_fixed_number_of_queries_however_many_values_the_indicator_has(
    client, indicator, token, django_assert_num_queries
):
    send(client, "post", measurements_url(indicator), {"year": 2014, "value": 1}, token)  # its use recorded
    for year, more in ((2015, []), (2016, [2017, 2018, 2019, 2020])):
        for other in more:
            MeasurementFactory(indicator=indicator, year=other)
        with django_assert_num_queries(QUERIES_PER_WRITE):
            response = send(client, "post", measurements_url(indicator), {"year": year, "value": 1}, token)
        assert response.status_code == 201


# --- Refusals ------------------------------------------------------------------------------------


def _revoked(user):
    new = account_services.api_token_create(actor=user, name="old")
    account_services.api_token_revoke(actor=user, token=new.token)
    return new.secret


def _expired(user):
    new = account_services.api_token_create(actor=user, name="old")
    ApiToken.objects.filter(pk=new.token.pk).update(expires_on="2020-01-01")
    return new.secret


def _closed_account(user):
    secret = token_of(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    return secret


@pytest.mark.parametrize(
    "make_token",
    [
        lambda user: None,
        lambda user: "civitas_nothing_here",
        lambda user: token_of(user)[:-2] + "xx",
        _revoked,
        _expired,
        _closed_account,
    ],
    ids=["no token", "unknown", "altered", "revoked", "expired", "closed account"],
)
def test_without_a_valid_token_a_write_is_a_json_401_and_nothing_changes(
    client, indicator, owner, make_token
):
    secret = make_token(owner)
    before = state_of_everything()
    response = send(client, "post", measurements_url(indicator), {"year": 2016, "value": 5}, secret)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "unauthenticated"
    assert state_of_everything() == before


def test_a_write_outside_the_tokens_municipality_or_role_is_403_and_changes_nothing(client, town, indicator):
    elsewhere = staff(MunicipalityFactory(slug="karlovo"), Role.ADMINISTRATOR)
    verifier = staff(town, Role.VERIFIER)
    other_owner = staff(town, Role.INDICATOR_OWNER)
    indicator.owner = staff(town, Role.INDICATOR_OWNER)  # only its owner enters its values
    indicator.save(update_fields=["owner"])
    before = state_of_everything()
    for user in (elsewhere, verifier, other_owner):
        response = send(
            client, "post", measurements_url(indicator), {"year": 2016, "value": 5}, token_of(user)
        )
        assert response.status_code == 403, user
        assert response.json()["code"] == "forbidden"
    assert state_of_everything()[:2] == before[:2]
    assert not AuditEvent.objects.filter(object_type="indicators.measurement").exists()


def test_a_token_whose_holder_lost_the_role_can_no_longer_write(client, town, indicator, owner, token):
    assert (
        send(client, "post", measurements_url(indicator), {"year": 2015, "value": 5}, token).status_code
        == 201
    )
    Membership.objects.filter(user=owner).delete()
    before = state_of_everything()
    response = send(client, "post", measurements_url(indicator), {"year": 2016, "value": 5}, token)
    assert response.status_code == 403
    assert state_of_everything() == before
    # Reading stays open to it, as to everyone.
    assert client.get("/api/v1/municipalities", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


def test_an_unknown_indicator_is_a_404(client, indicator, token):
    response = send(
        client, "post", f"/api/v1/indicators/{indicator.pk + 1000}/measurements", {"year": 2016}, token
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"year": 2016, "value": 5, "colour": "red"}, "colour"),
        ({"year": "2016", "value": 5}, "year"),
        ({"year": 2016, "value": "five"}, "value"),
        ({"year": 2016, "value": 5, "submit": "yes"}, "submit"),
        ({"year": 2016, "value": 5, "collected_on": "31.02.2016"}, "collected_on"),
        ({"year": 70000, "value": 5}, "year"),
        ({"value": 5}, "year"),
        ([2016, 5], None),
    ],
)
def test_a_body_of_wrong_types_or_with_unknown_fields_is_a_422(client, indicator, token, body, field):
    before = state_of_everything()
    response = send(client, "post", measurements_url(indicator), body, token)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid"
    if field:
        assert any(field in error["loc"] for error in response.json()["errors"])
    assert state_of_everything() == before


def test_malformed_json_is_a_400(client, indicator, token):
    response = send(client, "post", measurements_url(indicator), "{not json", token)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "There is no such reporting period for this indicator."),
     ("bg", "Няма такъв отчетен период за този индикатор.")],
)  # fmt: skip
def test_the_services_refusals_are_422s_in_the_requests_language(client, indicator, token, language, message):
    before = state_of_everything()
    response = send(
        client, "post", measurements_url(indicator), {"year": 1990, "value": 5}, token,
        HTTP_ACCEPT_LANGUAGE=language,
    )  # fmt: skip
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"loc": ["body", "payload", "period"], "msg": message, "type": "refused"} in errors
    assert state_of_everything() == before


def test_a_value_already_submitted_is_a_409(client, indicator, token):
    MeasurementFactory(indicator=indicator, year=2016, state=MeasurementState.SUBMITTED)
    before = state_of_everything()
    response = send(
        client,
        "post",
        measurements_url(indicator),
        {"year": 2016, "value": 5},
        token,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert "already submitted or approved" in response.json()["detail"]
    assert state_of_everything() == before


def test_a_concurrent_edit_is_a_409_and_a_stale_if_match_a_412(client, indicator, token):
    draft = send(
        client, "post", measurements_url(indicator), {"year": 2016, "value": 1, "submit": False}, token
    )
    etag = draft["ETag"]
    moved = send(
        client, "post", measurements_url(indicator), {"year": 2016, "value": 2, "submit": False}, token
    )
    assert moved.json()["version"] == 2
    before = state_of_everything()
    stale_version = send(
        client, "post", measurements_url(indicator), {"year": 2016, "value": 3, "version": 1}, token
    )
    assert stale_version.status_code == 409
    assert stale_version.json()["code"] == "conflict"
    stale_etag = send(
        client, "post", measurements_url(indicator), {"year": 2016, "value": 3}, token, HTTP_IF_MATCH=etag
    )
    assert stale_etag.status_code == 412
    assert stale_etag.json()["code"] == "precondition_failed"
    no_such = send(
        client, "post", measurements_url(indicator), {"year": 2017, "value": 3}, token, HTTP_IF_MATCH=etag
    )
    assert no_such.status_code == 412  # If-Match names a version of a value that does not exist
    assert state_of_everything() == before


# --- A project's progress and status -------------------------------------------------------------


@pytest.fixture
def project(town):
    return ProjectFactory(municipality=town, progress=40)


def progress_url(project) -> str:
    return f"/api/v1/projects/{project.pk}/progress"


def test_a_project_manager_updates_progress_and_status_through_the_api(client, town, project):
    token = token_of(staff(town, Role.PROJECT_MANAGER))
    read = client.get(progress_url(project))
    assert read.status_code == 200 and read.json()["progress"] == 40
    etag = read["ETag"]
    assert etag == f'"project-{project.pk}-{project.version}"'
    assert client.get(progress_url(project), HTTP_IF_NONE_MATCH=etag).status_code == 304
    response = send(client, "patch", progress_url(project), {"progress": 75}, token, HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert response.json()["progress"] == 75 and response.json()["version"] == project.version + 1
    response = send(client, "patch", progress_url(project), {"status": "completed", "progress": 100}, token)
    assert response.status_code == 200
    project.refresh_from_db()
    assert (project.status, project.progress) == ("completed", 100)
    assert list(
        AuditEvent.objects.filter(object_type="projects.project", object_id=str(project.pk))
        .order_by("pk")
        .values_list("action", "changes")
    ) == [
        ("update", {"progress": [40, 75]}),
        ("update", {"status": ["in_progress", "completed"], "progress": [75, 100]}),
    ]
    assert client.get(progress_url(project))["ETag"] == response["ETag"] != etag


@pytest.mark.parametrize(
    ("who", "body", "headers", "status", "code"),
    [
        ("planner_elsewhere", {"progress": 50}, {}, 403, "forbidden"),
        ("verifier", {"progress": 50}, {}, 403, "forbidden"),
        ("manager", {"progress": 101}, {}, 422, "invalid"),
        ("manager", {"progress": "50"}, {}, 422, "invalid"),
        ("manager", {"status": "finished"}, {}, 422, "invalid"),
        ("manager", {"status": None}, {}, 422, "invalid"),
        ("manager", {}, {}, 422, "invalid"),
        ("manager", {"progress": 50, "budget": 1}, {}, 422, "invalid"),
        ("manager", {"progress": 50, "version": 99}, {}, 409, "conflict"),
        ("manager", {"progress": 50}, {"HTTP_IF_MATCH": '"project-0-1"'}, 412, "precondition_failed"),
        ("nobody", {"progress": 50}, {}, 401, "unauthenticated"),
    ],
)
def test_refused_project_writes_change_nothing(client, town, project, who, body, headers, status, code):
    users = {
        "planner_elsewhere": lambda: staff(MunicipalityFactory(slug="karlovo"), Role.PLANNER),
        "verifier": lambda: staff(town, Role.VERIFIER),
        "manager": lambda: staff(town, Role.PROJECT_MANAGER),
        "nobody": lambda: None,
    }
    user = users[who]()
    secret = token_of(user) if user else None
    before = state_of_everything()
    response = send(
        client, "patch", progress_url(project), body, secret, HTTP_ACCEPT_LANGUAGE="en", **headers
    )
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    if status == 403:  # a message for people, not the role table's action name
        assert response.json()["detail"] == "You may not do this with this token."
    assert state_of_everything() == before


def test_an_unknown_project_is_a_404(client, town, project):
    token = token_of(staff(town, Role.PROJECT_MANAGER))
    assert (
        send(
            client, "patch", f"/api/v1/projects/{project.pk + 99}/progress", {"progress": 1}, token
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/projects/{project.pk + 99}/progress").status_code == 404


def test_a_token_of_someone_who_is_no_staff_any_more_is_refused_for_projects(client, town, project):
    manager = staff(town, Role.PROJECT_MANAGER)
    token = token_of(manager)
    Membership.objects.filter(user=manager).delete()
    before = state_of_everything()
    assert send(client, "patch", progress_url(project), {"progress": 5}, token).status_code == 403
    assert state_of_everything() == before


def test_the_openapi_description_declares_the_writes_and_their_errors(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    post = paths["/api/v1/indicators/{id}/measurements"]["post"]
    assert set(post["responses"]) == {"200", "201", "400", "401", "403", "404", "409", "412", "422", "429"}
    assert post["security"] == [{"ApiTokenAuth": []}]
    patch = paths["/api/v1/projects/{id}/progress"]["patch"]
    assert {"401", "403", "404", "409", "412", "422"} <= set(patch["responses"])
    assert "security" not in paths["/api/v1/projects/{id}/progress"]["get"]


def test_a_citizen_cannot_make_a_token(town):
    with translation.override("en"), pytest.raises(Exception, match="staff"):
        account_services.api_token_create(actor=UserFactory(), name="mine")
