"""E-mail to a topic's followers (issue 8, review): each follower gets the e-mail once, an address
the mail server refuses holds nobody else back, and a retry never mails a post hidden meanwhile."""

import logging
from smtplib import SMTPRecipientsRefused, SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django_tasks import default_task_backend

from civitas.forum import services, tasks
from civitas.forum.models import Follow, PostState
from civitas.testing.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db


class RefusesOneAddress(EmailBackend):
    """Like SMTP: sends the messages in order and raises at the first refused recipient."""

    def send_messages(self, messages):
        sent = 0
        for message in messages:
            if "bad@" in message.to[0]:
                raise SMTPRecipientsRefused({message.to[0]: (550, b"no such user")})
            super().send_messages([message])
            sent += 1
        return sent


class DropsAfterOne(EmailBackend):
    """A server that goes away after one message (per connection)."""

    def open(self):
        self.left = 1
        return super().open()

    def send_messages(self, messages):
        if self.left == 0:
            raise SMTPServerDisconnected("gone")
        self.left -= 1
        return super().send_messages(messages)


@pytest.fixture
def dummy_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.results.clear()
    return default_task_backend


@pytest.fixture
def topic():
    town = MunicipalityFactory(slug="sopot")
    topic = services.topic_create(
        actor=UserFactory(email="anna@example.org"), municipality=town, title="Тема", body="Текст"
    )
    for email in ("boris@example.org", "zz-bad@example.org", "vera@example.org"):
        Follow.objects.create(topic=topic, user=UserFactory(email=email))
    return topic


def _post(topic, body="Отговор"):
    return services.post_create(
        actor=UserFactory(email="author@example.org"), topic=topic, body=body, notify=False
    )


def _run_with_retries(task, post, results, **kwargs) -> None:
    """Call ``task`` as the worker would, then each retry it queues, until none is queued."""
    for _ in range(10):
        results.clear()
        try:
            task.call(post.pk, **kwargs)
        except Exception:
            pass
        if not results:
            return
        kwargs = dict(results[0].kwargs)
    raise AssertionError("retried without end")


def _received():
    return sorted(address for message in mail.outbox for address in message.to)


def test_a_refused_address_is_dropped_and_the_others_get_the_e_mail_once(
    topic, settings, dummy_tasks, caplog
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusesOneAddress"
    post = _post(topic)
    with caplog.at_level(logging.WARNING):
        assert tasks.notify_followers.call(post.pk) == 3
    assert dummy_tasks.results == []  # nothing left to retry: the refusal is permanent
    assert _received() == ["anna@example.org", "boris@example.org", "vera@example.org"]
    assert any("refused" in record.getMessage() for record in caplog.records)
    assert "zz-bad@example.org" not in caplog.text


def test_a_retry_goes_only_to_those_who_did_not_get_the_e_mail(topic, settings, dummy_tasks):
    settings.EMAIL_BACKEND = f"{__name__}.DropsAfterOne"
    post = _post(topic)
    with pytest.raises(SMTPServerDisconnected):
        tasks.notify_followers.call(post.pk)
    [retry] = dummy_tasks.results
    assert retry.kwargs["attempt"] == 2 and len(retry.kwargs["recipients"]) == 3
    _run_with_retries(tasks.notify_followers, post, dummy_tasks.results, **retry.kwargs)
    assert _received() == ["anna@example.org", "boris@example.org", "vera@example.org", "zz-bad@example.org"]


class RefusesOneAddressAndDropsAfterOne(RefusesOneAddress, DropsAfterOne):
    pass


def test_with_a_refused_address_and_a_failing_server_everyone_else_gets_it_once(topic, settings, dummy_tasks):
    settings.EMAIL_BACKEND = f"{__name__}.RefusesOneAddressAndDropsAfterOne"
    post = _post(topic)
    _run_with_retries(tasks.notify_followers, post, dummy_tasks.results)
    assert _received() == ["anna@example.org", "boris@example.org", "vera@example.org"]


@pytest.mark.parametrize("state", [PostState.HIDDEN, PostState.REMOVED])
def test_a_retry_does_not_mail_a_post_no_longer_visible(topic, dummy_tasks, state):
    post = _post(topic, body="ОБИДА")
    post.state = state  # a moderator hid it (or its author removed it) after the first attempt failed
    post.save(update_fields=["state"])
    assert tasks.notify_followers.call(post.pk, attempt=2) == 0
    assert mail.outbox == [] and dummy_tasks.results == []
