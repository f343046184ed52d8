"""The Sopot demo's evaluations: loaded once with the demo, published, sample, with six ratings each,
findings that cite the demo's indicators, survey and consultation, and recommendations in every
state of follow-up, one overdue."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from civitas.core.models import Municipality
from civitas.evaluations import selectors
from civitas.evaluations.models import Evaluation, Evidence
from civitas.plans.models import Plan

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_mid_term_and_a_tourism_evaluation(client):
    call_command("load_demo", stdout=StringIO())
    sopot = Municipality.objects.get(slug="sopot")
    evaluations = Evaluation.objects.filter(municipality=sopot)
    assert {(e.kind, e.subject_kind, e.policy_area) for e in evaluations} == {
        ("mid_term", "plan", ""), ("thematic", "policy_area", "tourism"),
    }  # fmt: skip
    assert all(e.is_sample and e.is_published and e.ratings.count() == 6 for e in evaluations)
    assert set(Evidence.objects.values_list("kind", flat=True)) == {"indicator", "survey", "consultation"}
    plan = Plan.objects.get(municipality=sopot, slug="opr-2014-2020")
    rows = selectors.recommendations_for_plan(plan=plan, as_of=timezone.localdate())
    assert {row.recommendation.status for row in rows} == {"done", "in_progress", "closed"}
    assert sum(row.overdue for row in rows) == 1
    call_command("load_demo", stdout=StringIO())
    assert Evaluation.objects.filter(municipality=sopot).count() == 2
    mid_term = evaluations.get(kind="mid_term")
    page = client.get(f"/en/sopot/evaluations/{mid_term.pk}/").content.decode()
    assert "Overdue" in page and "ОПР-И1.1" in page and "Sample data" in page
    assert f"/sopot/evaluations/{mid_term.pk}/" in client.get("/sopot/plans/opr-2014-2020/").content.decode()
