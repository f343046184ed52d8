import datetime
import io

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend
from django_tasks_db.models import DBTaskResult
from PIL import Image

from civitas.accounts.services import profile_of
from civitas.consultations import services as consultations
from civitas.consultations.models import ModerationEntry
from civitas.core.models import Block, Role
from civitas.forum import services, tasks
from civitas.forum.models import ModerationAction, Post, PostState, Topic
from civitas.testing.factories import (
    MembershipFactory,
    MunicipalityFactory,
    PlanFactory,
    ProjectFactory,
    UserFactory,
)
from civitas.testing.factories import MembershipFactory as Membership
from civitas.testing.signin import sign_in

pytestmark = pytest.mark.django_db


def test_topic_and_threaded_replies(topic, citizen):
    other = UserFactory(username="other", email="other@example.org")
    first = topic.posts.get()
    reply = services.post_create(actor=other, topic=topic, body="Скоро", parent=first)
    assert reply.parent == first
    topic.refresh_from_db()
    assert topic.post_count == 2


def test_markdown_is_sanitised(topic, citizen):
    post = services.post_create(
        actor=citizen, topic=topic, body="**важно** <script>alert(1)</script> <b onclick=x>b</b>"
    )
    assert "<strong>важно</strong>" in post.body_html
    # Typed HTML is shown as text (CommonMark with HTML off), never as a tag.
    assert "<script" not in post.body_html and "<b" not in post.body_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b onclick=x&gt;" in post.body_html


def test_followers_get_an_email_on_reply(topic, citizen, django_capture_on_commit_callbacks):
    other = UserFactory(username="other", email="other@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(actor=other, topic=topic, body="Отговор")
    assert [m.to for m in mail.outbox] == [["citizen@example.org"]]


def test_each_follower_is_notified_in_the_language_of_their_profile(
    topic, django_capture_on_commit_callbacks
):
    english = UserFactory(username="visitor", email="visitor@example.org")
    profile = profile_of(english)
    profile.language = "en"
    profile.save(update_fields=["language"])
    services.topic_follow(actor=english, topic=topic)
    other = UserFactory(username="other", email="other@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(actor=other, topic=topic, body="Отговор")
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["visitor@example.org"].startswith("New post in")
    assert subjects["citizen@example.org"].startswith("Нова публикация в „")


def test_notification_is_a_background_task_enqueued_after_commit(
    topic, citizen, django_capture_on_commit_callbacks, settings
):
    """With a queue instead of the inline backend, the post enqueues the task and sends nothing
    itself; the worker's run of the task sends the e-mail."""

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    other = UserFactory(username="other", email="other@example.org")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post = services.post_create(actor=other, topic=topic, body="Отговор")
    assert default_task_backend.results == []  # nothing before the commit
    for callback in callbacks:
        callback()
    [queued] = default_task_backend.results
    assert queued.task.name == tasks.notify_followers.name and queued.args == [post.pk]
    assert mail.outbox == []
    assert tasks.notify_followers.call(*queued.args) == 1
    assert [m.to for m in mail.outbox] == [["citizen@example.org"]]


def test_flood_from_one_person_is_refused_and_logged(topic, citizen):
    for n in range(4):  # plus the topic's first post: 5 a minute
        services.post_create(actor=citizen, topic=topic, body=f"пост {n}")
    with pytest.raises(ValidationError):
        services.post_create(actor=citizen, topic=topic, body="още един")
    assert Post.objects.filter(topic=topic).count() == 5
    assert ModerationAction.objects.filter(action="flood_refused").exists()


def test_hide_restore_block(town, topic, citizen, client):
    moderator = MembershipFactory(municipality=town, role=Role.MODERATOR).user
    post = topic.posts.get()
    with pytest.raises(PermissionDenied):
        services.post_hide(actor=citizen, post=post, reason="x")
    with pytest.raises(ValidationError):
        services.post_hide(actor=moderator, post=post, reason=" ")
    services.post_hide(actor=moderator, post=post, reason="Обиден език")
    content = client.get(reverse("forum:topic", args=["sopot", topic.pk])).content.decode()
    assert "Обиден език" in content and "Кога ще е готова?" not in content
    services.post_restore(actor=moderator, post=post)
    assert Post.objects.get(pk=post.pk).state == PostState.VISIBLE
    services.user_block(actor=moderator, municipality=town, user=citizen, reason="Повтарящи се обиди")
    with pytest.raises(PermissionDenied):
        services.post_create(actor=citizen, topic=topic, body="пак")
    assert list(ModerationAction.objects.values_list("action", flat=True).order_by("pk")) == [
        "hide",
        "restore",
        "block",
    ]


def test_flag_once_per_person(topic, citizen):
    post = topic.posts.get()
    services.post_flag(actor=citizen, post=post, reason="спам")
    with pytest.raises(ValidationError):
        services.post_flag(actor=citizen, post=post, reason="пак спам")


def test_civic_monitoring_issue_with_photo_and_official_answer(town, citizen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = ProjectFactory(municipality=town)
    topic = services.topic_create(
        actor=citizen, municipality=town, title="Велоалея", body="Следя", project=project
    )

    image = io.BytesIO()
    Image.new("RGB", (10, 10), "green").save(image, format="JPEG")
    issue = services.post_create(
        actor=citizen, topic=topic, body="Работите са спрели", kind="issue",
        photo=SimpleUploadedFile("spryano.jpg", image.getvalue()),
    )  # fmt: skip
    assert issue.photo.name.endswith(".jpg")
    with pytest.raises(PermissionDenied):
        services.post_create(actor=citizen, topic=topic, body="официално", kind="official")
    manager = MembershipFactory(municipality=town, role=Role.PROJECT_MANAGER).user
    answer = services.post_create(
        actor=manager, topic=topic, body="Подновяват се през май", kind="official", parent=issue
    )
    assert answer.kind == "official"


def test_pages_and_permissions(client, town, topic, citizen):
    assert client.get(reverse("forum:topics", args=["sopot"])).status_code == 200
    assert client.get(reverse("forum:topic", args=["sopot", topic.pk])).status_code == 200
    assert client.get(reverse("forum:topic_create", args=["sopot"])).status_code == 302  # sign in first
    assert client.get(reverse("forum:topic", args=["karlovo", topic.pk])).status_code == 404
    sign_in(client, citizen)
    assert client.get(reverse("forum:moderation", args=["sopot"])).status_code == 403
    response = client.post(reverse("forum:topic", args=["sopot", topic.pk]), {"body": "Отговор от сайта"})
    assert response.status_code == 302 and topic.posts.count() == 2
    response = client.post(reverse("forum:topic", args=["sopot", topic.pk]), {"body": ""})
    assert response.status_code == 400 and topic.posts.count() == 2


def test_topic_page_queries_do_not_grow(client, town, topic, citizen):
    def count():
        cache.clear()  # rendered each time, not the anonymous visitor's cached copy
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("forum:topic", args=["sopot", topic.pk])).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for n in range(15):
        author = UserFactory(username=f"u{n}")
        Post.objects.create(
            topic=topic, author=author, body="x", body_html="<p>x</p>", parent=topic.posts.first()
        )
    assert count() == few
    assert Topic.objects.count() == 1


def test_posts_written_without_notification_send_no_mail(topic, django_capture_on_commit_callbacks):
    other = UserFactory(username="other2", email="other2@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(actor=other, topic=topic, body="тихо", notify=False)
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_the_worker_sends_what_was_queued(settings):
    """Production: the task waits in the database until `manage.py db_worker` runs it."""

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    municipality = MunicipalityFactory(slug="sopot")
    author, other = UserFactory(email="author@example.org"), UserFactory(email="other@example.org")
    topic = services.topic_create(actor=author, municipality=municipality, title="Велоалея", body="Кога?")
    services.post_create(actor=other, topic=topic, body="Отговор")
    assert DBTaskResult.objects.count() == 1 and mail.outbox == []
    call_command("db_worker", batch=True, no_startup_delay=True)
    assert [m.to for m in mail.outbox] == [["author@example.org"]]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_topic_on_a_consultation_is_listed_on_the_consultation_page(client, town, citizen):
    planner = UserFactory(username="planner")
    Membership(user=planner, municipality=town, role=Role.PLANNER)
    now = timezone.now()
    consultation = consultations.consultation_create(
        actor=planner, municipality=town, slug="proekt", title_bg="Проект на наредба",
        opens_at=now, closes_at=now + datetime.timedelta(days=30),
    )  # fmt: skip
    consultations.draft_replace_text(actor=planner, consultation=consultation, text_bg="# Раздел\n\nТекст.")
    consultations.consultation_open(actor=planner, consultation=consultation, now=now)
    sign_in(client, citizen)
    response = client.post(
        reverse("forum:topic_create", args=["sopot"]) + "?consultation=proekt",
        {"title": "Какво означава чл. 3?", "body": "Не разбирам текста."},
    )
    topic = Topic.objects.get(title="Какво означава чл. 3?")
    assert response.status_code == 302 and topic.consultation == consultation
    page = client.get(reverse("consultations:detail", args=["sopot", "proekt"])).content.decode()
    assert "Какво означава чл. 3?" in page and f"/sopot/forum/{topic.pk}/" in page
    assert (
        "Проект на наредба" in client.get(reverse("forum:topic", args=["sopot", topic.pk])).content.decode()
    )

    other_town = MunicipalityFactory(slug="karlovo")
    with pytest.raises(ValidationError):
        services.topic_create(
            actor=citizen, municipality=other_town, title="Т", body="Б", consultation=consultation
        )


def test_moderators_cannot_bring_back_a_post_removed_at_its_authors_request(topic, citizen, town):
    moderator = UserFactory(username="moderator")
    MembershipFactory(user=moderator, municipality=town, role=Role.MODERATOR)
    post = topic.posts.get()
    services.posts_remove_by_author(actor=citizen, user=citizen)
    post.refresh_from_db()
    for call in (
        lambda: services.post_hide(actor=moderator, post=post, reason="Обидно"),
        lambda: services.post_restore(actor=moderator, post=post),
    ):
        with pytest.raises(ValidationError):
            call()
    post.refresh_from_db()
    assert post.state == PostState.REMOVED


def test_a_topic_cannot_be_attached_to_a_draft_plan(client, town, citizen):
    draft = PlanFactory(municipality=town, slug="chernova", status="draft")
    sign_in(client, citizen)
    client.post(
        reverse("forum:topic_create", args=["sopot"]) + "?plan=chernova", {"title": "Тема", "body": "Текст"}
    )
    topic = Topic.objects.get(title="Тема")
    assert topic.plan is None and draft.topics.count() == 0


def test_a_block_from_a_consultations_page_is_logged_in_both_moderation_logs(town, citizen):
    moderator = MembershipFactory(municipality=town, role=Role.MODERATOR).user
    planner = MembershipFactory(municipality=town, role=Role.PLANNER).user
    now = timezone.now()
    consultation = consultations.consultation_create(
        actor=planner, municipality=town, slug="naredba", title_bg="Наредба",
        opens_at=now, closes_at=now + datetime.timedelta(days=30),
    )  # fmt: skip
    services.user_block(
        actor=moderator, municipality=town, user=citizen, reason="Спам", consultation=consultation
    )
    assert Block.objects.filter(municipality=town, user=citizen).exists()
    logged = ModerationAction.objects.get(action="block")
    assert (logged.user, logged.moderator, logged.reason) == (citizen, moderator, "Спам")
    entry = ModerationEntry.objects.get(action="block")
    assert (entry.consultation, entry.user, entry.moderator, entry.reason) == (
        consultation,
        citizen,
        moderator,
        "Спам",
    )
