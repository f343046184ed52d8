import pytest
from django.core.exceptions import ValidationError

from civitas.core.errors import ConflictError
from civitas.core.models import AuditEvent, Role
from civitas.core.permissions import OPERATOR
from civitas.plans import services
from civitas.plans.models import Plan, PlanElement
from civitas.testing.factories import MembershipFactory, MunicipalityFactory, PlanFactory

pytestmark = pytest.mark.django_db

LEVELS = [{"bg": "Стратегическа цел", "en": "Strategic goal"}, {"bg": "Приоритет", "en": "Priority"},
          {"bg": "Мярка", "en": "Measure"}]  # fmt: skip


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot")


@pytest.fixture
def plan(town):
    return services.plan_create(
        actor=OPERATOR, municipality=town, slug="opr", kind="development_plan", title_bg="ОПР", period_start=2014,
        period_end=2020, level_names=LEVELS,
    )  # fmt: skip


def codes(plan, parent=None):
    return list(
        PlanElement.objects.filter(plan=plan, parent=parent)
        .order_by("position")
        .values_list("code", flat=True)
    )


def test_plan_create_and_audit(plan):
    assert plan.status == "draft" and plan.version == 1
    assert AuditEvent.objects.filter(action="create", object_type="plans.plan").exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"period_start": 2020, "period_end": 2014}, "period_end"),
        ({"kind": "wish_list"}, "kind"),
        ({"slug": "opr"}, "slug"),
        ({"slug": "не-латиница"}, "slug"),
        ({"title_bg": " "}, "title_bg"),
        ({"level_names": [{"en": "Goal"}]}, "level_names"),
    ],
)
def test_bad_plans_are_refused(town, plan, change, field):
    data = dict(slug="other", kind="programme", title_bg="Програма", period_start=2014, period_end=2020)
    with pytest.raises(ValidationError) as error:
        services.plan_create(actor=OPERATOR, municipality=town, **{**data, **change})
    assert field in error.value.message_dict
    assert Plan.objects.count() == 1


def test_same_slug_in_another_municipality_is_fine(plan):
    other = MunicipalityFactory(slug="karlovo")
    services.plan_create(actor=OPERATOR, municipality=other, slug="opr", kind="programme", title_bg="x",
                         period_start=2014, period_end=2020)  # fmt: skip


def test_plan_update_detects_conflicts(plan):
    services.plan_update(
        actor=OPERATOR, plan=Plan.objects.get(pk=plan.pk), expected_version=1, title_en="MDP"
    )
    with pytest.raises(ConflictError):
        services.plan_update(
            actor=OPERATOR, plan=Plan.objects.get(pk=plan.pk), expected_version=1, title_en="Lost"
        )
    assert Plan.objects.get(pk=plan.pk).title_en == "MDP"


def test_status_moves_forward_or_back_from_consultation_only(plan):
    services.plan_change_status(actor=OPERATOR, plan=plan, status="consultation", expected_version=1)
    services.plan_change_status(actor=OPERATOR, plan=plan, status="draft", expected_version=2)
    services.plan_change_status(actor=OPERATOR, plan=plan, status="adopted", expected_version=3)
    with pytest.raises(ValidationError):
        services.plan_change_status(actor=OPERATOR, plan=plan, status="draft", expected_version=4)
    assert Plan.objects.get(pk=plan.pk).status == "adopted"


def test_elements_are_ordered_inserted_and_moved(plan):
    sg1 = services.element_create(actor=OPERATOR, plan=plan, code="SG1", title_bg="Цел 1")
    sg2 = services.element_create(actor=OPERATOR, plan=plan, code="SG2", title_bg="Цел 2")
    services.element_create(actor=OPERATOR, plan=plan, code="SG0", title_bg="Цел 0", position=0)
    assert codes(plan) == ["SG0", "SG1", "SG2"]
    p1 = services.element_create(actor=OPERATOR, plan=plan, code="P1", title_bg="Приоритет", parent=sg1)
    services.element_create(actor=OPERATOR, plan=plan, code="M1", title_bg="Мярка", parent=p1)
    services.element_move(actor=OPERATOR, element=sg2, parent=None, position=0)
    assert codes(plan) == ["SG2", "SG0", "SG1"]
    services.element_move(actor=OPERATOR, element=p1, parent=sg2, position=0)
    assert codes(plan, sg2) == ["P1"] and codes(plan, sg1) == []


def test_an_element_cannot_go_under_itself_or_its_descendants(plan):
    sg1 = services.element_create(actor=OPERATOR, plan=plan, code="SG1", title_bg="Цел 1")
    p1 = services.element_create(actor=OPERATOR, plan=plan, code="P1", title_bg="Приоритет", parent=sg1)
    for target in (sg1, p1):
        with pytest.raises(ValidationError) as error:
            services.element_move(actor=OPERATOR, element=sg1, parent=target, position=0)
        assert "parent" in error.value.message_dict
    assert PlanElement.objects.get(pk=sg1.pk).parent is None


def test_tree_cannot_grow_deeper_than_the_plan_levels(plan):
    sg1 = services.element_create(actor=OPERATOR, plan=plan, code="SG1", title_bg="1")
    p1 = services.element_create(actor=OPERATOR, plan=plan, code="P1", title_bg="2", parent=sg1)
    m1 = services.element_create(actor=OPERATOR, plan=plan, code="M1", title_bg="3", parent=p1)
    with pytest.raises(ValidationError):
        services.element_create(actor=OPERATOR, plan=plan, code="X", title_bg="4", parent=m1)
    sg2 = services.element_create(actor=OPERATOR, plan=plan, code="SG2", title_bg="1")
    with pytest.raises(ValidationError):  # the subtree of SG1 is 3 deep; under SG2 it would be 4
        services.element_move(actor=OPERATOR, element=sg1, parent=sg2, position=0)


def test_duplicate_code_and_foreign_parent_are_refused(plan):
    services.element_create(actor=OPERATOR, plan=plan, code="SG1", title_bg="1")
    with pytest.raises(ValidationError):
        services.element_create(actor=OPERATOR, plan=plan, code="SG1", title_bg="again")
    foreign = PlanFactory().elements.create(code="F", title_bg="f")
    with pytest.raises(ValidationError):
        services.element_create(actor=OPERATOR, plan=plan, code="SG9", title_bg="x", parent=foreign)
    assert PlanElement.objects.filter(plan=plan).count() == 1


def test_deletions_are_recorded_with_their_content(plan):
    sg1 = services.element_create(actor=OPERATOR, plan=plan, code="SG1", title_bg="Цел 1")
    services.element_create(actor=OPERATOR, plan=plan, code="P1", title_bg="Приоритет", parent=sg1)
    planner = MembershipFactory(municipality=plan.municipality, role=Role.PLANNER).user
    services.element_delete(actor=planner, element=sg1)
    event = AuditEvent.objects.get(action="delete", object_type="plans.planelement")
    assert {e["code"] for e in event.changes["elements"]} == {"SG1", "P1"}
    services.element_create(
        actor=OPERATOR, plan=plan, code="SG2", title_bg="Цел 2", description_bg="Описание"
    )
    services.plan_delete(actor=OPERATOR, plan=plan)
    event = AuditEvent.objects.get(action="delete", object_type="plans.plan")
    assert event.changes["period_start"] == plan.period_start and event.changes["title_bg"] == plan.title_bg
    assert [e["description_bg"] for e in event.changes["elements"]] == ["Описание"]
    assert not Plan.objects.filter(pk=plan.pk).exists()
