"""E-mail sent by background tasks (notifications), never failing unnoticed: a failure is logged,
with what was being sent but never the addresses, and the task is queued again a few times, later,
where the task backend can defer; each failed attempt is raised so that the worker records it.

Each message goes to one person and is sent on its own (over one connection): an address the
mail server refuses is logged, without the address, and not tried again, and it does not stop the
others. A retry sends only to the people still waiting (``Pending``), so nobody gets it twice."""

import datetime
import logging
import smtplib
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
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


@dataclass
class Pending:
    """Who is still to get the e-mail, by key (a user id): ``None`` for everyone concerned."""

    keys: list | None = None


@dataclass
class Message:
    key: Hashable  # who the message is for (a user id), as kept in ``Pending``
    subject: str
    body: str
    address: str


def send_each(messages: Sequence[Message], *, pending: Pending, description: str) -> int:
    """Send each message on its own, over one connection; return how many were sent. An address
    the server refuses is logged and dropped; any other failure raises, with ``pending`` left
    holding the keys of the messages not yet sent."""
    if not messages:
        pending.keys = []
        return 0
    sent = done = 0
    try:
        with get_connection() as connection:
            for message in messages:
                email = EmailMessage(
                    message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.address],
                    connection=connection,
                )  # fmt: skip
                try:
                    sent += email.send()
                except smtplib.SMTPRecipientsRefused:
                    # Permanent: trying again would only fail again (and hold the others back).
                    logger.warning("The mail server refused the address of a recipient of %s.", description)
                done += 1
    finally:
        if done:
            pending.keys = [message.key for message in messages[done:]]
    return sent


def send_or_retry(
    *,
    task,
    args: tuple,
    attempt: int,
    send: Callable[[Pending], int],
    description: str,
    recipients: list | None = None,
) -> int:
    """Run ``send`` (which sends the e-mail to the ``Pending`` recipients it is given, raises on
    failure and leaves in it those it did not reach) for ``task`` called with ``args``,
    ``attempt`` and ``recipients``; on failure log it and queue ``task(*args, attempt=attempt + 1,
    recipients=...)`` for those still pending after a delay, unless this was the last attempt or
    the backend runs tasks at once (the embedded default: retrying inline would hold the request
    that caused the e-mail)."""
    pending = Pending(keys=None if recipients is None else list(recipients))
    try:
        return send(pending)
    except Exception:
        logger.exception("Sending %s failed (attempt %s of %s).", description, attempt, MAX_ATTEMPTS)
        if attempt < MAX_ATTEMPTS and pending.keys != [] and task.get_backend().supports_defer:
            delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1]
            kwargs: dict[str, object] = {"attempt": attempt + 1}
            if pending.keys is not None:
                kwargs["recipients"] = pending.keys
            task.using(run_after=timezone.now() + delay).enqueue(*args, **kwargs)
        raise
