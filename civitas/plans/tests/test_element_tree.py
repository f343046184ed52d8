"""Creating a goal tree in bulk (services.element_create_tree): the same rules as one element at
a time, every element audited. What it does for plan imports: planfiles/tests/test_import_cost.py."""

import pytest

from civitas.core.models import AuditEvent, Role
from civitas.core.permissions import OPERATOR
from civitas.plans import services
from civitas.plans.models import PlanElement
from civitas.testing.factories import MembershipFactory, MunicipalityFactory

from .test_services import LEVELS, codes

pytestmark = pytest.mark.django_db
New = services.NewElement


@pytest.fixture
def plan():
    return services.plan_create(
        actor=OPERATOR, municipality=MunicipalityFactory(), slug="opr", kind="development_plan", title_bg="ОПР",
        period_start=2014, period_end=2020, level_names=LEVELS,
    )  # fmt: skip


def test_a_tree_is_created_in_order_after_the_existing_elements_and_audited(plan):
    services.element_create(actor=OPERATOR, plan=plan, code="A", title_bg="А")
    editor = MembershipFactory(municipality=plan.municipality, role=Role.PLANNER).user
    created = services.element_create_tree(
        actor=editor,
        plan=plan,
        elements=[
            New("B", "Б"),
            New("B.1", "Б.1", parent_code="B", title_en="B.1", description_bg="описание"),
            New("B.1.1", "Б.1.1", parent_code="B.1"),
            New("C", "В"),
            New("B.2", "Б.2", parent_code="B"),
        ],
    )
    assert list(created) == ["B", "C", "B.1", "B.2", "B.1.1"]  # level by level
    assert codes(plan) == ["A", "B", "C"]
    assert codes(plan, created["B"]) == ["B.1", "B.2"]
    assert codes(plan, created["B.1"]) == ["B.1.1"]
    assert list(PlanElement.objects.filter(plan=plan, parent=None).values_list("position", flat=True)) == [
        0,
        1,
        2,
    ]
    b1 = PlanElement.objects.get(code="B.1")
    assert (b1.title_en, b1.description_bg, b1.parent.code) == ("B.1", "описание", "B")
    events = AuditEvent.objects.filter(object_type="plans.planelement", actor=editor)
    assert sorted(events.values_list("object_repr", flat=True)) == sorted(
        f"{e.code} {e.title_bg}" for e in created.values()
    )
    assert set(events.values_list("action", flat=True)) == {"create"}
    assert set(events.values_list("object_id", flat=True)) == {str(e.pk) for e in created.values()}


def test_every_element_is_checked_with_the_rules_of_element_create_and_nothing_is_written(plan):
    services.element_create(actor=OPERATOR, plan=plan, code="A", title_bg="А")
    before = PlanElement.objects.count(), AuditEvent.objects.count()
    with pytest.raises(services.ElementsRefused) as refused:
        services.element_create_tree(
            actor=OPERATOR,
            plan=plan,
            elements=[
                New("A", "дубликат на съществуващ"),  # 0
                New("B", ""),  # 1
                New("B", "втори B"),  # 2
                New("C", "В"),  # 3
                New("C.1", "В.1", parent_code="C"),
                New("C.1.1", "В.1.1", parent_code="C.1"),
                New("C.1.1.1", "твърде дълбоко", parent_code="C.1.1"),  # 6
                New("D.1", "родител по-късно", parent_code="D"),  # 7
                New("D", "Г"),
                New("X" * 41, "дълъг код"),  # 9
            ],
        )
    assert sorted(refused.value.by_index) == [0, 1, 6, 7, 9]
    assert list(refused.value.by_index[0]) == ["code"]
    assert list(refused.value.by_index[1]) == ["title_bg"]
    assert list(refused.value.by_index[6]) == ["parent"]
    assert list(refused.value.by_index[7]) == ["parent"]
    assert list(refused.value.by_index[9]) == ["code"]
    # "B" twice: the first is refused (no title), so the second is not a duplicate of anything written.
    assert (PlanElement.objects.count(), AuditEvent.objects.count()) == before
