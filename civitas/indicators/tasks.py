"""Background work of the indicators app (django-tasks; run inline in the embedded default):
reporting reminders, and imports of measurement files too large for a web request, with the
functions that queue them.

It sits above ``services`` and ``imports`` (a task runs them), so neither of them imports it: what
queues a task lives here, beside the task.
"""

import datetime
import logging
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import TaskContext, task

from civitas.core.models import Municipality

from . import imports, policy, selectors
from .imports import ImportResult, RowError
from .models import ImportJob, ImportJobState, ReminderSent
from .reporting import CalendarKind

logger = logging.getLogger(__name__)

# A background import still "running" this long after it started has lost its worker (20,000 rows
# take well under a minute or two): it is shown as failed, and a task delivered again reruns it.
JOB_TIMEOUT = datetime.timedelta(minutes=15)


# Reporting reminders ------------------------------------------------------------------------------


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Enqueue one reminder e-mail for each indicator owner, in each municipality, who has values
    due within settings.CIVITAS_REMINDER_DAYS_AHEAD days or overdue, unless one was already sent
    to them today. The e-mails go out from a background task after the transaction commits;
    returns how many were enqueued."""
    today = today or timezone.localdate()
    enqueued = 0
    for municipality in Municipality.objects.order_by("pk"):
        owners = set(selectors.reminder_items(municipality, today=today))
        done = set(
            ReminderSent.objects.filter(municipality=municipality, day=today).values_list(
                "owner_id", flat=True
            )
        )
        for owner_id in sorted(owners - done):
            transaction.on_commit(
                partial(send_reminder.enqueue, municipality.pk, owner_id, today.isoformat())
            )
            enqueued += 1
    return enqueued


@task()
def send_reminder(municipality_id: int, owner_id: int, day: str) -> bool:
    """E-mail one indicator owner their reporting reminder for ``day`` (ISO date), once."""
    return reminder_deliver(
        municipality_id=municipality_id, owner_id=owner_id, day=datetime.date.fromisoformat(day)
    )


@transaction.atomic
def reminder_deliver(*, municipality_id: int, owner_id: int, day: datetime.date) -> bool:
    """E-mail one owner the values due soon and overdue, once a day: in Bulgarian, followed by
    English when the owner's profile asks for English. False when there is nothing to send or it
    was already sent."""
    municipality = Municipality.objects.get(pk=municipality_id)
    owner = get_user_model().objects.select_related("profile").get(pk=owner_id)
    items = selectors.reminder_items(municipality, today=day, owner=owner).get(owner.pk, [])
    if not items:
        return False
    record, created = ReminderSent.objects.get_or_create(municipality=municipality, owner=owner, day=day)
    if not created:
        return False
    record.due_count = sum(1 for item in items if item.kind == CalendarKind.DUE)
    record.overdue_count = sum(1 for item in items if item.kind == CalendarKind.OVERDUE)
    record.save(update_fields=["due_count", "overdue_count"])
    profile = getattr(owner, "profile", None)
    languages = ["bg", "en"] if profile is not None and profile.language == "en" else ["bg"]
    subjects, bodies = [], []
    for language in languages:
        with translation.override(language):
            context = {
                "municipality": municipality, "owner": owner, "items": items, "day": day,
                "due": [i for i in items if i.kind == CalendarKind.DUE],
                "overdue": [i for i in items if i.kind == CalendarKind.OVERDUE],
                "link": settings.CIVITAS_SITE_URL.rstrip("/")
                + reverse("indicators:calendar", args=[municipality.slug]),
            }  # fmt: skip
            subjects.append(
                _("Indicator values to report: %(municipality)s") % {"municipality": municipality.name}
            )
            bodies.append(render_to_string("indicators/reminder_email.txt", context).strip())
    send_mail(" / ".join(subjects), "\n\n----\n\n".join(bodies), settings.DEFAULT_FROM_EMAIL, [owner.email])
    return True


# Measurement files imported in the background ------------------------------------------------------


def import_upload(
    *, actor, municipality: Municipality, file_name: str, data: bytes, submit: bool, language: str
) -> ImportJob | ImportResult:
    """The upload page's one call: a file of up to settings.CIVITAS_IMPORT_BACKGROUND_ROWS rows is
    imported at once (its result, as ``imports.import_measurements``); a larger one is kept as a
    job for the background (``import_job_create``), whose page shows the progress and the report."""
    policy.require_enter_values(actor, municipality)
    if imports.estimated_rows(data) > settings.CIVITAS_IMPORT_BACKGROUND_ROWS:
        return import_job_create(
            actor=actor, municipality=municipality, file_name=file_name, data=data, submit=submit,
            language=language,
        )  # fmt: skip
    return imports.import_measurements(actor=actor, municipality=municipality, data=data, submit=submit)


@transaction.atomic
def import_job_create(
    *, actor, municipality: Municipality, file_name: str, data: bytes, submit: bool, language: str
) -> ImportJob:
    """Keep a large file to import it in the background, once this transaction commits."""
    policy.require_enter_values(actor, municipality)
    job = ImportJob.objects.create(
        municipality=municipality, created_by=actor, file_name=file_name[:255], data=data, submit=submit,
        language=language, rows_total=imports.estimated_rows(data),
    )  # fmt: skip
    transaction.on_commit(lambda: run_measurement_import.enqueue(job.pk))
    return job


@task(takes_context=True)
def run_measurement_import(context: TaskContext, job_id: int) -> str:
    """Import a large measurements file (``import_job_run``); returns the job's final state. A
    second attempt of the same task means its worker died running it (core.workers queues it again)."""
    return import_job_run(job_id=job_id, redelivered=context.attempt > 1)


def _stopped_by_error() -> str:
    return _("The import stopped because of an error in Civitas: nothing was saved. Try again later.")


def _stale_running() -> Q:
    """Jobs still "running" long after they started: their worker died (killed, out of memory, a
    task timeout) without a word. Nothing they checked was saved: the save is one transaction."""
    return Q(state=ImportJobState.RUNNING, started_at__lt=timezone.now() - JOB_TIMEOUT)


def import_jobs_expire(**filters) -> int:
    """Mark as failed (and clear the file kept for) the jobs among ``filters`` whose worker died;
    the job's page and lists call it, so that no job shows "running" for ever. Returns how many."""
    expired = 0
    for job in ImportJob.objects.filter(_stale_running(), **filters).only("pk", "language", "started_at"):
        with translation.override(job.language):
            report = [{"row": None, "column": "", "letter": "", "message": _stopped_by_error()}]
        expired += ImportJob.objects.filter(
            pk=job.pk, state=ImportJobState.RUNNING, started_at=job.started_at
        ).update(state=ImportJobState.FAILED, data=b"", finished_at=timezone.now(), report=report)
    return expired


def import_job_run(*, job_id: int, redelivered: bool = False) -> str:
    """Run a queued import: read, check (its progress saved as it goes), then write all or
    nothing, exactly as in the page; the report is kept on the job. Returns the final state.
    A job whose worker died is run again by its task delivered again (``redelivered``: the dead
    worker's task queued again, core.workers), or by any delivery once it has been running for
    JOB_TIMEOUT."""
    reclaimable = Q(state=ImportJobState.RUNNING) if redelivered else _stale_running()
    claimed = ImportJob.objects.filter(Q(state=ImportJobState.QUEUED) | reclaimable, pk=job_id).update(
        state=ImportJobState.RUNNING, started_at=timezone.now(), rows_done=0
    )
    if not claimed:
        return ImportJob.objects.get(pk=job_id).state  # already run (a task delivered twice)
    job = ImportJob.objects.select_related("municipality", "created_by").get(pk=job_id)

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(rows_done=done, rows_total=total)

    try:
        with translation.override(job.language):
            if job.created_by is None or not job.created_by.is_active:
                result = ImportResult(
                    errors=[
                        RowError(None, "", _("The person who uploaded the file no longer has an account."))
                    ]
                )
            else:
                result = imports.import_measurements(
                    actor=job.created_by, municipality=job.municipality, data=bytes(job.data), submit=job.submit,
                    progress=progress,
                )  # fmt: skip
    except PermissionDenied:
        # The uploader lost the right to enter values since: as when they may enter none of its rows.
        with translation.override(job.language):
            result = ImportResult(
                errors=[RowError(None, "", _("Only the indicator's owner enters its measurements."))]
            )
    except Exception:
        logger.exception("Measurement import %s failed", job_id)
        with translation.override(job.language):
            result = ImportResult(errors=[RowError(None, "", _stopped_by_error())])
    state = ImportJobState.DONE if result.ok else ImportJobState.FAILED
    ImportJob.objects.filter(pk=job_id).update(
        state=state, saved=result.saved, submitted=result.submitted, data=b"", finished_at=timezone.now(),
        report=[{"row": e.row, "column": e.column, "letter": e.letter, "message": e.message} for e in result.errors],
    )  # fmt: skip
    return state
