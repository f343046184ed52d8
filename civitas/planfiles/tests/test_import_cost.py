"""What creating a goal tree in bulk (plans.services.element_create_tree) does for plan imports: a
cost that grows linearly with the elements, and a short write transaction."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civitas.core.permissions import OPERATOR
from civitas.planfiles import imports, planfile
from civitas.planfiles.imports import planfile_import
from civitas.testing.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def plan_file(goals: int, children: int) -> bytes:
    lines = ["format: civitas-plan/1", "plan:", "  slug: big", "  kind: programme", "  title: План",
             "  period: {start: 2021, end: 2027}", "  levels: [Цел, Мярка]", "goals:"]  # fmt: skip
    for g in range(goals):
        lines += [f"  - code: G{g}", f"    title: Цел {g}", "    children:"]
        lines += [f"      - {{code: G{g}.{c}, title: Мярка {g}.{c}}}" for c in range(children)]
    return ("\n".join(lines) + "\n").encode()


def import_queries(data: bytes) -> int:
    with CaptureQueriesContext(connection) as queries:
        result = planfile_import(actor=OPERATOR, municipality=MunicipalityFactory(), data=data)
    assert result.elements == data.count(b"code:")
    return len(queries)


def test_importing_twice_as_many_elements_costs_the_same_queries_per_level_and_batch():
    # 45 and 90 elements (and their 90 audit-log rows) fit in one insert per level on every
    # database: the same number of queries.
    assert import_queries(plan_file(goals=30, children=2)) == import_queries(plan_file(goals=15, children=2))
    # Beyond one batch (SQLite inserts ~100 rows per statement), a few more inserts, not more per element.
    small, big = import_queries(plan_file(200, 2)), import_queries(plan_file(400, 2))
    assert big - small <= 600 // 50, (small, big)


@pytest.mark.django_db(transaction=True)
def test_the_file_is_read_and_checked_before_the_write_transaction(monkeypatch):
    inside = []
    for module, name in [(planfile, "load"), (imports, "_check_against_database")]:
        original = getattr(module, name)

        def spy(*args, _original=original, _name=name, **kwargs):
            inside.append((_name, connection.in_atomic_block))
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    original_write = imports._write
    monkeypatch.setattr(
        imports,
        "_write",
        lambda *a, **k: inside.append(("_write", connection.in_atomic_block)) or original_write(*a, **k),
    )
    planfile_import(actor=OPERATOR, municipality=MunicipalityFactory(), data=plan_file(3, 2))
    assert inside == [("load", False), ("_check_against_database", False), ("_write", True)]
