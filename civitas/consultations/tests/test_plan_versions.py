"""A consultation held on a version of a plan (a draft for public consultation): chosen in the staff
form, named on the public page, and its table of proposals and answers leads to the version that
followed it; that version knows which consultation preceded it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from civitas.consultations import selectors
from civitas.consultations.forms import ConsultationForm
from civitas.consultations.models import Consultation
from civitas.core.permissions import OPERATOR
from civitas.planfiles import services as planfile_services
from civitas.testing.factories import DecisionFactory, PlanElementFactory, PlanFactory
from civitas.testing.signin import sign_in

from .conftest import build_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """The messages and pages are read in English (their Bulgarian comes with the catalogue)."""
    with translation.override("en"):
        yield


@pytest.fixture
def plan(sopot):
    plan = PlanFactory(municipality=sopot, slug="opr", title_bg="ОПР на Сопот", title_en="", status="draft")
    PlanElementFactory(plan=plan, code="G1")
    return plan


@pytest.fixture
def consulted(plan):
    planfile_services.plan_version_start_draft(actor=OPERATOR, plan=plan)
    return planfile_services.plan_version_publish_for_consultation(
        actor=OPERATOR, plan=plan, published_on=datetime.date(2014, 1, 10)
    )


def test_a_consultation_is_held_on_a_consultation_draft_of_its_plan(sopot, planner, plan, consulted):
    consultation = build_consultation(sopot, planner, plan=plan, plan_version=consulted)
    assert consultation.plan_version == consulted
    assert selectors.version_after_consultation(consultation) is None
    decision = DecisionFactory(municipality=sopot, number=123, date=datetime.date(2014, 3, 27))
    adopted = planfile_services.plan_version_adopt(actor=OPERATOR, plan=plan, decision=decision)
    assert selectors.version_after_consultation(consultation) == adopted
    assert selectors.consultation_before_version(adopted) == consultation
    assert selectors.consultation_before_version(consulted) is None


def test_the_version_must_be_a_consultation_draft_of_the_consultations_plan(sopot, planner, plan, consulted):
    other = PlanFactory(municipality=sopot, slug="other")
    with pytest.raises(ValidationError, match="version of the plan under consultation"):
        build_consultation(sopot, planner, plan=other, plan_version=consulted)
    with pytest.raises(ValidationError, match="version of the plan under consultation"):
        build_consultation(sopot, planner, plan_version=consulted)
    draft = planfile_services.plan_version_start_draft(actor=OPERATOR, plan=plan)
    with pytest.raises(ValidationError, match="published as a draft for consultation"):
        build_consultation(sopot, planner, plan=plan, plan_version=draft)
    assert not Consultation.objects.exists()


def test_the_staff_form_offers_the_municipalitys_consultation_drafts(sopot, plan, consulted):
    elsewhere = PlanFactory(slug="elsewhere")
    planfile_services.plan_version_start_draft(actor=OPERATOR, plan=elsewhere)
    planfile_services.plan_version_publish_for_consultation(actor=OPERATOR, plan=elsewhere)
    form = ConsultationForm(instance=Consultation(municipality=sopot))
    field = form.fields["plan_version"]
    assert list(field.queryset) == [consulted]
    assert field.label_from_instance(consulted) == "ОПР на Сопот, version 1 (published on 10.01.2014)"


def test_the_public_page_and_the_table_name_the_versions(client, sopot, planner, plan, consulted):
    consultation = build_consultation(sopot, planner, plan=plan, plan_version=consulted)
    page = client.get(reverse("consultations:detail", args=["sopot", consultation.slug]))
    text = page.content.decode()
    assert "on version 1 of the plan (draft for public consultation, published on 10.01.2014)" in text
    sign_in(client, planner)
    report = reverse("consultations:report", args=["sopot", consultation.slug])
    assert "No version of the plan has followed it yet." in client.get(report).content.decode()
    decision = DecisionFactory(municipality=sopot, number=123, date=datetime.date(2014, 3, 27))
    planfile_services.plan_version_adopt(actor=OPERATOR, plan=plan, decision=decision)
    text = client.get(report).content.decode()
    assert "The version that followed it: version 2 (" in text
    assert reverse("council:detail", args=["sopot", 2014, 123]) in text
