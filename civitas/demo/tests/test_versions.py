"""The Sopot demo's plan versions: the development plan's draft for consultation, its adoption and a
sample mid-term update that differs from it; the other plans adopted by their decisions; loading
twice changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from civitas.consultations import selectors as consultation_selectors
from civitas.consultations.models import Consultation
from civitas.core.models import Municipality
from civitas.demo.versions import load_plan_versions
from civitas.plans import policy
from civitas.plans.models import PlanVersion

pytestmark = pytest.mark.django_db


def test_the_demo_plans_have_their_versions():
    call_command("load_demo", stdout=StringIO())
    sopot = Municipality.objects.get(slug="sopot")
    rows = list(
        PlanVersion.objects.filter(plan__municipality=sopot)
        .order_by("plan__slug", "number")
        .values_list("plan__slug", "number", "kind", "decision__number", "decision__is_sample")
    )
    assert rows == [
        ("opr-2014-2020", 1, "consultation_draft", None, None),
        ("opr-2014-2020", 2, "adopted", 171, True),
        ("opr-2014-2020", 3, "amended", 37, True),
        ("pravila-monitoring-ocenka", 1, "adopted", 158, True),
        ("strategia-gradoustroistvo-zhilishta", 1, "adopted", 123, True),
    ]
    adopted, amended = (PlanVersion.objects.get(plan__slug="opr-2014-2020", number=n) for n in (2, 3))
    goals = {goal["code"]: goal for goal in adopted.snapshot["goals"]}
    updated = {goal["code"]: goal for goal in amended.snapshot["goals"]}
    assert goals["СЦ1"]["title"] == updated["СЦ1"]["title"] and "description" not in goals["СЦ1"]
    assert "Sample text of the update" in updated["СЦ1"]["description"]["en"]
    assert [child["code"] for child in updated["СЦ4"]["children"]] == ["М4.1"]
    assert not adopted.snapshot.get("financial_table") and len(amended.snapshot["financial_table"]) == 3
    targets = [ind["targets"] for ind in updated["СЦ1"]["indicators"] if ind["code"] == "ОПР-И1.1"]
    assert targets and targets != [
        ind["targets"] for ind in goals["СЦ1"]["indicators"] if ind["code"] == "ОПР-И1.1"
    ]
    # The plan is in force as updated; the consultation was held on version 1 and led to version 2.
    assert policy.frozen_by(adopted.plan_id).number == 3
    consultation = Consultation.objects.get(municipality=sopot, plan__slug="opr-2014-2020")
    assert consultation.plan_version.number == 1
    assert consultation_selectors.version_after_consultation(consultation) == adopted
    assert consultation_selectors.consultation_before_version(adopted) == consultation
    # The decision that adopted version 2 also adopted the consultation's results.
    assert consultation.results_decision == adopted.decision
    count = PlanVersion.objects.count()
    load_plan_versions(sopot)
    assert PlanVersion.objects.count() == count
