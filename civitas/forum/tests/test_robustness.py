"""The forum under hostile input: a post built to make the Markdown renderer work hard cannot
stall other people's saves (rendering grows linearly and runs outside any write transaction),
and a topic title cannot smuggle e-mail headers or make notifications fail unnoticed."""

import io
import logging
import sqlite3
import sys
import threading
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend
from django_tasks_db.models import DBTaskResult
from PIL import Image

from civitas.core import mail as core_mail
from civitas.core import uploads
from civitas.forum import markup, services, tasks
from civitas.forum.forms import PostForm, TopicForm
from civitas.forum.models import Post, Topic
from civitas.testing.factories import MunicipalityFactory, ProjectFactory, UserFactory
from civitas.testing.signin import sign_in

# --- Finding 2: rendering cost and the write lock -------------------------------------------------


def _python_calls(function, *args) -> int:
    """The function calls (Python and C) made while running ``function``: a measure of work that
    does not depend on the speed of the machine."""
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        function(*args)
    finally:
        sys.setprofile(None)
    return calls


@pytest.mark.parametrize("piece", ["[", "[a", "![", "[x]("])
def test_rendering_work_grows_linearly_with_the_length_of_the_post(piece):
    """Python-Markdown did four times the work for twice as many "[" (10,000 took 13 s)."""
    small = _python_calls(markup.render, piece * 400)
    large = _python_calls(markup.render, piece * 800)
    assert large / small < 2.5


def test_ordinary_markdown_still_renders():
    html = markup.render(
        "**важно** и *курсив*\n\n- едно\n- две\n\n1. първо\n2. второ\n\n> цитат\n\n"
        "[връзка](https://example.org) `код`\n\n### Заглавие"
    )
    for fragment in (
        "<strong>важно</strong>", "<em>курсив</em>", "<ul>\n<li>едно</li>", "<ol>\n<li>първо</li>",
        "<blockquote>\n<p>цитат</p>", "<code>код</code>", "<h3>Заглавие</h3>",
        '<a href="https://example.org" rel="nofollow noopener ugc">връзка</a>',
    ):  # fmt: skip
        assert fragment in html
    assert "<a" not in markup.render("[x](javascript:alert(1))")
    assert markup.render("<img src=x onerror=alert(1)>") == "<p>&lt;img src=x onerror=alert(1)&gt;</p>"


def test_a_body_longer_than_the_limit_is_refused_by_the_form():
    long_body = "[" * (services.MAX_BODY + 1)
    assert "body" in PostForm({"body": long_body}).errors
    assert "body" in TopicForm({"title": "Тема", "body": long_body}).errors


@pytest.mark.django_db(transaction=True)
def test_posts_are_rendered_and_photos_processed_outside_any_transaction(
    client, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    outside = []
    render, check_upload = markup.render, uploads.check_upload

    def render_checked(text):
        outside.append(("render", not transaction.get_connection().in_atomic_block))
        return render(text)

    def check_upload_checked(upload, **kwargs):
        outside.append(("photo", not transaction.get_connection().in_atomic_block))
        return check_upload(upload, **kwargs)

    monkeypatch.setattr(markup, "render", render_checked)
    monkeypatch.setattr(uploads, "check_upload", check_upload_checked)
    town = MunicipalityFactory(slug="sopot")
    author = UserFactory(email="author@example.org")
    topic = services.topic_create(
        actor=author,
        municipality=town,
        title="Тема",
        body="**първи**",
        project=ProjectFactory(municipality=town),
    )
    image = io.BytesIO()
    Image.new("RGB", (10, 10), "green").save(image, format="JPEG")
    post = services.post_create(
        actor=author,
        topic=topic,
        body="втори",
        kind="issue",
        photo=SimpleUploadedFile("a.jpg", image.getvalue()),
    )
    sign_in(client, author)  # and through the page: no transaction around the request either
    response = client.post(
        reverse("forum:topic", args=["sopot", topic.pk]), {"body": "трети", "kind": "comment"}
    )
    assert response.status_code == 302
    assert outside == [("render", True), ("render", True), ("photo", True), ("render", True)]
    assert topic.posts.first().body_html == "<p><strong>първи</strong></p>"
    assert post.photo.name.endswith(".jpg") and post.photo.storage.exists(post.photo.name)


@pytest.fixture
def file_database(transactional_db, tmp_path):
    """The test database moved to a file, so that threads see the real SQLite locking of the
    embedded default (WAL, BEGIN IMMEDIATE, busy_timeout from settings.py).

    The SQLite test database is in memory (Django's default for SQLite), where threads share one
    cache and never wait for the write lock. Its migrated, empty schema is copied into a file with
    SQLite's backup API and the connection settings are pointed at the file; every connection
    opened meanwhile, in any thread, uses it. The in-memory connection is kept aside (closing it
    would destroy the test database) and put back afterwards."""
    path = tmp_path / "civitas.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    settings_dict, in_memory = connection.settings_dict, connection.connection
    memory_name = settings_dict["NAME"]
    connection.connection = None
    settings_dict["NAME"] = str(path)
    try:
        yield path
    finally:
        connection.close()
        settings_dict["NAME"] = memory_name
        connection.connection = in_memory


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the write lock is SQLite's")
def test_another_users_save_goes_through_while_a_post_is_rendered(file_database, monkeypatch):
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    town = MunicipalityFactory(slug="sopot")
    slow_author, other = UserFactory(username="slow"), UserFactory(username="other")
    topic = services.topic_create(actor=other, municipality=town, title="Тема", body="Начало")
    rendering, release = threading.Event(), threading.Event()
    render = markup.render

    def slow_render(text):
        if "[[[" in text:  # only the slow author's post waits
            rendering.set()
            assert release.wait(timeout=60)
        return render(text)

    monkeypatch.setattr(markup, "render", slow_render)
    failures = []

    def write_slow_post():
        try:
            services.post_create(actor=slow_author, topic=topic, body="[[[ много скоби", notify=False)
        except Exception as error:  # reported to the test below
            failures.append(error)
        finally:
            connection.close()

    writer = threading.Thread(target=write_slow_post)
    writer.start()
    try:
        assert rendering.wait(timeout=60)
        # Meanwhile, in this thread: another person's post and another person's topic.
        services.post_create(actor=other, topic=topic, body="Бърз отговор", notify=False)
        services.topic_create(actor=other, municipality=town, title="Друга тема", body="Текст")
    finally:
        release.set()
        writer.join(timeout=60)
    assert failures == []
    assert set(Post.objects.filter(topic=topic).values_list("body", flat=True)) == {
        "Начало", "Бърз отговор", "[[[ много скоби",
    }  # fmt: skip
    assert Topic.objects.get(pk=topic.pk).post_count == 3


# --- Finding 10: titles and notification e-mail ---------------------------------------------------


class FailingBackend(BaseEmailBackend):
    """An e-mail backend whose server is down."""

    def send_messages(self, email_messages):
        if self.fail_silently:
            return 0
        raise SMTPException("connection refused")


@pytest.fixture
def town(db):
    return MunicipalityFactory(slug="sopot")


@pytest.fixture
def citizen(db):
    return UserFactory(username="citizen", email="citizen@example.org")


def test_a_line_break_in_a_topic_title_is_removed_and_followers_are_still_notified(
    client, town, citizen, django_capture_on_commit_callbacks
):
    sign_in(client, citizen)
    response = client.post(
        reverse("forum:topic_create", args=["sopot"]),
        {"title": "Велоалея\r\nBcc: x@example.org", "body": "Кога?"},
    )
    assert response.status_code == 302
    topic = Topic.objects.get()
    assert topic.title == "Велоалея Bcc: x@example.org"
    other = UserFactory(username="other", email="other@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(actor=other, topic=topic, body="Отговор")
    [message] = mail.outbox
    assert message.to == ["citizen@example.org"] and message.bcc == []
    assert message.subject == "Нова публикация в „Велоалея Bcc: x@example.org“"
    assert message.recipients() == ["citizen@example.org"] and "Bcc" not in message.message()


def test_the_service_cleans_a_title_whatever_calls_it(town, citizen):
    topic = services.topic_create(
        actor=citizen, municipality=town, title=" Тема\rс\x00 \u202eскрит\nред\t ", body="Текст"
    )
    assert topic.title == "Тема с скрит ред"
    with pytest.raises(ValidationError) as refused:
        services.topic_create(actor=citizen, municipality=town, title="\r\n\x07", body="Текст")
    assert "title" in refused.value.message_dict


def test_a_stored_title_with_a_line_break_still_gets_a_clean_subject(
    town, citizen, django_capture_on_commit_callbacks
):
    """Topics written before titles were cleaned may hold a line break."""
    topic = services.topic_create(actor=citizen, municipality=town, title="Стара тема", body="Текст")
    Topic.objects.filter(pk=topic.pk).update(title="Стара\r\nBcc: x@example.org")
    topic.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(actor=UserFactory(email="other@example.org"), topic=topic, body="Отговор")
    [message] = mail.outbox
    assert message.subject == "Нова публикация в „Стара Bcc: x@example.org“"


def test_a_failing_mail_server_is_logged_not_swallowed(
    town, citizen, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    topic = services.topic_create(actor=citizen, municipality=town, title="Тема", body="Текст")
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        post = services.post_create(actor=UserFactory(email="other@example.org"), topic=topic, body="Отговор")
    [record] = [record for record in caplog.records if record.name.startswith("civitas")]
    assert f"post {post.pk}" in record.getMessage() and record.exc_info[0] is SMTPException
    assert "citizen@example.org" not in caplog.text


def test_a_failed_notification_is_queued_again_later_a_bounded_number_of_times(town, citizen, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    topic = services.topic_create(actor=citizen, municipality=town, title="Тема", body="Текст")
    post = services.post_create(
        actor=UserFactory(email="other@example.org"), topic=topic, body="Отговор", notify=False
    )
    with pytest.raises(SMTPException):  # the worker records the failed attempt
        tasks.notify_followers.call(post.pk)
    [retry] = default_task_backend.results
    assert retry.task.name == tasks.notify_followers.name
    assert list(retry.args) == [post.pk] and retry.kwargs == {"attempt": 2}
    assert retry.task.run_after > timezone.now()
    default_task_backend.results.clear()
    with pytest.raises(SMTPException):
        tasks.notify_followers.call(post.pk, attempt=core_mail.MAX_ATTEMPTS)
    assert default_task_backend.results == []  # the last attempt is not repeated
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert tasks.notify_followers.call(post.pk, attempt=2) == 1
    assert [m.to for m in mail.outbox] == [["citizen@example.org"]]


@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_a_failed_e_mail_is_recorded_and_retried_later(settings, caplog):
    """Production: the worker records the failed attempt, and the retry waits in the queue."""

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    town = MunicipalityFactory(slug="sopot")
    author = UserFactory(email="author@example.org")
    topic = services.topic_create(actor=author, municipality=town, title="Тема", body="Текст")
    services.post_create(actor=UserFactory(email="other@example.org"), topic=topic, body="Отговор")
    with caplog.at_level(logging.ERROR):
        call_command("db_worker", batch=True, no_startup_delay=True)
    failed, retry = DBTaskResult.objects.order_by("enqueued_at")
    assert failed.status == "FAILED" and failed.exception_class_path == "smtplib.SMTPException"
    assert (
        retry.status == "READY"
        and retry.args_kwargs["kwargs"] == {"attempt": 2}
        and retry.run_after > timezone.now()
    )
    assert any(record.name == "civitas.core.mail" for record in caplog.records)
