"""E-mail sent by background tasks (notifications), never failing unnoticed: a failure is logged,
with what was being sent but never the addresses, and the task is queued again a few times, later,
where the task backend can defer; each failed attempt is raised so that the worker records it.
A retry sends the whole batch again: if the server failed halfway, some people may get the
e-mail twice, which is better than others never getting it."""

import datetime
import logging
from collections.abc import Callable

from django.utils import timezone

logger = logging.getLogger(__name__)

# Attempts in all, and the wait before each retry: a mail server that is down for a few
# minutes or restarted overnight loses nothing.
MAX_ATTEMPTS = 4
RETRY_DELAYS = (
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=3),
)


def send_or_retry(*, task, args: tuple, attempt: int, send: Callable[[], int], description: str) -> int:
    """Run ``send`` (which sends the e-mail and raises on failure) for ``task`` called with
    ``args`` and ``attempt``; on failure log it and queue ``task(*args, attempt=attempt + 1)``
    after a delay, unless this was the last attempt or the backend runs tasks at once (the
    embedded default: retrying inline would hold the request that caused the e-mail)."""
    try:
        return send()
    except Exception:
        logger.exception("Sending %s failed (attempt %s of %s).", description, attempt, MAX_ATTEMPTS)
        if attempt < MAX_ATTEMPTS and task.get_backend().supports_defer:
            delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1]
            task.using(run_after=timezone.now() + delay).enqueue(*args, attempt=attempt + 1)
        raise
