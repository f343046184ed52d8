"""The role × service matrix of the forum: every service that takes an actor refuses, before it
writes anything, whoever the forum's policy refuses (nobody signed in; anyone but a moderator for
moderation; anyone but the person for their own posts; someone blocked by the moderators), whoever
calls it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from civitas.consultations import services as consultation_services
from civitas.core.models import Block
from civitas.core.permissions import OPERATOR, Action
from civitas.forum import markup, notifications, policy, selectors, services, tasks
from civitas.forum.models import Post, PostKind, Topic
from civitas.testing.factories import ProjectFactory, UserFactory
from civitas.testing.service_matrix import ServiceCase, assert_covers, build_world, check


def takes_part(world, name):
    return policy.can_take_part(world.actors[name], world.municipality)


def signed_in(world, name):
    return name != "anonymous"


def own_account(world, name):
    return name == "citizen"  # the case removes the citizen's posts


def _address(actor) -> str:
    """Each caller posts from an address of its own, so that no flood limit is reached."""
    return f"matrix-{getattr(actor, 'pk', None)}"


def _post(pk):
    return Post.objects.select_related("topic__municipality").get(pk=pk)


def _topic(world):
    return Topic.objects.select_related("municipality").get(pk=world.topic.pk)


CASES = {
    "topic_create": ServiceCase(
        call=lambda world, actor: services.topic_create(
            actor=actor, municipality=world.municipality, title="Тема", body="Текст", address=_address(actor)
        ),
        allowed=takes_part,
    ),
    "post_create": ServiceCase(
        call=lambda world, actor: services.post_create(
            actor=actor, topic=_topic(world), body="Отговор", address=_address(actor), notify=False
        ),
        allowed=takes_part,
    ),
    "topic_follow": ServiceCase(
        call=lambda world, actor: services.topic_follow(actor=actor, topic=_topic(world)), allowed=takes_part
    ),
    "post_flag": ServiceCase(
        call=lambda world, actor: services.post_flag(actor=actor, post=_post(world.post.pk), reason="Спам"),
        allowed=takes_part,
    ),
    "post_hide": ServiceCase(
        call=lambda world, actor: services.post_hide(actor=actor, post=_post(world.post.pk), reason="Обида"),
        allowed=Action.MODERATE,
    ),
    "post_restore": ServiceCase(
        call=lambda world, actor: services.post_restore(actor=actor, post=_post(world.hidden.pk)),
        allowed=Action.MODERATE,
    ),
    "user_block": ServiceCase(
        call=lambda world, actor: services.user_block(
            actor=actor, municipality=world.municipality, user=world.author, reason="Обиди"
        ),
        allowed=Action.MODERATE,
    ),
    "posts_remove_by_author": ServiceCase(
        call=lambda world, actor: services.posts_remove_by_author(actor=actor, user=world.actors["citizen"]),
        allowed=own_account,
    ),
}

# The same services called another way, with a rule of their own.
VARIANTS = {
    "post_create (an official answer)": ServiceCase(
        call=lambda world, actor: services.post_create(
            actor=actor,
            topic=_topic(world),
            body="Отговор на общината",
            kind=PostKind.OFFICIAL,
            address=_address(actor),
            notify=False,
        ),  # fmt: skip
        allowed=Action.UPDATE_PROJECT_PROGRESS,
    ),
    "topic_follow (stop following)": ServiceCase(
        call=lambda world, actor: services.topic_follow(actor=actor, topic=_topic(world), follow=False),
        allowed=signed_in,
    ),
    "user_block (from a consultation's page)": ServiceCase(
        call=lambda world, actor: services.user_block(
            actor=actor,
            municipality=world.municipality,
            user=world.author,
            reason="Обиди",
            consultation=world.consultation,
        ),  # fmt: skip
        allowed=Action.MODERATE,
    ),
}


@pytest.fixture
def world(db):
    world = build_world()
    world.author = UserFactory(username="author")
    project = ProjectFactory(municipality=world.municipality)
    world.topic = services.topic_create(
        actor=world.author, municipality=world.municipality, project=project, title="Велоалея", body="Кога?",
        address="author",
    )  # fmt: skip
    world.post = world.topic.posts.get()
    world.hidden = services.post_create(actor=world.author, topic=world.topic, body="Грубо", address="author",
                                        notify=False)  # fmt: skip
    services.post_hide(actor=world.actors["moderator"], post=world.hidden, reason="Обида")
    services.post_create(actor=world.actors["citizen"], topic=world.topic, body="Мой", address="citizen",
                         notify=False)  # fmt: skip
    world.consultation = _open_consultation(world)
    return world


def _open_consultation(world):
    now = timezone.now()
    consultation = consultation_services.consultation_create(
        actor=OPERATOR, municipality=world.municipality, slug="matrix", title_bg="Проект на наредба",
        opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=31),
    )  # fmt: skip
    consultation_services.draft_replace_text(actor=OPERATOR, consultation=consultation, text_bg="Текст.")
    return consultation_services.consultation_open(actor=OPERATOR, consultation=consultation)


def test_every_service_has_a_case():
    assert_covers(services, CASES)
    for module in (selectors, notifications, tasks, markup):  # no writes that take an actor
        assert_covers(module, {})


@pytest.mark.parametrize("name", sorted(CASES) + sorted(VARIANTS))
def test_the_policy_decides_who_may_call_the_service(world, name):
    check(world, (CASES | VARIANTS)[name], name)


def test_a_blocked_person_takes_no_part(world):
    citizen = world.actors["citizen"]
    Block.objects.create(municipality=world.municipality, user=citizen, reason="Обиди")
    for name in ("topic_create", "post_create", "topic_follow", "post_flag"):
        with pytest.raises(PermissionDenied):
            CASES[name].call(world, citizen)
    services.topic_follow(actor=citizen, topic=world.topic, follow=False)  # but stops following
