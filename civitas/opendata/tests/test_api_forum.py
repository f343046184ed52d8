"""The forum's API: topics, and on one only the posts anyone may read (a hidden or removed post is
left out), authors by their public name and never their e-mail; filters, pagination and a fixed
number of queries."""

import datetime

import pytest
from django.utils import timezone

from civitas.accounts.models import Profile
from civitas.forum.models import Post, PostState, Topic
from civitas.testing.factories import MunicipalityFactory, UserFactory

from .participation_checks import (
    as_text,
    load_sopot,
    refused,
    same_queries_at_two_sizes,
    walk,
    without_rate_limit,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/forum/topics"


@pytest.fixture(autouse=True)
def _unlimited(settings):
    without_rate_limit(settings)


def test_the_sopot_forum_reads_as_on_the_portal_without_the_hidden_post(client):
    sopot = load_sopot()
    items = walk(client, URL + "?municipality=sopot")
    assert {i["title"] for i in items} == set(
        Topic.objects.filter(municipality=sopot).values_list("title", flat=True)
    )
    youth = Topic.objects.get(municipality=sopot, title__startswith="Център за развитие")
    response = client.get(f"{URL}/{youth.pk}")
    body = response.json()
    assert body["web_url"].endswith(f"/sopot/forum/{youth.pk}/") and body["plan"] == "opr-2014-2020"
    hidden = Post.objects.get(topic=youth, state=PostState.HIDDEN)
    visible = list(Post.objects.filter(topic=youth, state=PostState.VISIBLE).order_by("created_at", "pk"))
    assert [p["id"] for p in body["posts"]] == [p.pk for p in visible]
    assert hidden.pk not in [p["id"] for p in body["posts"]]
    assert "маскари" not in as_text(response)
    first = body["posts"][0]
    assert first["parent_id"] is None and "<strong>зала за репетиции</strong>" in first["body_html"]
    assert all(p["parent_id"] == first["id"] for p in body["posts"][1:])
    assert first["web_url"] == f"{body['web_url']}#post-{first['id']}"


def test_authors_appear_by_public_name_only_and_removed_posts_not_at_all(client):
    town = MunicipalityFactory()
    writer = UserFactory(username="citizen-42", email="secret-address@example.org")
    Profile.objects.update_or_create(user=writer, defaults={"display_name": "Мария от Сопот"})
    topic = Topic.objects.create(municipality=town, title="Тема", author=writer, last_post_at=timezone.now())
    Post.objects.create(topic=topic, author=writer, body="Здравейте", body_html="<p>Здравейте</p>")
    Post.objects.create(
        topic=topic, author=writer, body="Оттеглено", body_html="<p>Оттеглено</p>", state=PostState.REMOVED
    )
    Post.objects.create(topic=topic, author=None, body="Без автор", body_html="<p>Без автор</p>")
    response = client.get(f"{URL}/{topic.pk}")
    text = as_text(response)
    assert [p["author"] for p in response.json()["posts"]][0] == "Мария от Сопот"
    assert "Оттеглено" not in text and "secret-address@example.org" not in text
    assert len(response.json()["posts"]) == 2


def test_filters_by_municipality_and_recent_posts(client):
    town, other = MunicipalityFactory(), MunicipalityFactory()
    long_ago = timezone.now() - datetime.timedelta(days=90)
    quiet = Topic.objects.create(municipality=town, title="Тиха", last_post_at=long_ago)
    Topic.objects.filter(pk=quiet.pk).update(created_at=long_ago)
    busy = Topic.objects.create(municipality=town, title="Жива", last_post_at=timezone.now())
    Topic.objects.create(municipality=other, title="Другаде", last_post_at=timezone.now())
    assert {i["id"] for i in walk(client, f"{URL}?municipality={town.slug}")} == {quiet.pk, busy.pk}
    since = (timezone.now() - datetime.timedelta(days=7)).isoformat().replace("+00:00", "Z")
    assert [i["id"] for i in walk(client, f"{URL}?municipality={town.slug}&updated_since={since}")] == [
        busy.pk
    ]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("?municipality=", "invalid_parameter"),
        ("?updated_since=2014-13-45", "invalid_parameter"),
        ("?state=hidden", "unknown_parameter"),
        ("?limit=-1", "invalid_limit"),
    ],
)
def test_bad_filters_are_json_400s(client, query, code):
    refused(client, URL + query, code)


def test_pages_and_threads_cost_the_same_whatever_their_size(client, django_assert_num_queries):
    town = MunicipalityFactory()
    topics = [Topic.objects.create(municipality=town, title=f"Тема {n}") for n in range(12)]
    assert sorted(i["id"] for i in walk(client, URL + "?limit=5")) == sorted(t.pk for t in topics)
    same_queries_at_two_sizes(client, django_assert_num_queries, URL, 1, small=2, large=12)
    for topic, posts in ((topics[0], 1), (topics[1], 20)):
        for n in range(posts):
            Post.objects.create(topic=topic, author=UserFactory(), body=f"{n}", body_html=f"<p>{n}</p>")
        with django_assert_num_queries(2):  # the topic, its visible posts with their authors
            assert len(client.get(f"{URL}/{topic.pk}").json()["posts"]) == posts
