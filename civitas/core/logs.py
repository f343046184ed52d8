"""Structured logs: one JSON object per line (or readable text on a developer's machine), each
line of a request carrying its request id, method and path, each line of a background task its
task id, so that everything one request or task caused is found by one search (docs/operations.md,
Logs). Passwords, tokens, session ids and e-mail addresses never reach a log line: the request's
own fields are chosen, not copied, secret parts of addresses are masked, and messages are scrubbed.

Settings: LOGGING in settings.py installs ``RequestContextFilter`` on the handler and one of the
two formatters; ``requestlog.RequestLogMiddleware`` binds each request."""

import json
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from django_tasks import signals as task_signals

# The request being served in this thread or task, and the background task being run.
_request: ContextVar[Any] = ContextVar("civitas_request", default=None)
_request_id: ContextVar[str | None] = ContextVar("civitas_request_id", default=None)
_task_id: ContextVar[str | None] = ContextVar("civitas_task_id", default=None)

# Parts of an address that are secrets (a password-reset or sign-in link's token): masked in logs.
SECRET_URL_ARGUMENTS = ("token", "uidb64")
MASK = "[hidden]"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
SECRET_ASSIGNMENT = re.compile(
    r"(?i)\b(password|passwd|secret|token|api[_-]?key|sessionid|csrftoken|authorization)(\s*[=:]\s*)"
    r"(bearer\s+|token\s+)?[^\s,;&]+"
)
# Fields of a log record that a line shows, beside time, level, logger and message.
FIELDS = ("request_id", "task_id", "method", "path", "status", "duration_ms", "user_id")


def scrub(text: str) -> str:
    """A message without e-mail addresses and without the value of anything that looks like a
    password, token or session id (``password=…``, ``Authorization: Bearer …``)."""
    text = SECRET_ASSIGNMENT.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)
    return EMAIL.sub("[e-mail]", text)


def logged_path(request) -> str:
    """The request's path as logs show it: without its query string (which may carry a token), with
    the secret parts of a link (a reset or sign-in token) masked once the address is resolved, and
    scrubbed like any message."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name in SECRET_URL_ARGUMENTS:
            value = match.kwargs.get(name)
            if value:
                path = path.replace(str(value), MASK)
    return scrub(path)


# --- Binding a request or a task to the lines it logs -------------------------------------------


def bind_request(request, request_id: str):
    """Every line logged from here on in this context carries the request's id, method and path;
    returns what ``unbind_request`` needs."""
    return _request.set(request), _request_id.set(request_id)


def unbind_request(tokens) -> None:
    request_token, id_token = tokens
    _request.reset(request_token)
    _request_id.reset(id_token)


def current_request_id() -> str | None:
    return _request_id.get()


def task_started(sender=None, task_result=None, **kwargs) -> None:
    """django-tasks' task_started signal: the worker's lines carry the task's id until it ends."""
    _task_id.set(str(getattr(task_result, "id", "")) or None)


def task_finished(sender=None, task_result=None, **kwargs) -> None:
    _task_id.set(None)


def connect_task_signals() -> None:
    task_signals.task_started.connect(task_started, dispatch_uid="civitas.core.logs.task_started")
    task_signals.task_finished.connect(task_finished, dispatch_uid="civitas.core.logs.task_finished")


# --- The filter and the formatters --------------------------------------------------------------


class RequestContextFilter(logging.Filter):
    """Adds the request's id, method and path and the task's id to every record (None outside a
    request or a task), so that any formatter can show them. Installed on the handler, so that it
    sees the records of every logger."""

    def __init__(self, name: str = "") -> None:
        super().__init__(name)
        connect_task_signals()  # the logging set-up runs in every process: web servers and workers

    def filter(self, record: logging.LogRecord) -> bool:
        request = _request.get()
        request_id, task_id = _request_id.get(), _task_id.get()
        record.request_id, record.task_id = request_id, task_id
        if request is not None:
            if not hasattr(record, "method"):
                record.method = request.method
            path = getattr(record, "path", None) or logged_path(request)
            record.path = path
            if path != request.path and request.path in (message := record.getMessage()):
                record.msg, record.args = message.replace(request.path, path), ()
        if not hasattr(record, "status") and hasattr(record, "status_code"):
            record.status = record.status_code  # django.request's refusals and errors
        record.context = " ".join(
            f"{name}={value}" for name, value in (("request", request_id), ("task", task_id)) if value
        ) or "-"  # fmt: skip
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, and whichever of
    request_id, task_id, method, path, status, duration_ms and user_id the record has; an exception
    as its traceback. Only these fields are written, whatever else a record carries (the request
    object, its headers, its cookies)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        for field in FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                line[field] = value
        line.setdefault("request_id", None)
        if "duration_ms" in line:  # a request's own line says who made it, or that nobody was signed in
            line.setdefault("user_id", None)
        if record.exc_info:
            line["exception"] = scrub(self.formatException(record.exc_info))
        elif record.exc_text:
            line["exception"] = scrub(record.exc_text)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """Readable lines for a developer: time, level, logger, the request or task, the message."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(context)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "context"):
            record.context = "-"
        return scrub(super().format(record))
