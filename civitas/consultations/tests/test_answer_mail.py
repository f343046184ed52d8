"""The e-mail with the answers to a consultation's proposals: a title cannot break its subject,
and a mail server that fails is logged and retried, never ignored."""

import datetime
import logging
from smtplib import SMTPException, SMTPRecipientsRefused, SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django_tasks import default_task_backend

from civitas.consultations import services, tasks
from civitas.consultations.models import Consultation
from civitas.testing.factories import UserFactory

from .conftest import build_consultation

pytestmark = pytest.mark.django_db


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        if self.fail_silently:
            return 0
        raise SMTPException("connection refused")


@pytest.fixture
def published(sopot, planner):
    consultation = build_consultation(sopot, planner)
    services.proposal_submit(
        actor=UserFactory(email="maria@example.org"), consultation=consultation, text="Повече пейки"
    )
    services.consultation_close(
        actor=planner, consultation=consultation, now=consultation.closes_at + datetime.timedelta(minutes=1)
    )
    services.proposal_answer(
        actor=planner, proposal=consultation.proposals.get(), decision="accepted", reasons_bg="Мотиви"
    )
    services.report_publish(actor=planner, consultation=consultation, notify=False)
    return consultation


def test_a_line_break_in_the_title_does_not_stop_the_e_mail(published):
    Consultation.objects.filter(pk=published.pk).update(title_bg="Проект\r\nBcc: x@example.org")
    assert tasks.notify_answers.call(published.pk) == 1
    [message] = mail.outbox
    assert message.subject == "Отговори на вашите предложения: Проект Bcc: x@example.org"
    assert message.bcc == []


def test_a_failing_mail_server_is_logged_and_the_e_mail_queued_again(published, settings, caplog):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with caplog.at_level(logging.ERROR), pytest.raises(SMTPException):
        tasks.notify_answers.call(published.pk)
    [record] = [record for record in caplog.records if record.name.startswith("civitas")]
    assert f"consultation {published.pk}" in record.getMessage()
    assert "maria@example.org" not in caplog.text
    [retry] = default_task_backend.results
    assert list(retry.args) == [published.pk] and retry.kwargs == {"attempt": 2}


class RefusesOneAddress(BaseEmailBackend):
    """Like SMTP: sends the messages in order and raises at the first refused recipient; after
    ``DROP_AFTER`` messages on one connection, the server goes away."""

    DROP_AFTER = None

    def open(self):
        self.left = self.DROP_AFTER

    def send_messages(self, email_messages):
        for message in email_messages:
            if "bad@" in message.to[0]:
                raise SMTPRecipientsRefused({message.to[0]: (550, b"no such user")})
            if self.left == 0:
                raise SMTPServerDisconnected("gone")
            if self.left is not None:
                self.left -= 1
            mail.outbox.append(message)
        return len(email_messages)


class RefusesOneAddressAndDropsAfterOne(RefusesOneAddress):
    DROP_AFTER = 1


@pytest.fixture
def answered_three(sopot, planner):
    consultation = build_consultation(sopot, planner)
    for email in ("anna@example.org", "zz-bad@example.org", "vera@example.org"):
        services.proposal_submit(
            actor=UserFactory(email=email), consultation=consultation, text=f"Предложение {email}"
        )
    services.consultation_close(
        actor=planner, consultation=consultation, now=consultation.closes_at + datetime.timedelta(minutes=1)
    )
    for proposal in consultation.proposals.all():
        services.proposal_answer(actor=planner, proposal=proposal, decision="accepted", reasons_bg="Мотиви")
    services.report_publish(actor=planner, consultation=consultation, notify=False)
    return consultation


@pytest.mark.parametrize("backend", ["RefusesOneAddress", "RefusesOneAddressAndDropsAfterOne"])
def test_a_refused_address_holds_nobody_back_and_a_retry_mails_nobody_twice(
    answered_three, settings, backend
):
    # send_mass_mail stopped at the first refused address: every attempt failed, and those before
    # it got the answers four times. Now the refusal is logged and dropped, and a retry goes only
    # to those still waiting.
    settings.EMAIL_BACKEND = f"{__name__}.{backend}"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    kwargs = {}
    for _ in range(10):
        default_task_backend.results.clear()
        try:
            tasks.notify_answers.call(answered_three.pk, **kwargs)
        except SMTPException:
            pass
        if not default_task_backend.results:
            break
        kwargs = dict(default_task_backend.results[0].kwargs)
    assert sorted(message.to[0] for message in mail.outbox) == ["anna@example.org", "vera@example.org"]
