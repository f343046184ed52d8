"""The Sopot demo's consultations: built once, every source and decision, the report published."""

import pytest
from django.apps import apps
from django.core.management import call_command

from civitas.consultations import selectors
from civitas.consultations.models import Consultation, ConsultationStatus, Decision, Proposal, Source
from civitas.demo.consultations import HOUSING_SLUG, OPR_SLUG

pytestmark = pytest.mark.django_db


def counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_the_demo_consultations_load_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=open("/dev/null", "w"))
    first = counts()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert counts() == first

    opr = Consultation.objects.get(slug=OPR_SLUG)
    assert opr.status == ConsultationStatus.PUBLISHED and opr.is_sample and opr.plan.slug == "opr-2014-2020"
    headings = list(opr.sections.values_list("heading_bg", flat=True))
    assert headings[0] == "Визия" and [h.split()[0] for h in headings[1:]] == ["СЦ1", "СЦ2", "СЦ3", "СЦ4"]
    assert set(opr.proposals.values_list("source", flat=True)) == set(Source.values)
    report = selectors.report(opr)
    decisions = {row.proposal.answer.decision for row in report.rows if not row.hidden}
    assert decisions == set(Decision.values)
    assert [row.number for row in report.rows] == list(range(1, len(report.rows) + 1))
    hidden = [row for row in report.rows if row.hidden]
    assert len(hidden) == 1 and "Обидни думи" in hidden[0].text and "маскари" not in hidden[0].text

    housing = Consultation.objects.get(slug=HOUSING_SLUG)
    assert housing.accepts_proposals() and housing.sections.count() == 5
    assert Proposal.objects.filter(consultation=housing).count() == 2
