"""The consultations' API: what the portal shows and nothing more (no draft, no proposal awaiting
moderation, a hidden proposal's reason but not its text, answers once the table is published, no
author's e-mail), filters, pagination and a fixed number of queries."""

import datetime
import json

import pytest
from django.utils import timezone

from civitas.consultations import selectors
from civitas.consultations.models import (
    Answer,
    Consultation,
    ConsultationStatus,
    Proposal,
    ProposalState,
)
from civitas.demo.consultations import HOUSING_SLUG, OPR_SLUG
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


@pytest.fixture(autouse=True)
def _unlimited(settings):
    without_rate_limit(settings)


@pytest.fixture
def sopot(db):
    return load_sopot()


URL = "/api/v1/consultations"


def consultation(town, n: int, status=ConsultationStatus.OPEN, **fields) -> Consultation:
    opens = timezone.now() - datetime.timedelta(days=5)
    return Consultation.objects.create(
        municipality=town, slug=f"c-{n}", title_bg=f"Консултация {n}", opens_at=opens,
        closes_at=opens + datetime.timedelta(days=30), status=status, **fields,
    )  # fmt: skip


def test_the_sopot_consultations_read_as_on_the_portal(client, sopot):
    items = walk(client, URL + "?municipality=sopot")
    assert {item["slug"] for item in items} == {OPR_SLUG, HOUSING_SLUG}
    opr = Consultation.objects.get(slug=OPR_SLUG)
    body = client.get(f"{URL}/{opr.pk}").json()
    assert body["web_url"].endswith(f"/sopot/consultations/{OPR_SLUG}/")
    assert body["status"] == "published" and body["report_web_url"].endswith("/report/")
    report = selectors.report(opr)
    assert [p["number"] for p in body["proposals"]] == [row.number for row in report.rows]
    assert [p["id"] for p in body["proposals"]] == [row.proposal.pk for row in report.rows]
    assert body["proposal_count"] == len(report.rows)
    # The table is published: every visible proposal carries its answer, as on the report page.
    for proposal, row in zip(body["proposals"], report.rows, strict=True):
        answer = selectors.answer_of(row.proposal)
        if row.hidden:
            assert proposal["text"] == "" and proposal["hidden_reason"] and proposal["answer"] is None
            assert row.proposal.text not in json.dumps(body, ensure_ascii=False)
        else:
            assert proposal["text"] == row.proposal.text and proposal["submitted_by"] == row.submitter
            assert proposal["answer"]["decision"] == answer.decision
    assert [s["heading_bg"] for s in body["sections"]][0] == "Визия"
    assert body["proposals"][0]["web_url"] == body["web_url"] + f"#proposal-{body['proposals'][0]['id']}"

    housing = Consultation.objects.get(slug=HOUSING_SLUG)
    open_one = client.get(f"{URL}/{housing.pk}").json()
    assert open_one["accepts_proposals"] and open_one["report_web_url"] is None
    assert [p["answer"] for p in open_one["proposals"]] == [None] * len(open_one["proposals"])


def test_drafts_pending_proposals_and_e_mails_stay_private(client):
    town = MunicipalityFactory()
    draft = consultation(town, 1, status=ConsultationStatus.DRAFT)
    public = consultation(town, 2)
    author = UserFactory(email="private-person@example.org", first_name="Скрит")
    Proposal.objects.create(
        consultation=public, author=author, text="Чака модератор", state=ProposalState.PENDING
    )
    shown = Proposal.objects.create(consultation=public, author=author, text="Видимо предложение")
    Answer.objects.create(proposal=shown, decision="accepted")  # the table is not published yet

    assert [item["id"] for item in walk(client, URL)] == [public.pk]
    assert client.get(f"{URL}/{draft.pk}").status_code == 404
    body = client.get(f"{URL}/{public.pk}")
    text = as_text(body)
    assert "Видимо предложение" in text
    assert "Чака модератор" not in text and "private-person@example.org" not in text
    assert body.json()["proposals"][0]["answer"] is None and body.json()["proposal_count"] == 1


def test_filters_by_municipality_status_and_update(client):
    town, other = MunicipalityFactory(), MunicipalityFactory()
    open_one = consultation(town, 1)
    closed = consultation(town, 2, status=ConsultationStatus.CLOSED)
    consultation(other, 3)
    assert {i["id"] for i in walk(client, f"{URL}?municipality={town.slug}")} == {open_one.pk, closed.pk}
    assert [i["id"] for i in walk(client, f"{URL}?municipality={town.slug}&status=closed")] == [closed.pk]
    Consultation.objects.filter(pk=closed.pk).update(updated_at=timezone.now() - datetime.timedelta(days=9))
    since = (timezone.now() - datetime.timedelta(days=1)).date().isoformat()
    assert closed.pk not in {i["id"] for i in walk(client, f"{URL}?updated_since={since}")}


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("?status=draft", "invalid_parameter"),
        ("?status=", "invalid_parameter"),
        ("?municipality=nowhere", "invalid_parameter"),
        ("?updated_since=yesterday", "invalid_parameter"),
        ("?sort=title", "unknown_parameter"),
        ("?limit=1000", "invalid_limit"),
    ],
)
def test_bad_filters_are_json_400s(client, query, code):
    refused(client, URL + query, code)


def test_pages_walk_every_consultation_once_in_fixed_queries(client, django_assert_num_queries):
    town = MunicipalityFactory()
    made = [consultation(town, n) for n in range(12)]
    for c in made[:6]:
        Proposal.objects.create(consultation=c, submitter_name="Гражданин", text="Предложение")
    items = walk(client, URL + "?limit=5")
    assert sorted(i["id"] for i in items) == sorted(c.pk for c in made)
    # The page (with its proposal counts, municipalities and plans); one more for the municipality.
    same_queries_at_two_sizes(client, django_assert_num_queries, URL, 1, small=2, large=12)
    same_queries_at_two_sizes(client, django_assert_num_queries, f"{URL}?municipality={town.slug}", 2, 2, 12)


def test_a_detail_costs_the_same_whatever_its_proposals(client, django_assert_num_queries):
    town = MunicipalityFactory()
    few, many = consultation(town, 1), consultation(town, 2)
    Proposal.objects.create(consultation=few, submitter_name="А", text="Едно")
    for n in range(15):
        Proposal.objects.create(consultation=many, author=UserFactory(), text=f"Предложение {n}")
    for c in (few, many):
        with django_assert_num_queries(4):  # the consultation, sections, paragraphs, proposals
            client.get(f"{URL}/{c.pk}")
