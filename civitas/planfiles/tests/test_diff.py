"""planfiles.diff: two versions of a plan compared, on the demo's real plan files edited as a
council's update would, and as properties over generated goal trees."""

import copy
from decimal import Decimal

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from civitas.core.permissions import OPERATOR
from civitas.demo.services import DATA
from civitas.planfiles.diff import Change, Op, diff_plans, word_diff
from civitas.planfiles.imports import planfile_document, planfile_import
from civitas.plans.models import Plan
from civitas.testing.factories import MunicipalityFactory

DEMO_FILES = sorted(DATA.glob("*.yaml"))


def demo(name: str = "opr-2014-2020") -> dict:
    return yaml.safe_load((DATA / f"{name}.yaml").read_bytes())


def by_code(diff):
    return {e.code: e for e in diff.elements}


@pytest.mark.parametrize("path", DEMO_FILES, ids=lambda p: p.stem)
def test_a_demo_plan_against_itself_has_no_difference(path):
    document = yaml.safe_load(path.read_bytes())
    diff = diff_plans(document, copy.deepcopy(document))
    assert diff.is_empty
    assert diff.summary.total == 0
    assert all(e.change == Change.UNCHANGED for e in diff.elements)
    assert diff.groups == ()


def test_added_removed_moved_recoded_and_reworded_goals():
    old = demo()
    new = copy.deepcopy(old)
    goals = new["goals"]
    goals[0]["title"]["bg"] = "Развитие на конкурентоспособна и устойчива икономика"
    goals[1]["code"] = "СЦ2А"  # recoded, same text
    removed = goals.pop(2)
    goals.insert(0, goals.pop())  # СЦ4 to the top
    goals.append({"code": "СЦ5", "title": {"bg": "Дигитална община", "en": "A digital municipality"}})
    diff = diff_plans(old, new)
    elements = by_code(diff)

    assert [e.code for e in diff.elements] == ["СЦ4", "СЦ1", "СЦ2А", "СЦ3", "СЦ5"]
    assert elements["СЦ5"].change == Change.ADDED
    assert elements["СЦ3"].change == Change.REMOVED
    assert elements["СЦ3"].title == (removed["title"]["bg"], removed["title"]["en"])
    moved = elements["СЦ4"].move
    assert elements["СЦ4"].change == Change.MOVED
    assert (moved.old_position, moved.new_position, moved.reparented, moved.recoded) == (4, 1, False, False)
    recoded = elements["СЦ2А"]
    assert recoded.change == Change.MOVED and recoded.move.recoded and recoded.move.old_code == "СЦ2"
    assert not recoded.text  # a recode, not an element removed and another added
    reworded = elements["СЦ1"]
    assert reworded.change == Change.REWORDED and reworded.move is None
    (title,) = reworded.text
    assert (title.field, title.language) == ("title", "bg")
    assert [(p.op, p.text) for p in title.words] == [
        (Op.EQUAL, "Развитие на конкурентоспособна "),
        (Op.INSERT, "и устойчива "),
        (Op.EQUAL, "икономика"),
    ]
    summary = diff.summary
    assert (summary.elements_added, summary.elements_removed, summary.elements_moved) == (1, 1, 2)
    assert summary.elements_reworded == 1
    # СЦ3's projects left the plan with it.
    assert {p.code for p in diff.projects if p.change == Change.REMOVED} == {
        p["code"] for p in removed["projects"]
    }


def test_an_element_moved_under_another_parent():
    old = {"plan": {"levels": ["Цел", "Приоритет"]}, "goals": [
        {"code": "A", "title": {"bg": "А"}, "children": [{"code": "A1", "title": {"bg": "А1"}}]},
        {"code": "B", "title": {"bg": "Б"}},
    ]}  # fmt: skip
    new = copy.deepcopy(old)
    new["goals"][1]["children"] = [new["goals"][0].pop("children")[0]]
    move = by_code(diff_plans(old, new))["A1"].move
    assert (move.old_parent, move.new_parent, move.reparented) == ("A", "B", True)


def test_siblings_after_an_insertion_have_not_moved():
    old = {"goals": [{"code": f"G{i}", "title": {"bg": f"Цел {i}"}} for i in range(5)]}
    new = copy.deepcopy(old)
    new["goals"].insert(1, {"code": "NEW", "title": {"bg": "Нова"}})
    diff = diff_plans(old, new)
    assert [e.change for e in diff.elements] == [Change.UNCHANGED, Change.ADDED] + [Change.UNCHANGED] * 4


def test_plan_fields():
    old = demo()
    new = copy.deepcopy(old)
    new["plan"]["period"] = {"start": 2014, "end": 2022}
    new["plan"]["vision"]["en"] = "A new vision."
    new["plan"]["levels"].append({"bg": "Приоритет", "en": "Priority"})
    new["plan"]["status"] = "in_force"
    fields = {(c.field, c.language): c for c in diff_plans(old, new).plan}
    assert fields[("period", "")].old == "2014–2020" and fields[("period", "")].new == "2014–2022"
    assert fields[("vision", "en")].new == "A new vision."
    assert fields[("levels", "bg")].new == "Стратегическа цел / Приоритет"
    assert (fields[("status", "")].old, fields[("status", "")].new) == ("adopted", "in_force")
    assert ("vision", "bg") not in fields


def _with_indicator(document, targets):
    document["goals"][0]["indicators"] = [{
        "code": "И-1", "name": {"bg": "Нощувки", "en": "Nights"}, "type": "result", "unit": {"bg": "брой"},
        "baseline": {"value": 10000, "year": 2013}, "targets": targets,
    }]  # fmt: skip
    return document


def test_indicators_targets_year_by_year_and_baselines():
    old = _with_indicator(demo(), [{"year": 2017, "value": 12000}, {"year": 2020, "value": 15000}])
    new = _with_indicator(demo(), [{"year": 2017, "value": 12000}, {"year": 2020, "value": 18000},
                                   {"year": 2019, "value": 16000}])  # fmt: skip
    new["goals"][0]["indicators"][0]["baseline"] = {"value": 9500, "year": 2013}
    new["goals"][0]["indicators"][0]["direction"] = "decrease"
    (indicator,) = diff_plans(old, new).indicators
    assert indicator.change == Change.CHANGED and indicator.element == "СЦ1"
    assert [(t.year, t.old, t.new) for t in indicator.targets] == [
        (2019, None, Decimal(16000)), (2020, Decimal(15000), Decimal(18000)),
    ]  # fmt: skip
    fields = {c.field: (c.old, c.new) for c in indicator.fields}
    assert fields == {"baseline": ("10000 (2013)", "9500 (2013)"), "direction": ("", "decrease")}
    assert diff_plans(old, demo()).indicators[0].change == Change.REMOVED
    assert diff_plans(demo(), new).indicators[0].change == Change.ADDED
    assert diff_plans(old, new).summary.targets_changed == 2


def test_financial_table_and_project_budgets_with_their_currencies():
    old = demo()
    old["financial_table"] = [{"element": "СЦ1", "source": "eu", "year": 2016, "amount": 100000}]
    new = copy.deepcopy(old)
    new["financial_table"] = [
        {"element": "СЦ1", "source": "eu", "year": 2016, "amount": 60000, "currency": "EUR"},
        {"source": "municipal", "amount": 5000},
    ]
    new["goals"][0]["projects"][0]["budget"][0]["amount"] = 2000000
    new["goals"][0]["projects"].append({"code": "НОВ-1", "title": {"bg": "Нов проект"}})
    diff = diff_plans(old, new)
    plan_line, line = diff.financial
    assert (plan_line.element, plan_line.change, plan_line.new_currency) == (None, Change.ADDED, "BGN")
    assert (line.old_amount, line.old_currency, line.new_amount, line.new_currency) == (
        Decimal(100000), "BGN", Decimal(60000), "EUR",
    )  # fmt: skip  # version 1 counted in leva
    changed = {p.code: p for p in diff.projects}
    assert changed["НОВ-1"].change == Change.ADDED and changed["НОВ-1"].new_elements == ("СЦ1",)
    (budget,) = changed["ОПР-1.1"].budget
    assert (budget.source, budget.old_amount, budget.new_amount) == ("eu", Decimal(1950000), Decimal(2000000))
    groups = diff.groups
    assert groups[0].element is None and groups[0].financial == (plan_line,)
    assert groups[1].element.code == "СЦ1" and groups[1].financial == (line,)


@pytest.mark.django_db
def test_a_version_1_file_against_its_own_export_after_import():
    """The demo's file in version 1 and the same plan exported (version 2) read as the same plan."""
    municipality = MunicipalityFactory()
    data = (DATA / "opr-2014-2020.yaml").read_bytes()
    planfile_import(actor=OPERATOR, municipality=municipality, data=data)
    exported = planfile_document(Plan.objects.get(municipality=municipality))
    assert diff_plans(yaml.safe_load(data), exported).is_empty


def test_snapshots_read_leniently():
    assert diff_plans({}, {}).is_empty
    diff = diff_plans({"goals": "nonsense"}, {"goals": [{"code": "A", "title": "А"}, {"title": "no code"}]})
    assert [(e.code, e.change) for e in diff.elements] == [("A", Change.ADDED)]


# Properties --------------------------------------------------------------------------------------

words = st.lists(st.sampled_from(["план", "цел", "мярка", "община", "2020", ",", "и", "Сопот"]), max_size=12)


@given(words, words)
def test_a_word_diff_gives_back_both_texts(old, new):
    a, b = " ".join(old), " ".join(new)
    parts = word_diff(a, b)
    assert "".join(p.text for p in parts if p.op != Op.INSERT) == a
    assert "".join(p.text for p in parts if p.op != Op.DELETE) == b
    assert all(p.text for p in parts)


titles = st.sampled_from(["Икономика", "Околна среда", "Хора", "Администрация", "Туризъм", "Жилища"])


@st.composite
def trees(draw, depth=0, codes=None):
    codes = codes if codes is not None else iter(range(10_000))
    count = draw(st.integers(0, 4 if depth == 0 else 2))
    items = []
    for _ in range(count):
        item = {"code": f"E{next(codes)}", "title": {"bg": draw(titles)}}
        if depth < 2:
            children = draw(trees(depth + 1, codes))
            if children:
                item["children"] = children
        items.append(item)
    return items


def flatten(items, out=None):
    out = [] if out is None else out
    for item in items:
        out.append(item)
        flatten(item.get("children", []), out)
    return out


@st.composite
def edited(draw):
    """A tree and an edit of it: elements removed, added, reordered, reworded and recoded."""
    goals = draw(trees())
    old = {"format": "civitas-plan/2", "plan": {"slug": "p"}, "goals": goals}
    new = copy.deepcopy(old)
    for item in flatten(new["goals"]):
        action = draw(st.sampled_from(["keep", "keep", "reword", "recode", "drop", "shuffle", "add"]))
        if action == "reword":
            item["title"]["bg"] += " и още"
        elif action == "recode":
            item["code"] = "R" + item["code"]
        elif action == "drop":
            item["children"] = []
        elif action == "shuffle" and item.get("children"):
            item["children"] = draw(st.permutations(item["children"]))
        elif action == "add":
            item.setdefault("children", []).append({"code": "N" + item["code"], "title": {"bg": "Нова"}})
    return old, new


@settings(max_examples=150, deadline=None)
@given(edited())
def test_every_element_is_reported_once(pair):
    old, new = pair
    diff = diff_plans(old, new)
    old_codes = [e["code"] for e in flatten(old["goals"])]
    new_codes = [e["code"] for e in flatten(new["goals"])]
    present = [e for e in diff.elements if e.change != Change.REMOVED]
    # Every element of the new version once, in its reading order ...
    assert [e.code for e in present] == new_codes
    assert all(e.change in (Change.UNCHANGED, Change.ADDED, Change.MOVED, Change.REWORDED) for e in present)
    # ... and every element of the old one once: matched to a new one, or removed.
    matched_old = [e.move.old_code if e.move else e.code for e in present if e.change != Change.ADDED]
    removed = [e.code for e in diff.elements if e.change == Change.REMOVED]
    assert sorted(matched_old + removed) == sorted(old_codes)
    assert diff_plans(new, copy.deepcopy(new)).is_empty
    assert diff_plans(old, new) == diff  # deterministic


def test_a_replaced_word_keeps_its_space_outside_the_marks():
    parts = [(p.op, p.text) for p in word_diff("приет с решение № 12", "приет с решение № 123")]
    assert parts == [(Op.EQUAL, "приет с решение № "), (Op.DELETE, "12"), (Op.INSERT, "123")]
    parts = [(p.op, p.text) for p in word_diff("цел за туризъм", "цел за жилища")]
    assert parts == [(Op.EQUAL, "цел за "), (Op.DELETE, "туризъм"), (Op.INSERT, "жилища")]
