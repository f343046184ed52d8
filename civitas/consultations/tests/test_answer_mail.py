"""The e-mail with the answers to a consultation's proposals: a title cannot break its subject,
and a mail server that fails is logged and retried, never ignored."""

import logging
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

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
    import datetime

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
    from django_tasks import default_task_backend

    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with caplog.at_level(logging.ERROR), pytest.raises(SMTPException):
        tasks.notify_answers.call(published.pk)
    [record] = [record for record in caplog.records if record.name.startswith("civitas")]
    assert f"consultation {published.pk}" in record.getMessage()
    assert "maria@example.org" not in caplog.text
    [retry] = default_task_backend.results
    assert list(retry.args) == [published.pk] and retry.kwargs == {"attempt": 2}
