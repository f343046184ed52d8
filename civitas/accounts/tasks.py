"""Account e-mail sent by background tasks, so that a request does the same work whether or not
the account it names exists (the time of an SMTP round trip would tell): sign-in links and
password resets. The secret links are made in the task from the account's id, never stored in
the queue. A mail server that fails is logged and the e-mail queued again (civitas.core.mail)."""

from django_tasks import task

from civitas.core import mail

from . import notifications


@task()
def send_sign_in_link(user_id: int, site_url: str, language: str, attempt: int = 1) -> int:
    return mail.send_or_retry(
        task=send_sign_in_link, args=(user_id, site_url, language), attempt=attempt,
        send=lambda _pending: notifications.sign_in_link_mail(user_id=user_id, site_url=site_url, language=language),
        description=f"a sign-in link for account {user_id}",
    )  # fmt: skip


@task()
def send_password_reset(user_id: int, site_url: str, language: str, attempt: int = 1) -> int:
    return mail.send_or_retry(
        task=send_password_reset, args=(user_id, site_url, language), attempt=attempt,
        send=lambda _pending: notifications.password_reset_mail(user_id=user_id, site_url=site_url, language=language),
        description=f"a password reset for account {user_id}",
    )  # fmt: skip


@task()
def send_staff_invitation(
    user_id: int, municipality_id: int, role: str, site_url: str, language: str, attempt: int = 1
) -> int:
    return mail.send_or_retry(
        task=send_staff_invitation, args=(user_id, municipality_id, role, site_url, language), attempt=attempt,
        send=lambda _pending: notifications.staff_invitation_mail(
            user_id=user_id, municipality_id=municipality_id, role=role, site_url=site_url, language=language
        ),
        description=f"a staff invitation for account {user_id}",
    )  # fmt: skip
