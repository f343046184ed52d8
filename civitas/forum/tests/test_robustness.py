"""The forum under hostile input: a post built to make the Markdown renderer work hard cannot
stall other people's saves (rendering grows linearly and runs outside any write transaction)."""

import sqlite3
import sys
import threading

import pytest
from django.db import connection, transaction

from civitas.forum import markup, services
from civitas.forum.models import Post, Topic
from civitas.testing.factories import MunicipalityFactory, UserFactory

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
    from civitas.forum.forms import PostForm, TopicForm

    long_body = "[" * (services.MAX_BODY + 1)
    assert "body" in PostForm({"body": long_body}).errors
    assert "body" in TopicForm({"title": "Тема", "body": long_body}).errors


@pytest.mark.django_db(transaction=True)
def test_posts_are_rendered_and_photos_processed_outside_any_transaction(monkeypatch, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from civitas.projects import uploads
    from civitas.testing.factories import ProjectFactory

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
    assert outside == [("render", True), ("render", True), ("photo", True)]
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
