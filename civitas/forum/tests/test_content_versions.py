"""Which public content a forum write changes: a post moves only the participation content, so the
cached plan and project pages and the cached plan evaluations (keyed by the planning version)
survive it; a topic about a project or a plan moves the planning content too, since the project's
or the plan's page links to its discussion; a flag, a follow or a block change nothing the public
sees."""

import pytest

from civitas.core.models import Municipality
from civitas.forum import services
from civitas.testing.factories import (
    MembershipFactory,
    PlanFactory,
    ProjectFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def versions(town) -> tuple[int, int]:
    fresh = Municipality.objects.get(pk=town.pk)
    return fresh.planning_version, fresh.participation_version


def test_a_post_leaves_the_planning_content_and_a_topic_about_a_project_moves_it(town, citizen):
    project = ProjectFactory(municipality=town)
    planning, participation = versions(town)
    topic = services.topic_create(
        actor=citizen, municipality=town, project=project, title="Велоалеята", body="Кога?", address="a"
    )
    assert versions(town) == (planning + 1, participation + 1)

    planning, participation = versions(town)
    services.post_create(actor=citizen, topic=topic, body="Скоро ли?", address="a", notify=False)
    services.post_create(actor=citizen, topic=topic, body="Сигнал", kind="issue", address="a", notify=False)
    assert versions(town) == (planning, participation + 2)


def test_a_topic_about_a_plan_moves_both_and_a_free_standing_one_only_participation(town, citizen):
    planning, participation = versions(town)
    services.topic_create(
        actor=citizen,
        municipality=town,
        plan=PlanFactory(municipality=town),
        title="План",
        body="Б",
        address="a",
    )
    assert versions(town) == (planning + 1, participation + 1)
    services.topic_create(actor=citizen, municipality=town, title="Осветление", body="Б", address="a")
    assert versions(town) == (planning + 1, participation + 2)


def test_a_flag_a_follow_and_a_block_change_no_public_content(town, citizen):
    topic = services.topic_create(actor=citizen, municipality=town, title="Тема", body="Б", address="a")
    other = UserFactory(username="other")
    moderator = MembershipFactory(municipality=town, role="moderator").user
    before = versions(town)
    services.topic_follow(actor=other, topic=topic)
    services.topic_follow(actor=other, topic=topic, follow=False)
    services.post_flag(actor=other, post=topic.posts.get(), reason="Спам")
    services.user_block(actor=moderator, municipality=town, user=citizen, reason="Обиди")
    services.user_block(actor=moderator, municipality=town, user=citizen, reason="", block=False)
    assert versions(town) == before
    services.post_hide(actor=moderator, post=topic.posts.get(), reason="Обида")
    assert versions(town) == (before[0], before[1] + 1)
