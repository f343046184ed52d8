"""The council decisions' API: the register as on the portal (number, year, date, session,
protocol, subject, votes, document) and what a decision acts on, without records the public may
not see; filters, pagination and a fixed number of queries."""

import datetime

import pytest
from django.utils import timezone

from civitas.consultations.models import Consultation, ConsultationStatus
from civitas.council import selectors
from civitas.council.models import Decision
from civitas.testing.factories import DecisionFactory, MunicipalityFactory

from .participation_checks import load_sopot, refused, same_queries_at_two_sizes, walk, without_rate_limit

pytestmark = pytest.mark.django_db

URL = "/api/v1/decisions"


@pytest.fixture(autouse=True)
def _unlimited(settings):
    without_rate_limit(settings)


def test_the_sopot_register_and_what_a_decision_acts_on(client):
    sopot = load_sopot()
    items = walk(client, URL + "?municipality=sopot")
    assert sorted(i["id"] for i in items) == sorted(
        selectors.decision_list(municipality=sopot).values_list("pk", flat=True)
    )
    strategy = Decision.objects.get(municipality=sopot, year=2014, number=123)
    body = client.get(f"{URL}/{strategy.pk}").json()
    assert body["web_url"].endswith("/sopot/decisions/2014/123/")
    assert (body["number"], body["year"], body["date"], body["protocol_number"]) == (
        123,
        2014,
        "2014-03-27",
        18,
    )
    assert (body["votes_for"], body["votes_against"], body["votes_abstained"]) == (13, 0, 1)
    expected = selectors.decision_acts(strategy)
    assert [(g["relation"], [a["label"] for a in g["items"]]) for g in body["acts_on"]] == [
        (g.name, [a.label for a in g.acts]) for g in expected
    ]
    assert body["acts_on"][0]["relation"] == "plan_versions"
    assert body["acts_on"][0]["items"][0]["web_url"].startswith("http://testserver/sopot/plans/")


def test_a_draft_record_is_not_named_among_what_a_decision_acts_on(client):
    decision = DecisionFactory()
    opens = timezone.now()
    for status, slug in (
        (ConsultationStatus.DRAFT, "hidden-draft"),
        (ConsultationStatus.CLOSED, "closed-one"),
    ):
        Consultation.objects.create(
            municipality=decision.municipality, slug=slug, title_bg=slug, opens_at=opens,
            closes_at=opens + datetime.timedelta(days=30), status=status, results_decision=decision,
        )  # fmt: skip
    body = client.get(f"{URL}/{decision.pk}").json()
    assert [a["label"] for g in body["acts_on"] for a in g["items"]] == ["closed-one"]


def test_filters_by_municipality_year_session_and_what_they_act_on(client):
    town, other = MunicipalityFactory(), MunicipalityFactory()
    old = DecisionFactory(municipality=town, date=datetime.date(2014, 3, 27))
    new = DecisionFactory(municipality=town, date=datetime.date(2017, 6, 29), session_kind="extraordinary")
    DecisionFactory(municipality=other, date=datetime.date(2017, 1, 1))
    assert {i["id"] for i in walk(client, f"{URL}?municipality={town.slug}")} == {old.pk, new.pk}
    assert [i["id"] for i in walk(client, f"{URL}?municipality={town.slug}&year=2014")] == [old.pk]
    assert [i["id"] for i in walk(client, f"{URL}?session=extraordinary")] == [new.pk]
    assert walk(client, f"{URL}?acts_on=plan_versions") == []
    assert walk(client, f"{URL}?updated_since=2999-01-01T00:00:00Z") == []


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("?year=14", "invalid_parameter"),
        ("?year=two-thousand", "invalid_parameter"),
        ("?session=secret", "invalid_parameter"),
        ("?acts_on=nothing", "invalid_parameter"),
        ("?municipality=atlantis", "invalid_parameter"),
        ("?number=123", "unknown_parameter"),
    ],
)
def test_bad_filters_are_json_400s(client, query, code):
    refused(client, URL + query, code)


def test_pages_cost_the_same_whatever_their_size(client, django_assert_num_queries):
    town = MunicipalityFactory()
    made = [DecisionFactory(municipality=town) for _ in range(12)]
    assert sorted(i["id"] for i in walk(client, URL + "?limit=5")) == sorted(d.pk for d in made)
    same_queries_at_two_sizes(client, django_assert_num_queries, URL, 1, small=2, large=12)
    same_queries_at_two_sizes(
        client, django_assert_num_queries, f"{URL}?year=2014&municipality={town.slug}", 2, 2, 12
    )


def test_a_decision_costs_one_query_and_one_per_kind_of_record(client, django_assert_num_queries):
    decision = DecisionFactory()
    with django_assert_num_queries(1 + len(selectors.relations())):
        assert client.get(f"{URL}/{decision.pk}").json()["acts_on"] == []
