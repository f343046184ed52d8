import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from civitas.core.models import Membership, Municipality, Role
from civitas.core.permissions import OPERATOR
from civitas.demo.services import DATA
from civitas.demo.sopot import DEMO_PASSWORD, PLAN_FILES
from civitas.planfiles import planfile
from civitas.planfiles.imports import planfile_export, planfile_import
from civitas.plans.models import Plan
from civitas.plans.selectors import plan_list
from civitas.projects.models import Project
from civitas.testing.factories import MembershipFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

# Copied word for word from the seed press release.
SEED_GOALS = [
    "Развитие на конкурентоспособна икономика",
    "Опазване на околната среда и инфраструктурното обезпечаване на общината",
    "Повишаване качеството на човешкия капитал на община Сопот, чрез ефективни социални услуги, здравеопазване "
    "и образование",
    "Подобряване на ефективността и разширяване възможностите за териториално сътрудничество и укрепване на "
    "административния капацитет",
]
SEED_STRATEGY_GOAL_4 = (
    "Формирана на балансирани и устойчиви жилищни структури/жилища, предоставящи повишен стандарт на обитаване и "
    "живот в общността"
)


def counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_demo_loads_once_and_again_changes_nothing(capsys):
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    assert "sopot-planner" in capsys.readouterr().out


# The projects the press release lists under each strategic goal, word for word.
SEED_PROJECTS = [
    [
        "СМР, Консервационни и възстановителни работи на средновековна крепост „Аневско Кале“. (довеждаща "
        "инфраструктура, експозиционна зала, информационен център)",
        "Изграждане на „Център за развитие на младите хора“",
        "Изграждане на спортни и развлекателни атракции",
    ],
    [
        "„Подобряване на градската среда на град Сопот“",
        "„Рехабилитация и реконструкция на пътната мрежа в община Сопот осигуряваща достъп до райони с "
        "икономически и туристически потенциал“.",
        "Изграждане на система за компостиране на битови отпадъци",
        "Разширяване функциите на общинска дейност „Чистота“ с извършване на дейността „Организирано "
        "сметосъбиране и сметоизвозване“.",
        "Изграждане на приют за безстопанствени кучета",
        "Подмяна на уличното осветление в община Сопот с енергоспестяващи осветителни тела и управление на "
        "осветеността през отделните части на нощта.",
    ],
    [
        "Обновяване с цел повишаване на ЕЕ на СБДПЛ „Иван Раев“",
        "Ремонт на сградения фонд, подновяване на обзавеждането и оборудването на читалището",
        "Повишаване ЕЕ на Комплекс за социални услуги в община Сопот",
        "Център за настаняване от семеен тип",
        "Професионално обучение на специалисти в различни предприятия от частния сектор",
    ],
    [
        "Въвеждане на е-община и електронно гише",
        "Рехабилитация и повишаване на ЕЕ на административните сгради в община Сопот",
        "Изграждане на велосипедна алея между гр. Сопот и гр. Карлово (съвместно с община Карлово) и между гр. "
        "Сопот и с. Анево",
        "Участие в трансгранични проекти за сътрудничество за противодействие на бедствия и аварии и известяване "
        "на населението.",
    ],
]
SEED_STRATEGY_GOALS = [
    "Спиране процесите на влошаване на състоянието на съществуващата градска среда и сграден жилищен фонд",
    "Осигуряване на нови достъпни жилища /за покупка и отдаване под наем/ и публични пространства",
    "Формиране на жизнена градска среда, осигуряваща достъп до публични пространства на местната общност",
    SEED_STRATEGY_GOAL_4,
]
SEED_OPAK_ACTIVITIES = [
    "Организация и управление на проекта",
    "Разработване на Стратегия за градоустройствена и жилищна политика на община Сопот",
    "Създаване на правила и методики за мониторинг и оценка на конкретни политики в община Сопот – туризъм, "
    "градоустройствена и жилищна политика",
    "Разработване на общински план за развитие на община Сопот 2014–2020г.",
    "Дейности по информация и публичност на проекта",
]
OPAK_TITLE = "Подобряване на процесите на създаване и провеждане на политики в община Сопот"


@pytest.fixture
def demo():
    call_command("load_demo", stdout=StringIO())
    return Municipality.objects.get(slug="sopot")


def test_the_municipality_has_only_public_facts(demo):
    assert (demo.name_bg, demo.name_en, demo.nuts) == ("Община Сопот", "Sopot Municipality", "BG421")
    assert (demo.population, demo.population_year) == (8375, 2021)
    assert demo.ekatte == ""  # not invented


def test_development_plan_has_the_seed_goals_and_every_project_under_them(demo):
    opr = Plan.objects.get(municipality=demo, slug="opr-2014-2020")
    assert opr.title_bg == "Общински план за развитие на община Сопот 2014–2020г."
    assert (opr.kind, opr.status, opr.period_start, opr.period_end) == (
        "development_plan",
        "adopted",
        2014,
        2020,
    )
    assert opr.is_sample and "Примерен текст" in opr.vision_bg and "Sample text" in opr.vision_en
    goals = list(opr.elements.filter(parent=None).order_by("position"))
    assert [g.title_bg for g in goals] == SEED_GOALS
    assert all(g.title_en for g in goals)
    for goal, seed_titles in zip(goals, SEED_PROJECTS, strict=True):
        projects = goal.projects.exclude(code__startswith="ОПАК").order_by("code")
        assert [p.title_bg for p in projects] == seed_titles
        assert all(p.title_en and p.is_sample for p in projects)
    assert [len(titles) for titles in SEED_PROJECTS] == [3, 6, 5, 4]
    # SG4 (administrative capacity) also has the OP "Administrative Capacity" project.
    assert goals[3].projects.filter(title_bg=OPAK_TITLE).exists()
    urban = Project.objects.get(municipality=demo, code="ОПР-2.1")
    assert urban.description_bg.startswith(
        "Цел: Да се подобри физическата и жизнена среда на градския център"
    )
    assert urban.description_bg.endswith("площадки /детски и спортни/ и градини в кв.Сарая.")
    chitalishte = Project.objects.get(municipality=demo, code="ОПР-3.2")
    assert chitalishte.description_bg == "Цел: Рехабилитация и оборудване на читалището в града"


def test_bike_path_and_fortress_have_their_places(demo):
    bike = Project.objects.get(municipality=demo, code="ОПР-4.3")
    assert (bike.partners.get().name_bg, bike.partners.get().name_en) == (
        "Община Карлово",
        "Karlovo Municipality",
    )
    assert bike.location["type"] == "LineString"
    points = bike.location["coordinates"]
    sopot, karlovo, anevo = [24.754, 42.652], [24.806, 42.643], [24.788, 42.675]
    assert karlovo in points and sopot in points and anevo in points
    fortress = Project.objects.get(municipality=demo, code="ОПР-1.1")
    assert fortress.location == {"type": "Point", "coordinates": [24.788, 42.697]}


def test_strategy_and_methodology(demo):
    strategy = Plan.objects.get(municipality=demo, kind="sectoral_strategy")
    assert strategy.title_bg == "Стратегия за градоустройствена и жилищна политика на община Сопот"
    assert strategy.status == "adopted"
    assert [e.title_bg for e in strategy.elements.order_by("position")] == SEED_STRATEGY_GOALS
    methodology = Plan.objects.get(municipality=demo, kind="methodology")
    assert methodology.title_bg == (
        "Правила и методики за мониторинг и оценка на конкретни политики в община Сопот – туризъм, "
        "градоустройствена и жилищна политика"
    )
    assert [e.title_bg for e in methodology.elements.order_by("position")] == [
        "Туризъм", "Градоустройствена политика", "Жилищна политика",
    ]  # fmt: skip
    assert "- Съгласие за реализацията на политиките." in methodology.description_bg
    assert methodology.description_bg.count("\n- ") == 7  # the seven guarantees
    slugs = list(plan_list(municipality=demo).values_list("slug", flat=True))
    assert slugs[0] == "opr-2014-2020" and len(slugs) == 4  # the last: the sample ПИРО 2021–2027


def test_the_op_administrative_capacity_project(demo):
    opak = Project.objects.get(municipality=demo, title_bg=OPAK_TITLE)
    assert (opak.status, opak.progress, opak.is_sample) == ("completed", 100, True)
    line = opak.funding_lines.get()
    assert (line.source, line.grant_share, line.contract_number) == ("eu", 100, "13-13-146")
    assert line.contract_date == datetime.date(2013, 10, 31)
    assert "Оперативна програма „Административен капацитет“" in line.programme_bg
    assert "Европейския социален фонд" in line.programme_bg
    work = opak.activities.filter(is_milestone=False).order_by("position")
    assert [a.title_bg for a in work] == SEED_OPAK_ACTIVITIES
    publicity = work.last().description_bg
    for fact in [
        "24.01.2014",
        "24.07.2014",
        "банер 1бр.",
        "1000бр. брошури",
        "„Диалог днес“",
        "раздел „Проекти“",
    ]:
        assert fact in publicity
    assert SEED_STRATEGY_GOAL_4 in work[1].description_bg
    press = opak.activities.filter(is_milestone=True).values_list("completed_on", flat=True)
    assert sorted(press) == [datetime.date(2014, 1, 24), datetime.date(2014, 7, 24)]
    assert list(opak.elements.values_list("plan__slug", "code")) == [("opr-2014-2020", "СЦ4")]


def test_demo_plan_files_are_valid_without_a_database():
    for name in PLAN_FILES:
        checked, issues = planfile.load((DATA / name).read_bytes(), name)
        assert issues == [], (name, issues)


def test_demo_plans_round_trip_through_plan_files(demo):
    for plan in Plan.objects.filter(municipality=demo):
        exported = planfile_export(plan)
        copy = MunicipalityFactory(slug=f"copy-{plan.pk}")
        # Its published values come with it (civitas-plan/2), recorded as published by a verifier there.
        verifier = MembershipFactory(municipality=copy, role=Role.VERIFIER).user
        again = planfile_import(
            actor=OPERATOR, municipality=copy, data=exported.encode(), verifier=verifier
        ).plan
        assert planfile_export(again) == exported
        as_json = planfile_export(plan, "json")
        assert planfile_export(again, "json") == as_json


def test_accounts_only_prints_and_changes_nothing():
    before = counts()
    out = StringIO()
    call_command("load_demo", accounts_only=True, stdout=out)
    assert counts() == before
    text = out.getvalue()
    for username in ["sopot-admin", "sopot-planner", "sopot-projects", "sopot-indicators", "sopot-verifier",
                     "sopot-moderator", "sopot-secretary", "sopot-evaluator", "admin"]:  # fmt: skip
        assert username in text
    assert DEMO_PASSWORD in text


def test_one_demo_account_per_role(demo):
    users = get_user_model()
    assert users.objects.get(username="admin").is_superuser
    assert users.objects.get(username="sopot-planner").check_password(DEMO_PASSWORD)
    roles = set(Membership.objects.filter(municipality__slug="sopot").values_list("role", flat=True))
    assert roles == {
        "administrator",
        "planner",
        "project_manager",
        "indicator_owner",
        "verifier",
        "moderator",
        "council_secretary",
        "evaluator",
    }


def test_portal_shows_the_demo(client):
    call_command("load_demo")
    home = client.get("/sopot/").content.decode()
    assert "Общински план за развитие на община Сопот 2014–2020г." in home
    plan = client.get("/sopot/plans/opr-2014-2020/").content.decode()
    assert "Изграждане на приют за безстопанствени кучета" in plan
    english = client.get("/en/sopot/plans/opr-2014-2020/").content.decode()
    assert "Building a shelter for stray dogs" in english


def test_demo_indicators_show_every_state_the_evaluation_knows():
    from civitas.indicators.models import Indicator, Measurement
    from civitas.indicators.selectors import plan_evaluation
    from civitas.plans.selectors import plan_tree

    call_command("load_demo")
    statuses = set()
    for plan in Plan.objects.filter(municipality__slug="sopot"):
        evaluation = plan_evaluation(plan, plan_tree(plan))
        statuses |= {
            item.result.status for items in evaluation.indicators.values() for item in items if item.result
        }
    assert statuses == {"on_track", "at_risk", "off_track", "no_data", "stale", "context"}
    assert Indicator.objects.filter(is_sample=False).count() == 0
    assert Measurement.objects.filter(state="submitted").exists()  # something waits for the verifier


def test_demo_forum_has_replies_an_official_answer_and_a_moderated_post(client):
    from civitas.forum.models import Post, Topic

    call_command("load_demo")
    # three free-standing or on a project, one on the open housing consultation
    assert Topic.objects.filter(municipality__slug="sopot", consultation__isnull=True).count() == 3
    on_consultation = Topic.objects.get(municipality__slug="sopot", consultation__isnull=False)
    page = client.get(f"/sopot/consultations/{on_consultation.consultation.slug}/").content.decode()
    assert on_consultation.title in page and on_consultation.post_count == 2
    hidden = Post.objects.get(state="hidden")
    assert (
        Post.objects.filter(kind="official").exists() and Post.objects.filter(parent__isnull=False).exists()
    )
    content = client.get(f"/sopot/forum/{hidden.topic_id}/").content.decode()
    assert hidden.hidden_reason in content and "маскари" not in content


def test_the_monitoring_dashboard_has_something_to_show(demo):
    """Owners set, values overdue, one waiting for approval, indicators off track or at risk."""
    from civitas.indicators import selectors

    town = Municipality.objects.get(slug="sopot")
    board = selectors.monitoring_dashboard(municipality=town)
    assert all(item.indicator.owner is not None for item in board.evaluated)
    assert board.calendar.overdue
    assert len(board.waiting) == 1
    assert {item.result.status for item in board.attention} == {"off_track", "at_risk"}


def test_the_demo_has_the_priorities_survey_with_its_results(client):
    """load_demo (and so `make run`) brings the priorities survey, open, with its sample responses
    and public results."""
    from civitas.demo.surveys import SAMPLE_RESPONSES, SLUG
    from civitas.surveys.models import Response

    call_command("load_demo")
    assert (
        Response.objects.filter(survey__slug=SLUG, survey__municipality__slug="sopot").count()
        == SAMPLE_RESPONSES
    )
    listing = client.get("/sopot/surveys/").content.decode()
    assert f"/sopot/surveys/{SLUG}/" in listing
    results = client.get(f"/sopot/surveys/{SLUG}/results/")
    assert results.status_code == 200 and "<svg" in results.content.decode()


def test_demo_staff_pass_the_second_factor_with_the_printed_key(demo):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from civitas.demo.sopot import DEMO_TOTP_SECRET

    out = StringIO()
    call_command("load_demo", accounts_only=True, stdout=out)
    assert DEMO_TOTP_SECRET[:4] + " " + DEMO_TOTP_SECRET[4:8] in out.getvalue()
    code = StringIO()
    call_command("load_demo", code=True, stdout=code)
    for username in ["sopot-admin", "sopot-planner", "sopot-projects", "sopot-indicators", "sopot-verifier",
                     "sopot-moderator", "sopot-secretary", "sopot-evaluator", "admin"]:  # fmt: skip
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        assert device.verify_token(code.getvalue().strip()), username


def test_the_2014_2020_amounts_are_leva_shown_in_euro_with_the_leva_beside(client, demo):
    from civitas.projects.models import FundingLine

    opr = Plan.objects.get(municipality=demo, slug="opr-2014-2020")
    assert opr.currency == "BGN"
    lines = FundingLine.objects.filter(project__contributions__element__plan=opr)
    assert lines.exists() and set(lines.values_list("currency", flat=True)) == {"BGN"}
    page = client.get("/en/sopot/projects/").content.decode()
    assert "1 EUR = 1.95583 BGN" in page
    opak = Project.objects.get(municipality=demo, title_bg=OPAK_TITLE)
    line = opak.funding_lines.get()
    english = client.get(f"/en/sopot/projects/{opak.slug}/").content.decode()
    from civitas.core.money import to_eur

    assert f"{to_eur(line.amount, 'BGN'):,.2f}" in english and f"BGN\xa0{line.amount:,.2f}" in english


def test_the_sample_piro_is_in_euro_with_a_financial_table_projects_and_target_only_indicators(client, demo):
    from civitas.indicators.selectors import plan_evaluation
    from civitas.plans.selectors import plan_tree
    from civitas.projects.selectors import financial_comparison, project_budget

    piro = Plan.objects.get(municipality=demo, slug="piro-2021-2027")
    assert piro.title_bg == "План за интегрирано развитие на община Сопот 2021–2027"
    assert piro.is_sample and "Примерни данни" in piro.description_bg and "Sample data" in piro.description_en
    assert (piro.currency, piro.period_start, piro.period_end) == ("EUR", 2021, 2027)
    assert (piro.tolerance_amount, piro.tolerance_unit) == (10, "percent")
    assert piro.elements.filter(parent=None).count() == 3
    comparison = financial_comparison(piro)
    assert comparison is not None and comparison.planned == 5_820_000
    projects = Project.objects.filter(municipality=demo, code__startswith="ПИРО")
    assert projects.count() == 3 and all(p.is_sample for p in projects)
    assert {line.currency for p in projects for line in p.funding_lines.all()} == {"EUR"}
    assert any(line.is_ceiling for p in projects for line in p.funding_lines.all())
    flagged = projects.get(code="ПИРО-2")
    assert flagged.progress is None and project_budget(flagged).declared_differs
    evaluation = plan_evaluation(piro, plan_tree(piro), today=datetime.date(2026, 12, 1))
    items = [item for found in evaluation.indicators.values() for item in found]
    assert 6 <= len(items) <= 10
    assert all(item.indicator.baseline_value is None for item in items)
    assert {item.result.status for item in items} == {"on_track", "at_risk", "off_track", "context"}
    assert {item.indicator.target_kind for item in items} == {"trajectory", "threshold"}
    page = client.get("/en/sopot/plans/piro-2021-2027/").content.decode()
    assert "Indicative financial table" in page and "€5,820,000.00" in page


def test_most_sample_projects_have_activities_a_photo_and_a_document(client, demo):
    from civitas.projects.models import DocumentKind  # Imported here: only this test reads documents.

    projects = list(Project.objects.filter(municipality=demo).prefetch_related("activities", "documents"))
    with_all = [
        p for p in projects
        if p.activities.all() and {d.kind for d in p.documents.all()} == {DocumentKind.PHOTO, DocumentKind.DOCUMENT}
    ]  # fmt: skip
    assert len(with_all) > len(projects) / 2
    project = with_all[0]
    photo = next(d for d in project.documents.all() if d.kind == DocumentKind.PHOTO)
    assert photo.content_type.startswith("image/") and photo.title_bg.startswith("Примерно изображение")
    page = client.get(f"/sopot/projects/{project.slug}/").content.decode()
    assert f'alt="{photo.title_bg}"' in page
    response = client.get(photo.file.url)
    assert response.status_code == 200
    document = next(d for d in project.documents.all() if d.kind == DocumentKind.DOCUMENT)
    assert document.content_type == "application/pdf" and document.file_type == "PDF"
