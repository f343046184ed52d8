"""The public register (list with filters, a page per decision with what it acts on) and the staff's
pages; each page's query count pinned and shown to stay the same as the data grows."""

import datetime

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from civitas.consultations.models import Consultation, ConsultationStatus
from civitas.core.models import Role
from civitas.core.permissions import OPERATOR
from civitas.council import selectors, services
from civitas.council.models import Decision
from civitas.plans.models import PlanStatus, PlanVersion
from civitas.testing.factories import DecisionFactory, MunicipalityFactory, PlanFactory, ProjectFactory
from civitas.testing.pages import url
from civitas.testing.signin import sign_in_with_role

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _no_cached_pages():
    cache.clear()


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot", name_bg="Сопот", name_en="Sopot")


def _consultation(town, decision=None, *, slug="c", status=ConsultationStatus.CLOSED):
    now = timezone.now()
    return Consultation.objects.create(
        municipality=town, slug=slug, title_bg=f"Консултация {slug}", opens_at=now - datetime.timedelta(days=40),
        closes_at=now - datetime.timedelta(days=2), status=status, results_decision=decision,
    )  # fmt: skip


def _acting_on(town, decision, n):
    """``n`` projects, consultations and plan versions pointing at ``decision``."""
    plan = PlanFactory(municipality=town, status=PlanStatus.ADOPTED)
    for i in range(n):
        ProjectFactory(municipality=town, code=f"P{decision.pk}-{i}", slug=f"p{decision.pk}-{i}",
                       cofinancing_decision=decision)  # fmt: skip
        _consultation(town, decision, slug=f"c{decision.pk}-{i}")
        PlanVersion.objects.create(plan=plan, number=i + 1, kind="adopted", decision=decision)


def test_decision_acts_finds_every_record_pointing_at_a_decision(town, django_assert_num_queries):
    decision = DecisionFactory(municipality=town, number=123)
    project = ProjectFactory(
        municipality=town,
        code="ОПАК-1",
        slug="opak-1",
        title_bg="Проект на общината",
        cofinancing_decision=decision,
    )
    consultation = _consultation(town, decision)
    _consultation(town, decision, slug="draft", status=ConsultationStatus.DRAFT)  # not public
    draft_plan = PlanFactory(municipality=town, status=PlanStatus.DRAFT)
    PlanVersion.objects.create(plan=draft_plan, number=1, kind="adopted", decision=decision)  # not public
    relations = len(selectors.relations())
    with django_assert_num_queries(relations):
        groups = {group.name: group for group in selectors.decision_acts(decision)}
    assert set(groups) == {"cofinanced_projects", "consultations_with_results"}
    (act,) = groups["cofinanced_projects"].acts
    assert (act.label, act.url) == ("ОПАК-1 Проект на общината", project.get_absolute_url())
    (act,) = groups["consultations_with_results"].acts
    assert act.url == consultation.get_absolute_url() == "/sopot/consultations/c/"
    with translation.override("en"):
        labels = {group.name: group.label for group in selectors.decision_acts(decision)}
        kinds = {relation.name: relation.label for relation in selectors.relations()}
    assert (
        labels["cofinanced_projects"] == kinds["cofinanced_projects"] == "Approves the project's co-financing"
    )
    assert labels["consultations_with_results"] == "Adopts the results of the consultation"
    assert kinds["plan_versions"] == "Adopts or amends the plan"


def test_the_decisions_page_shows_it_and_links_what_it_acts_on(client, town):
    decision = DecisionFactory(municipality=town, number=123, date=datetime.date(2014, 3, 27), protocol_number=18,
                               votes_for=13, votes_against=0, votes_abstained=1, is_sample=True,
                               text_en="The council adopts the strategy.")  # fmt: skip
    services.decision_document_upload(
        actor=OPERATOR, decision=decision, upload=SimpleUploadedFile("r.pdf", PDF)
    )
    project = ProjectFactory(municipality=town, cofinancing_decision=decision)
    page = client.get(url("council:detail", "sopot", 2014, 123, lang="en")).content.decode()
    assert "Decision № 123 of the Municipal Council of 27.03.2014" in page
    assert "Municipal Council of Sopot" in page and "27.03.2014" in page and "№ 18" in page
    assert "13 for, 0 against, 1 abstained" in page
    assert "The council adopts the strategy." in page
    assert f'href="/en/sopot/projects/{project.slug}/"' in page or f"/sopot/projects/{project.slug}/" in page
    assert decision.document.url in page
    assert "Sample data" in page
    # The document is served to anyone, through portal.media.
    assert client.get(decision.document.url).status_code == 200


def test_the_decisions_page_keeps_its_query_count_as_data_grows(client, town, django_assert_num_queries):
    counts = []
    for n in (1, 5):
        decision = DecisionFactory(municipality=town)
        _acting_on(town, decision, n)
        cache.clear()
        with django_assert_num_queries(PINNED["detail"]) as ctx:
            assert (
                client.get(url("council:detail", "sopot", decision.year, decision.number)).status_code == 200
            )
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_the_list_keeps_its_query_count_as_data_grows(client, town, django_assert_num_queries):
    counts = []
    for n in (3, 30):
        for _ in range(n):
            _acting_on(town, DecisionFactory(municipality=town), 1)
        cache.clear()
        with django_assert_num_queries(PINNED["list"]) as ctx:
            assert (
                client.get(url("council:list", "sopot") + "?acts_on=cofinanced_projects").status_code == 200
            )
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


# The municipality; the decision; one query per kind of record that points at decisions (plan
# versions, projects, consultations: three in this app's tree).
# The list: the municipality, the count, the page of decisions, the years for the filter.
PINNED = {"detail": 5, "list": 4}


def test_the_list_filters_by_year_session_subject_and_what_a_decision_acts_on(client, town):
    adopting = DecisionFactory(municipality=town, number=1, date=datetime.date(2014, 3, 27),
                               subject_bg="Приемане на Стратегия за жилищна политика")  # fmt: skip
    ProjectFactory(municipality=town, cofinancing_decision=DecisionFactory(
        municipality=town, number=2, date=datetime.date(2015, 5, 5), subject_bg="Съфинансиране на проект",
        session_kind="extraordinary"))  # fmt: skip
    DecisionFactory(municipality=town, number=3, date=datetime.date(2016, 4, 20), subject_bg="Отчет")

    def numbers(query):
        page = client.get(url("council:list", "sopot") + query).content.decode()
        return sorted(n for n in (1, 2, 3) if f"/sopot/decisions/{2013 + n}/{n}/" in page)

    assert numbers("") == [1, 2, 3]
    assert numbers("?year=2014") == [1]
    assert numbers("?session=extraordinary") == [2]
    assert numbers("?acts_on=cofinanced_projects") == [2]
    assert numbers("?q=жилищна") == [1]  # whatever the case, in Cyrillic too
    assert numbers("?q=ЖИЛИЩНА") == [1]
    assert numbers("?year=abc") == [1, 2, 3]  # a filter that names nothing is not used
    assert adopting.subject_bg in client.get(url("council:list", "sopot")).content.decode()


def test_the_list_is_cached_for_visitors_and_refreshed_by_a_new_decision(client, town):
    DecisionFactory(municipality=town, number=1)
    assert "/sopot/decisions/2014/1/" in client.get(url("council:list", "sopot")).content.decode()
    services.decision_create(actor=OPERATOR, municipality=town, number=77, date=datetime.date(2014, 5, 1),
                             subject_bg="Нова тема")  # fmt: skip
    assert "/sopot/decisions/2014/77/" in client.get(url("council:list", "sopot")).content.decode()


def test_the_project_and_consultation_pages_cite_their_decision(client, town):
    decision = DecisionFactory(municipality=town, number=42, date=datetime.date(2016, 4, 20))
    project = ProjectFactory(municipality=town, cofinancing_decision=decision)
    page = client.get(url("portal:project", "sopot", project.slug, lang="en")).content.decode()
    assert "Approved by" in page and "/en/sopot/decisions/2016/42/" in page
    consultation = _consultation(town, decision)
    page = client.get(url("consultations:detail", "sopot", consultation.slug, lang="en")).content.decode()
    assert "Adopted by" in page and "/en/sopot/decisions/2016/42/" in page


# Staff pages ------------------------------------------------------------------------------------


def _form(**fields):
    return {"number": "42", "date": "20.04.2016", "session_kind": "regular", "protocol_number": "7",
            "subject_bg": "Приемане на отчет", "subject_en": "", "text_bg": "", "text_en": "", "votes_for": "11",
            "votes_against": "2", "votes_abstained": "2"} | fields  # fmt: skip


def test_only_the_council_secretary_and_the_administrator_keep_the_register(client, town):
    sign_in_with_role(client, town, Role.PLANNER)
    assert client.get(url("council_manage:list", "sopot")).status_code == 403
    client.logout()
    sign_in_with_role(client, town, Role.COUNCIL_SECRETARY)
    page = client.get(url("manage:dashboard", "sopot")).content.decode()
    assert "/sopot/manage/decisions/" in page
    assert client.get(url("council_manage:list", "sopot")).status_code == 200


def test_a_decision_is_recorded_edited_given_its_document_and_deleted(client, town):
    sign_in_with_role(client, town, Role.COUNCIL_SECRETARY)
    response = client.post(url("council_manage:create", "sopot"), _form())
    assert response.status_code == 302
    decision = Decision.objects.get(municipality=town, year=2016, number=42)
    assert decision.date == datetime.date(2016, 4, 20)
    edit = url("council_manage:edit", "sopot", decision.pk)
    assert 'value="20.04.2016"' in client.get(edit).content.decode()
    response = client.post(edit, _form(subject_en="Annual report", version=str(decision.version)))
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.subject_en == "Annual report"
    document = url("council_manage:document", "sopot", decision.pk)
    response = client.post(
        document, {"upload": SimpleUploadedFile("r.pdf", PDF), "version": decision.version}
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.document.name.endswith(".pdf")
    delete = url("council_manage:delete", "sopot", decision.pk)
    assert "№ 42" in client.get(delete).content.decode()
    assert client.post(delete).status_code == 302
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"number": "42"}, "already has a decision № 42 in 2016"),
        (
            {"date": (timezone.localdate() + datetime.timedelta(days=3)).strftime("%d.%m.%Y")},
            "cannot be in the future",
        ),
        ({"votes_for": "90", "votes_against": "20"}, "more than a municipal council has"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(client, town, fields, message):
    DecisionFactory(municipality=town, number=42, date=datetime.date(2016, 1, 10))
    sign_in_with_role(client, town, Role.COUNCIL_SECRETARY)
    response = client.post(url("council_manage:create", "sopot", lang="en"), _form(number="43") | fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Decision.objects.count() == 1


def test_a_decision_something_points_at_is_not_deleted_from_its_page(client, town):
    decision = DecisionFactory(municipality=town)
    ProjectFactory(municipality=town, cofinancing_decision=decision)
    sign_in_with_role(client, town, Role.ADMINISTRATOR)
    response = client.post(url("council_manage:delete", "sopot", decision.pk, lang="en"), follow=True)
    assert "cannot be deleted while records point at it" in response.content.decode()
    assert Decision.objects.filter(pk=decision.pk).exists()


def test_the_staff_list_keeps_its_query_count(client, town, django_assert_num_queries):
    sign_in_with_role(client, town, Role.COUNCIL_SECRETARY)
    counts = []
    for n in (2, 20):
        for _ in range(n):
            DecisionFactory(municipality=town)
        with django_assert_num_queries(PINNED_STAFF) as ctx:
            assert client.get(url("council_manage:list", "sopot")).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


PINNED_STAFF = 6  # session, user, second factor, membership, municipality (as any staff page); the page


# The records a decision acts on: their staff forms --------------------------------------------


def test_the_projects_form_offers_only_this_councils_decisions_for_its_co_financing(client, town):
    own = DecisionFactory(municipality=town, number=42, date=datetime.date(2016, 4, 20))
    foreign = DecisionFactory(municipality=MunicipalityFactory(slug="karlovo"), number=43)
    project = ProjectFactory(municipality=town, code="P1", slug="p1")
    sign_in_with_role(client, town, Role.PLANNER)
    path = url("manage:project_edit", "sopot", "p1")
    form = client.get(path).content.decode()
    assert f'<option value="{own.pk}">' in form and f'value="{foreign.pk}"' not in form
    data = {"version": project.version, "code": "P1", "slug": "p1", "title_bg": project.title_bg,
            "status": project.status, "declared_currency": project.declared_currency,
            "cofinancing_decision": own.pk}  # fmt: skip
    assert client.post(path, data).status_code == 302
    project.refresh_from_db()
    assert project.cofinancing_decision == own
    assert (
        client.post(path, data | {"version": project.version, "cofinancing_decision": foreign.pk}).status_code
        == 400
    )
    project.refresh_from_db()
    assert project.cofinancing_decision == own


def test_a_closed_consultation_records_the_decision_on_its_results(client, town):
    decision = DecisionFactory(municipality=town, number=171, date=datetime.date(2014, 6, 26))
    consultation = _consultation(town)
    sign_in_with_role(client, town, Role.PLANNER)
    detail = url("consultations_manage:detail", "sopot", consultation.slug)
    path = url("consultations_manage:results_decision", "sopot", consultation.slug)
    assert path in client.get(detail).content.decode()
    response = client.post(path, {"version": consultation.version, "results_decision": decision.pk})
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.results_decision == decision
    assert "/sopot/decisions/2014/171/" in client.get(detail).content.decode()
    stale = client.post(path, {"version": consultation.version - 1, "results_decision": ""})
    assert stale.status_code == 400
    consultation.refresh_from_db()
    assert consultation.results_decision == decision
