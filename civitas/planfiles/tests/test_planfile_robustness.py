"""Plan files that try to break the reader: impossible dates, huge numbers, odd types and keys,
deep trees, invalid text. Each is listed as an error at its path (or refused with one message),
never raised as a traceback, and nothing is written."""

import json
from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from civitas.planfiles import planfile
from civitas.plans import rules
from civitas.plans.models import Plan
from civitas.testing.factories import MunicipalityFactory


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def document(**project) -> dict:
    return {
        "format": planfile.FORMAT,
        "plan": {"slug": "p", "kind": "programme", "title": {"bg": "План"}, "period": {"start": 2021, "end": 2027}},
        "goals": [{"code": "G1", "title": {"bg": "Цел"}, "projects": [{"code": "P1", "title": {"bg": "Проект"}, **project}]}],
    }  # fmt: skip


def as_yaml(doc: dict, **replace) -> bytes:
    """The document as YAML, with ``"@KEY@"`` placeholders replaced by raw YAML text."""
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    for key, raw in replace.items():
        text = text.replace(f"'@{key}@'", raw)
    return text.encode()


def issues_of(data: bytes, name: str) -> list[str]:
    checked, issues = planfile.load(data, name)
    assert (checked is None) == bool(issues)
    return [str(issue) for issue in issues]


PROJECT = "goals[0].projects[0]"
DATE_FIELDS = [
    ({"planned": {"start": "@D@"}}, f"{PROJECT}.planned.start"),
    ({"planned": {"end": "@D@"}}, f"{PROJECT}.planned.end"),
    ({"actual": {"start": "@D@"}}, f"{PROJECT}.actual.start"),
    ({"actual": {"end": "@D@"}}, f"{PROJECT}.actual.end"),
    ({"budget": [{"source": "other", "amount": 1, "contract": {"date": "@D@"}}]}, f"{PROJECT}.budget[0].contract.date"),
    ({"activities": [{"title": "a", "start": "@D@"}]}, f"{PROJECT}.activities[0].start"),
    ({"activities": [{"title": "a", "due": "@D@"}]}, f"{PROJECT}.activities[0].due"),
    ({"activities": [{"title": "a", "completed": "@D@"}]}, f"{PROJECT}.activities[0].completed"),
]  # fmt: skip


@pytest.mark.parametrize("fields, path", DATE_FIELDS)
@pytest.mark.parametrize("quoted", [False, True])
def test_an_impossible_date_is_listed_at_its_path_in_yaml_and_json(fields, path, quoted):
    doc = document(**fields)
    raw = "'2020-02-30'" if quoted else "2020-02-30"
    yaml_issues = issues_of(as_yaml(doc, D=raw), "p.yaml")
    assert yaml_issues == [f"{path}: no such date: 2020-02-30"]
    json_issues = issues_of(json.dumps(doc).replace("@D@", "2020-02-30").encode(), "p.json")
    assert json_issues == yaml_issues


@pytest.mark.parametrize(
    "raw, message",
    [
        ("2021-02-29", "no such date: 2021-02-29"),
        ("2020-13-01", "no such date: 2020-13-01"),
        ("0000-01-01", "no such date: 0000-01-01"),
        ("2020-02-30 10:00:00", "not a date (expected YYYY-MM-DD)"),
        ("2020-02-03T10:00:00Z", "not a date (expected YYYY-MM-DD)"),
        ("!!timestamp 2020-02-30", "no such date: 2020-02-30"),
        ("0001-01-01", "a date between 1900-01-01 and 2199-12-31"),
        ("9999-12-31", "a date between 1900-01-01 and 2199-12-31"),
        ("'20200101'", "not a date (expected YYYY-MM-DD)"),
        ("2020", "not a date (expected YYYY-MM-DD)"),
        ("[2020, 1, 1]", "not a date (expected YYYY-MM-DD)"),
        ("{year: 2020}", "not a date (expected YYYY-MM-DD)"),
        ("true", "not a date (expected YYYY-MM-DD)"),
    ],
)
def test_dates_out_of_the_calendar_or_range_or_of_the_wrong_type_are_listed(raw, message):
    issues = issues_of(as_yaml(document(planned={"start": "@D@"}), D=raw), "p.yaml")
    assert issues == [f"{PROJECT}.planned.start: {message}"]


def test_dates_in_range_are_read_from_yaml_dates_and_strings_alike():
    doc = document(planned={"start": "@A@", "end": "@B@"})
    checked, issues = planfile.load(as_yaml(doc, A="1900-01-01", B="'2199-12-31'"), "p.yaml")
    assert issues == []
    assert [str(checked.projects[0][k]) for k in ("planned_start", "planned_end")] == [
        "1900-01-01",
        "2199-12-31",
    ]


def test_a_date_error_is_in_the_users_language():
    with translation.override("bg"):
        issues = issues_of(as_yaml(document(planned={"start": "@D@"}), D="2020-02-30"), "p.yaml")
    assert issues == [f"{PROJECT}.planned.start: няма такава дата: 2020-02-30"]


@pytest.mark.django_db
def test_import_plan_lists_an_impossible_date_instead_of_a_traceback(tmp_path):
    MunicipalityFactory(slug="sopot")
    source = tmp_path / "plan.yaml"
    source.write_bytes(as_yaml(document(planned={"start": "@D@"}), D="2020-02-30"))
    err = StringIO()
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_plan", str(source), municipality="sopot", stderr=err)
    assert err.getvalue().splitlines() == [f"{PROJECT}.planned.start: no such date: 2020-02-30"]
    assert not Plan.objects.exists()


HUGE = "1" + "0" * 5000


@pytest.mark.parametrize("name", ["p.yaml", "p.json"])
@pytest.mark.parametrize(
    "where, path, message",
    [
        ({"progress": "@N@"}, f"{PROJECT}.progress", "not a whole number"),
        ({"budget": [{"source": "other", "amount": "@N@"}]}, f"{PROJECT}.budget[0].amount", "too large"),
        ({"code": "@N@"}, f"{PROJECT}.code", "too long: 5001 characters; at most 40"),
    ],
)
def test_numbers_with_thousands_of_digits_are_listed_not_raised(name, where, path, message):
    doc = document(**where)
    data = as_yaml(doc, N=HUGE) if name == "p.yaml" else json.dumps(doc).replace('"@N@"', HUGE).encode()
    assert issues_of(data, name) == [f"{path}: {message}"]


@pytest.mark.parametrize("value", [2**31, 10**20])
def test_a_plan_position_beyond_what_the_database_stores_is_listed(value):
    doc = document()
    doc["plan"]["position"] = value
    assert issues_of(json.dumps(doc).encode(), "p.json") == [
        f"plan.position: cannot be more than {2**31 - 1}"
    ]


def test_a_long_sexagesimal_yaml_number_is_not_computed():
    # YAML 1.1 reads 1:0:0 as 3600; a few hundred kilobytes of ":0" would take PyYAML minutes of
    # big-integer arithmetic. Numbers that long are kept as the text they are.
    text = "1" + ":0" * 20_000
    parsed = planfile.parse(f"a: {text}\nb: 1:30\n".encode(), "p.yaml")
    assert parsed == {"a": text, "b": 90}


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"budget": [{"source": "other", "amount": -5}]}, [f"{PROJECT}.budget[0].amount: An amount cannot be negative."]),
        ({"budget": [{"source": "other", "amount": 5, "spent": -1}]}, [f"{PROJECT}.budget[0].spent: An amount cannot be negative."]),
        ({"budget": [{"source": "other", "amount": "NaN"}]}, [f"{PROJECT}.budget[0].amount: not a number"]),
        ({"budget": [{"source": "other", "amount": "1e999999999"}]}, [f"{PROJECT}.budget[0].amount: too large"]),
        ({"partners": [1, ["x"], None]}, [f"{PROJECT}.partners[{i}]: expected a mapping of fields" for i in range(3)]
         + [f"{PROJECT}.partners[{i}].name: required" for i in range(3)]),
        ({"activities": [[{"title": "a"}]]}, [f"{PROJECT}.activities[0]: expected a mapping of fields",
                                              f"{PROJECT}.activities[0].title: required"]),
        ({"also_contributes_to": [{}, [1], 5]}, [f"{PROJECT}.also_contributes_to[{i}]: expected “plan-slug/ELEMENT-CODE”"
                                                 for i in range(3)]),
        ({"location": {"geometry": {"type": "LineString", "coordinates": [[1, [2]], None]}}},
         [f"{PROJECT}.location.geometry: The location's coordinates must be [longitude, latitude] pairs in degrees."]),
    ],
)  # fmt: skip
def test_negative_amounts_and_wrong_types_in_nested_lists_are_listed(fields, expected):
    doc = document(**fields)
    assert sorted(issues_of(json.dumps(doc).encode(), "p.json")) == sorted(expected)
    assert sorted(issues_of(as_yaml(doc), "p.yaml")) == sorted(expected)


def test_keys_that_are_not_text_are_listed_as_unknown_fields():
    data = as_yaml(document(), K="x").replace(
        b"  - code: P1\n", b"  - code: P1\n    2: a\n    true: b\n    ~: c\n    2020-01-01: d\n"
    )
    issues = issues_of(data, "p.yaml")
    assert [issue.split(":")[0] for issue in issues] == [
        f"{PROJECT}.2",
        f"{PROJECT}.True",
        f"{PROJECT}.None",
        f"{PROJECT}.2020-01-01",
    ]


def test_children_that_are_not_a_list_are_listed():
    doc = document()
    doc["goals"][0]["children"] = 0
    assert issues_of(json.dumps(doc).encode(), "p.json") == ["goals[0].children: expected a list"]


def test_a_plan_has_at_most_ten_levels():
    # The portal draws the tree recursively: a hundred levels would make the plan's page fail for good.
    def levels(count):
        return {"level_names": [{"bg": f"L{i}"} for i in range(count)]}

    assert "level_names" not in rules.check_plan(levels(rules.MAX_LEVELS))
    assert rules.check_plan(levels(rules.MAX_LEVELS + 1))["level_names"] == ["A plan has at most 10 levels."]
    doc = document()
    doc["plan"]["levels"] = [f"L{i}" for i in range(11)]
    assert issues_of(json.dumps(doc).encode(), "p.json") == ["plan.levels: A plan has at most 10 levels."]


def test_a_tree_deeper_than_the_parser_allows_gets_one_message():
    nested = "goals:\n" + "".join(
        " " * (4 * i) + "- code: D\n" + " " * (4 * i) + "  children:\n" for i in range(400)
    )
    issues = issues_of(b"format: civitas-plan/1\n" + nested.encode(), "p.yaml")
    assert issues == ["The file is nested too deeply to be a plan file."]


@pytest.mark.parametrize(
    "payload",
    [
        b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b]\n",
        b"base: &base {code: X}\ngoals: [{<<: *base, title: t}]\n",
    ],
)
def test_yaml_aliases_are_refused_before_they_expand(payload):
    assert len(issues_of(payload, "p.yaml")) == 1
    assert "aliases are not allowed" in issues_of(payload, "p.yaml")[0]


@pytest.mark.parametrize(
    "data, name",
    [
        (b'{"format": "civitas-plan/1", "plan": {"title": "a\\ud800b"}}', "p.json"),
        (b'{"format": "civitas-plan/1", "goals": [{"\\udfff": 1}]}', "p.json"),
        (b'format: civitas-plan/1\nplan: {title: "a\\ud800b"}\n', "p.yaml"),
        (b'{"format": "civitas-plan/1", "plan": {"title": "a\\u0000b"}}', "p.json"),
        (b'format: civitas-plan/1\nplan: {title: "a\\0b"}\n', "p.yaml"),
    ],
)
def test_text_the_database_cannot_store_is_refused_with_its_path(data, name):
    issues = issues_of(data, name)
    assert len(issues) == 1 and "a character that cannot be stored" in issues[0], issues
    issues[0].encode("utf-8")  # printable: the path names a bad key without repeating it


def test_checking_a_file_full_of_errors_stays_linear(monkeypatch):
    # Each item used to look through every issue found so far: 8,000 bad projects took 19 s, a
    # 5 MB file of them half an hour. Counted, not timed: the issues are never walked per item.
    class Issues(list):
        walks = 0

        def __iter__(self):
            Issues.walks += 1
            return super().__iter__()

    original = planfile._Checker.__init__

    def init(self):
        original(self)
        self.issues = Issues()

    monkeypatch.setattr(planfile._Checker, "__init__", init)
    projects = [{"code": f"P{n}", "title": "t", "status": "bad", "progress": 500} for n in range(300)]
    doc = document()
    doc["goals"][0]["projects"] = projects
    assert len(issues_of(json.dumps(doc).encode(), "p.json")) == 600
    assert Issues.walks <= 2


def test_references_to_one_project_are_checked_in_linear_time():
    # Each {ref: X} looked through every element already linked to X (a list): 40,000 references
    # to one project took 32 s. Counted, not timed: comparisons of element codes are counted.
    class Code(str):
        compared = 0

        def __str__(self):
            return self

        def __eq__(self, other):
            Code.compared += 1
            return str.__eq__(self, other)

        __hash__ = str.__hash__

    def comparisons(n: int) -> int:
        goals = [{"code": Code("P"), "title": "p", "projects": [{"code": "X", "title": "x"}]}]
        goals += [{"code": Code(f"g{i}"), "title": "t", "projects": [{"ref": "X"}]} for i in range(n)]
        doc = document()
        doc["goals"] = goals
        Code.compared = 0
        checked, issues = planfile.check(doc)
        assert not issues and len(checked.links) == n
        return Code.compared

    small, large = comparisons(200), comparisons(400)
    assert large <= 2 * small + 10, (small, large)
