import pytest
from django.apps import apps
from django.core.management import call_command

from civitas.core.models import Membership, Municipality
from civitas.plans.models import Plan
from civitas.projects.models import Project

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


def test_demo_has_the_seed_plans_goals_and_projects():
    call_command("load_demo")
    sopot = Municipality.objects.get(slug="sopot")
    opr = Plan.objects.get(municipality=sopot, slug="opr-2014-2020")
    goals = list(opr.elements.filter(parent=None).order_by("position"))
    assert [g.title_bg for g in goals] == SEED_GOALS
    assert [g.projects.count() for g in goals] == [
        3,
        6,
        5,
        4 + 1,
    ]  # SG4 also has the OP "Administrative Capacity" project
    bike = Project.objects.get(municipality=sopot, code="ОПР-4.3")
    assert bike.partners.get().name_bg == "Община Карлово"
    assert bike.location["type"] == "MultiLineString"
    strategy = Plan.objects.get(municipality=sopot, kind="sectoral_strategy")
    assert strategy.elements.count() == 4
    assert strategy.elements.get(code="СЦ4").title_bg == SEED_STRATEGY_GOAL_4
    assert Plan.objects.filter(municipality=sopot, kind="methodology").exists()
    opak = Project.objects.get(municipality=sopot, code="ОПАК-13-13-146")
    line = opak.funding_lines.get()
    assert (line.contract_number, line.grant_share, line.source) == ("13-13-146", 100, "eu")
    assert opak.activities.filter(is_milestone=False).count() == 5


def test_one_demo_account_per_role():
    call_command("load_demo")
    roles = set(Membership.objects.filter(municipality__slug="sopot").values_list("role", flat=True))
    assert roles == {
        "administrator",
        "planner",
        "project_manager",
        "indicator_owner",
        "verifier",
        "moderator",
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
    assert statuses == {"on_track", "at_risk", "off_track", "no_data", "stale"}
    assert Indicator.objects.filter(is_sample=False).count() == 0
    assert Measurement.objects.filter(state="submitted").exists()  # something waits for the verifier


def test_demo_forum_has_replies_an_official_answer_and_a_moderated_post(client):
    from civitas.forum.models import Post, Topic

    call_command("load_demo")
    assert Topic.objects.filter(municipality__slug="sopot").count() == 3
    hidden = Post.objects.get(state="hidden")
    assert (
        Post.objects.filter(kind="official").exists() and Post.objects.filter(parent__isnull=False).exists()
    )
    content = client.get(f"/sopot/forum/{hidden.topic_id}/").content.decode()
    assert hidden.hidden_reason in content and "маскари" not in content
