"""Structured logs: every line of a request is one JSON object with the request's id, the same id
as its response header; an id sent by anybody but a trusted proxy is not used; passwords, tokens,
session ids and e-mail addresses appear on no line; a background task's lines carry its id."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django_tasks import task

from civitas.core.logs import JsonFormatter, RequestContextFilter, TextFormatter, scrub
from civitas.testing.factories import UserFactory
from civitas.testing.signin import sign_in

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "Tajna-Parola-92!"


@pytest.fixture
def log_lines():
    """What the site logs while the test runs, through the JSON formatter, each line parsed (a line
    that is not one JSON object fails the test); request lines included."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    requests = logging.getLogger("civitas.request")
    level = requests.level
    requests.setLevel(logging.INFO)
    root.addHandler(handler)

    def lines() -> list[dict]:
        text = stream.getvalue()
        parsed = [json.loads(line) for line in text.splitlines()]
        assert all(isinstance(line, dict) for line in parsed)
        return parsed

    lines.text = stream.getvalue  # type: ignore[attr-defined]
    yield lines
    root.removeHandler(handler)
    requests.setLevel(level)


@pytest.mark.django_db
def test_every_line_of_a_request_is_json_with_the_id_of_its_response_header(client, log_lines):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    lines = [line for line in log_lines() if line.get("request_id") == request_id]
    loggers = {line["logger"] for line in lines}
    assert {"django.request", "civitas.request"} <= loggers  # the refusal and the request's own line
    for line in lines:
        assert {"time", "level", "logger", "message", "request_id", "method", "path"} <= line.keys()
        assert line["method"] == "GET"
        assert line["path"] == "/no-such-page/"
    (summary,) = [line for line in lines if line["logger"] == "civitas.request"]
    assert summary["status"] == 404
    assert summary["duration_ms"] >= 0
    assert summary["user_id"] is None
    # Each request has its own id.
    assert client.get("/no-such-page/")["X-Request-ID"] != request_id


@pytest.mark.django_db
def test_a_signed_in_request_line_names_the_user_by_id(client, log_lines):
    user = UserFactory()
    sign_in(client, user)
    response = client.get(reverse("accounts:profile"))
    (summary,) = [line for line in log_lines() if line["logger"] == "civitas.request"]
    assert summary["request_id"] == response["X-Request-ID"]
    assert summary["user_id"] == user.pk


@pytest.mark.django_db
def test_the_request_line_costs_no_query(client, log_lines, django_assert_num_queries):
    sign_in(client, UserFactory())
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    (summary,) = [line for line in log_lines() if line["logger"] == "civitas.request"]
    assert summary["request_id"] == response["X-Request-ID"]


def test_a_trusted_proxy_s_id_is_kept(client, settings, log_lines):
    settings.CIVITAS_TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy_id = "7f3a9c1e5b2d4f60a8c7e9d1b3f5a7c9"
    response = client.get("/healthz", REMOTE_ADDR="10.1.2.3", HTTP_X_REQUEST_ID=proxy_id)
    assert response["X-Request-ID"] == proxy_id
    assert [line["request_id"] for line in log_lines()] == [proxy_id]


@pytest.mark.parametrize(
    ("remote", "sent"),
    [
        ("203.0.113.9", "7f3a9c1e5b2d4f60a8c7e9d1b3f5a7c9"),  # a client is not a proxy
        ("10.1.2.3", 'forged" level="ERROR'),  # a proxy's id must look like one
        ("10.1.2.3", "x" * 300),
    ],
)
def test_an_id_from_anybody_else_is_replaced(client, settings, log_lines, remote, sent):
    settings.CIVITAS_TRUSTED_PROXIES = ["10.0.0.0/8"]
    response = client.get("/healthz", REMOTE_ADDR=remote, HTTP_X_REQUEST_ID=sent)
    assert response["X-Request-ID"] != sent
    assert sent not in log_lines.text()
    assert [line["request_id"] for line in log_lines()] == [response["X-Request-ID"]]


@pytest.mark.django_db
def test_passwords_tokens_session_ids_and_e_mail_addresses_are_never_logged(client, log_lines):
    user = UserFactory(
        username="maria.petrova@example.org", email="maria.petrova@example.org", password=PASSWORD
    )
    # A wrong password, then the right one (the form's refusal and the redirect are both logged).
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD + "x"})
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    session_id = client.cookies["sessionid"].value
    # A password-reset link carries a token in its address, an API call one in its query string.
    reset = reverse("accounts:password_reset_confirm", args=["MQ", "cxyz12-0123456789abcdef0123456789abcdef"])
    client.get(reset)
    client.get("/no-such-page/?token=s3cr3t-api-token&email=maria.petrova@example.org")
    client.get("/maria.petrova@example.org/")
    logging.getLogger("civitas.test").warning(
        "Sending to maria.petrova@example.org failed; password=%s Authorization: Bearer abc.def",
        PASSWORD,
    )
    text = log_lines.text()
    lines = log_lines()
    assert any(line.get("path") == "/accounts/password-reset/[hidden]/[hidden]/" for line in lines)
    assert len([line for line in lines if line["logger"] == "civitas.request"]) == 5
    for secret in (PASSWORD, session_id, "cxyz12-0123456789abcdef", "s3cr3t-api-token", "maria.petrova",
                   "abc.def"):  # fmt: skip
        assert secret not in text


def test_scrub_hides_addresses_and_assigned_secrets():
    assert scrub("mail to ivan@obshtina.bg") == "mail to [e-mail]"
    assert scrub("token=abc123 and sessionid: zz9") == "token=[hidden] and sessionid: [hidden]"
    assert scrub("nothing to hide") == "nothing to hide"


@task()
def logging_task() -> None:
    logging.getLogger("civitas.test").warning("a line from a task")


def test_a_task_s_lines_carry_its_id(log_lines):
    result = logging_task.enqueue()
    (line,) = [line for line in log_lines() if line["message"] == "a line from a task"]
    assert line["task_id"] == str(result.id)
    logging.getLogger("civitas.test").warning("after the task")
    assert "task_id" not in log_lines()[-1]


def test_the_text_format_shows_the_request_and_the_task():
    record = logging.LogRecord("civitas.test", logging.WARNING, __file__, 1, "to %s", ("a@b.bg",), None)
    RequestContextFilter().filter(record)
    assert TextFormatter().format(record).endswith("WARNING civitas.test - to [e-mail]")


def _settings_value(env: dict, name: str) -> subprocess.CompletedProcess:
    base = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG"}}
    code = f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=base | {"DJANGO_SETTINGS_MODULE": "civitas.settings", "CIVITAS_VAR_DIR": "/tmp"} | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_logs_json_and_a_developer_reads_text():
    production = {"DATABASE_URL": "postgres://civitas:secret@db.example.org/civitas", "SECRET_KEY": "k" * 50}
    assert _settings_value(production, "LOG_FORMAT").stdout.strip() == "json"
    assert _settings_value({}, "LOG_FORMAT").stdout.strip() == "text"  # make run's embedded default
    assert _settings_value(production | {"LOG_FORMAT": "text"}, "LOG_FORMAT").stdout.strip() == "text"
    assert _settings_value(production, "LOG_REQUESTS").stdout.strip() == "True"
    # Errors only (the benchmarks' servers): no line per request.
    assert _settings_value(production | {"LOG_LEVEL": "ERROR"}, "LOG_REQUESTS").stdout.strip() == "False"
    refused = _settings_value({"LOG_FORMAT": "xml"}, "LOG_FORMAT")
    assert refused.returncode != 0
    assert "LOG_FORMAT" in refused.stderr
