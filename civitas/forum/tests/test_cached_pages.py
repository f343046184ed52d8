"""The forum's public pages from the page cache: an anonymous visitor's second request is answered
from the cache (no database query with a cache every server process shares), and every change the
page shows is seen on the next request: a post, a hidden post, a renamed plan, a new display name."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from civitas.accounts import services as account_services
from civitas.core.models import Role
from civitas.forum import services
from civitas.plans import services as plan_services
from civitas.testing.factories import MembershipFactory, PlanFactory

pytestmark = pytest.mark.django_db(transaction=True)  # changes renew the cache's tokens after commit


@pytest.fixture(autouse=True)
def shared_cache(settings):
    settings.CIVITAS_SHARED_CACHE = True
    cache.clear()


def pages(topic):
    return [reverse("forum:topics", args=["sopot"]), reverse("forum:topic", args=["sopot", topic.pk])]


def test_a_second_anonymous_request_reads_nothing_from_the_database(client, topic, django_assert_num_queries):
    for url in pages(topic):
        first = client.get(url)
        assert first.status_code == 200
        with django_assert_num_queries(0):
            again = client.get(url)
        assert again.content == first.content


def test_a_new_post_and_a_hidden_one_are_seen_at_once(client, town, topic, citizen):
    for url in pages(topic):
        client.get(url)
    services.post_create(actor=citizen, topic=topic, body="Догодина, казват.", notify=False)
    assert "Догодина, казват." in client.get(pages(topic)[1]).content.decode()

    moderator = MembershipFactory(municipality=town, role=Role.MODERATOR).user
    services.post_hide(actor=moderator, post=topic.posts.get(body="Догодина, казват."), reason="Извън темата")
    page = client.get(pages(topic)[1]).content.decode()
    assert "Догодина, казват." not in page and "Извън темата" in page


def test_a_new_topic_is_listed_at_once(client, town, topic, citizen):
    client.get(pages(topic)[0])
    services.topic_create(actor=citizen, municipality=town, title="Паркът до читалището", body="Пейки?")
    assert "Паркът до читалището" in client.get(pages(topic)[0]).content.decode()


def test_a_renamed_plan_is_seen_on_its_topic(client, town, citizen):
    planner = MembershipFactory(municipality=town, role=Role.PLANNER).user
    plan = PlanFactory(municipality=town, title_bg="Стар план")
    topic = services.topic_create(
        actor=citizen, municipality=town, plan=plan, title="За плана", body="Въпрос"
    )
    assert "Стар план" in client.get(pages(topic)[1]).content.decode()
    plan_services.plan_update(actor=planner, plan=plan, expected_version=plan.version, title_bg="Нов план")
    assert "Нов план" in client.get(pages(topic)[1]).content.decode()


def test_a_new_display_name_is_seen_beside_the_persons_posts(client, topic, citizen):
    account_services.profile_update(actor=citizen, display_name="Гражданка от Сопот")
    assert "Гражданка от Сопот" in client.get(pages(topic)[1]).content.decode()
    account_services.profile_update(actor=citizen, display_name="Мария Иванова")
    page = client.get(pages(topic)[1]).content.decode()
    assert "Мария Иванова" in page and "Гражданка от Сопот" not in page
