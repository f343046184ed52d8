"""Plan files: a whole plan (its goal tree, the projects under each element, their partners,
budgets and activities) as YAML or JSON, in the versioned format ``civitas-plan/1``.

This module is pure: it parses and validates a document and reports every error with its path
(e.g. ``goals[2].projects[0].budget[1].amount``); it never touches the database. The importer
(``plans.imports``) writes a valid document through the services, all or nothing.
The format is documented in docs/plan-format.md.
"""

import datetime
import json
from dataclasses import dataclass, field

import yaml
from django.utils.translation import gettext as _

from civitas.projects import rules as project_rules
from civitas.projects.models import ActivityState, FundingSource, ProjectStatus

from . import rules as plan_rules
from .models import PlanKind, PlanStatus

FORMAT = "civitas-plan/1"
MAX_BYTES = 5 * 1024 * 1024


class PlanFileError(Exception):
    """The file cannot be read as a plan document at all (not YAML/JSON, too large...)."""


@dataclass
class Issue:
    path: str
    message: str

    def __str__(self):
        return f"{self.path}: {self.message}" if self.path else self.message


@dataclass
class Checked:
    """A validated document, flattened for the importer."""

    plan: dict
    elements: list[dict] = field(default_factory=list)  # in tree order, with "parent_code"
    projects: list[dict] = field(default_factory=list)  # full definitions, with "element_codes"
    links: list[tuple[str, str]] = field(default_factory=list)  # (project code, element code) for refs
    other_links: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # (code, plan slug, element code, path)


def parse(data: bytes, name: str = "") -> object:
    """Bytes of a YAML or JSON file → Python data; PlanFileError with a clear message otherwise."""
    if len(data) > MAX_BYTES:
        raise PlanFileError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PlanFileError(_("The file is not UTF-8 text: it is not a YAML or JSON plan file.")) from None
    if name.lower().endswith(".json") or text.lstrip().startswith(("{", "[")):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise PlanFileError(
                _("The file is not valid JSON (line %(line)s): %(msg)s")
                % {"line": exc.lineno, "msg": exc.msg}
            ) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else "?"
        raise PlanFileError(_("The file is not valid YAML (line %(line)s).") % {"line": line}) from None


class _Checker:
    def __init__(self):
        self.issues: list[Issue] = []

    def add(self, path: str, message: str) -> None:
        self.issues.append(Issue(path, message))

    def mapping(self, value, path) -> dict:
        if not isinstance(value, dict):
            self.add(path, _("expected a mapping of fields"))
            return {}
        return value

    def listing(self, value, path) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(path, _("expected a list"))
            return []
        return value

    def text(self, obj, key, path, *, required=False) -> str:
        value = obj.get(key)
        if value is None or value == "":
            if required:
                self.add(f"{path}.{key}", _("required"))
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.add(f"{path}.{key}", _("expected text"))
            return ""
        return str(value)

    def bilingual(self, obj, key, path, *, required=False) -> tuple[str, str]:
        value = obj.get(key)
        if value is None:
            if required:
                self.add(f"{path}.{key}", _("required"))
            return "", ""
        if isinstance(value, str):
            value = {"bg": value}
        if not isinstance(value, dict):
            self.add(f"{path}.{key}", _("expected {bg: …, en: …}"))
            return "", ""
        bg = self.text(value, "bg", f"{path}.{key}", required=required)
        en = self.text(value, "en", f"{path}.{key}")
        return bg, en

    def integer(self, obj, key, path, *, required=False, default=None):
        value = obj.get(key, default)
        if value is None:
            if required:
                self.add(f"{path}.{key}", _("required"))
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(f"{path}.{key}", _("not a whole number"))
            return None
        return value

    def number(self, obj, key, path, *, required=False):
        value = obj.get(key)
        if value is None or value == "":
            if required:
                self.add(f"{path}.{key}", _("required"))
            return None
        if isinstance(value, bool):
            self.add(f"{path}.{key}", _("not a number"))
            return None
        result = project_rules.to_decimal(value)
        if result is None:
            self.add(f"{path}.{key}", _("not a number"))
        return result

    def date(self, obj, key, path):
        value = obj.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            self.add(f"{path}.{key}", _("not a date (expected YYYY-MM-DD)"))
            return None

    def choice(self, obj, key, path, choices, *, default=None, what=""):
        value = obj.get(key, default)
        if value is None:
            self.add(f"{path}.{key}", _("required"))
            return None
        if value not in choices:
            self.add(
                f"{path}.{key}",
                _("unknown %(what)s “%(value)s”; expected one of: %(allowed)s")
                % {"what": what or key, "value": value, "allowed": ", ".join(choices)},
            )
            return None
        return value

    def boolean(self, obj, key, path, default=False) -> bool:
        value = obj.get(key, default)
        if not isinstance(value, bool):
            self.add(f"{path}.{key}", _("expected true or false"))
            return default
        return value

    def rule_errors(self, errors: dict, path: str, fields: dict) -> None:
        """Report a rules module's {field: [messages]} under the file's own key names."""
        reported = {issue.path for issue in self.issues}
        for name, messages in errors.items():
            where = f"{path}.{fields.get(name, name)}"
            if where in reported:  # already said, e.g. "required"
                continue
            for message in messages:
                self.add(where, str(message))


PROJECT_FIELD_PATHS = {
    "planned_end": "planned.end", "actual_end": "actual.end", "title_bg": "title.bg", "location": "location.geometry",
}  # fmt: skip


def check(document) -> tuple[Checked | None, list[Issue]]:
    """Validate a parsed plan document. Returns the flattened content and every issue found."""
    c = _Checker()
    doc = c.mapping(document, "")
    if not doc:
        return None, c.issues or [Issue("", _("The file is empty."))]
    if doc.get("format") != FORMAT:
        c.add("format", _("expected “%(format)s”") % {"format": FORMAT})
    plan_data = c.mapping(doc.get("plan"), "plan")
    plan = _check_plan(c, plan_data)
    checked = Checked(plan=plan)
    levels = len(plan.get("level_names") or []) or 1
    element_codes: set[str] = set()
    project_codes: dict[str, str] = {}
    refs: list[tuple[str, str, str]] = []

    def walk(items, path, parent_code, depth):
        for i, raw in enumerate(c.listing(items, path)):
            here = f"{path}[{i}]"
            item = c.mapping(raw, here)
            if not item:
                continue
            code = c.text(item, "code", here, required=True)
            title_bg, title_en = c.bilingual(item, "title", here, required=True)
            description_bg, description_en = c.bilingual(item, "description", here)
            if code in element_codes:
                c.add(f"{here}.code", _("the code “%(code)s” is used twice in this plan") % {"code": code})
            element_codes.add(code)
            if depth >= levels:
                c.add(
                    here,
                    _("the plan has only %(levels)s levels: this element is too deep") % {"levels": levels},
                )
            checked.elements.append({
                "code": code, "parent_code": parent_code, "title_bg": title_bg, "title_en": title_en,
                "description_bg": description_bg, "description_en": description_en,
            })  # fmt: skip
            for j, raw_project in enumerate(c.listing(item.get("projects"), f"{here}.projects")):
                ppath = f"{here}.projects[{j}]"
                pdata = c.mapping(raw_project, ppath)
                if not pdata:
                    continue
                if "ref" in pdata:
                    refs.append((str(pdata["ref"]), code, ppath))
                    continue
                project = _check_project(c, pdata, ppath)
                if project is None:
                    continue
                if project["code"] in project_codes:
                    c.add(f"{ppath}.code", _("the project “%(code)s” is defined twice; use {ref: %(code)s} for the second place")
                          % {"code": project["code"]})  # fmt: skip
                    continue
                project_codes[project["code"]] = ppath
                project["element_codes"] = [code]
                checked.projects.append(project)
            walk(item.get("children"), f"{here}.children", code, depth + 1)

    walk(doc.get("goals"), "goals", None, 0)
    by_code = {p["code"]: p for p in checked.projects}
    for ref, element_code, path in refs:
        if ref not in by_code:
            c.add(f"{path}.ref", _("no project “%(code)s” is defined earlier in this file") % {"code": ref})
        else:
            by_code[ref]["element_codes"].append(element_code)
            checked.links.append((ref, element_code))
    for project in checked.projects:
        for k, target in enumerate(project.pop("also", [])):
            path = f"{project_codes[project['code']]}.also_contributes_to[{k}]"
            slug, sep, element = str(target).partition("/")
            if not sep or not slug or not element:
                c.add(path, _("expected “plan-address-name/ELEMENT-CODE”"))
            else:
                checked.other_links.append((project["code"], slug, element, path))
    return (checked if not c.issues else None), c.issues


def _check_plan(c: _Checker, data: dict) -> dict:
    title_bg, title_en = c.bilingual(data, "title", "plan", required=True)
    vision_bg, vision_en = c.bilingual(data, "vision", "plan")
    description_bg, description_en = c.bilingual(data, "description", "plan")
    period = c.mapping(data.get("period", {}), "plan.period")
    plan = {
        "slug": c.text(data, "slug", "plan", required=True),
        "kind": c.choice(data, "kind", "plan", PlanKind.values, what=_("kind of plan")),
        "status": c.choice(data, "status", "plan", PlanStatus.values, default="draft", what=_("status")),
        "title_bg": title_bg, "title_en": title_en, "vision_bg": vision_bg, "vision_en": vision_en,
        "description_bg": description_bg, "description_en": description_en,
        "period_start": c.integer(period, "start", "plan.period", required=True),
        "period_end": c.integer(period, "end", "plan.period", required=True),
        "adopted_by": c.text(data, "adopted_by", "plan"),
        "is_sample": c.boolean(data, "is_sample", "plan"),
    }  # fmt: skip
    levels = []
    for i, raw in enumerate(c.listing(data.get("levels"), "plan.levels")):
        level = c.mapping(raw, f"plan.levels[{i}]")
        levels.append(
            {"bg": c.text(level, "bg", f"plan.levels[{i}]", required=True), "en": c.text(level, "en", "")}
        )
    plan["level_names"] = levels or [{"bg": "Стратегическа цел", "en": "Strategic goal"}]
    if plan["period_start"] is not None and plan["period_end"] is not None:
        # An unknown kind or status is reported above; check the rest with stand-ins for them.
        stand_in = {
            **plan,
            "kind": plan["kind"] or PlanKind.PROGRAMME,
            "status": plan["status"] or PlanStatus.DRAFT,
        }
        paths = {"period_end": "period.end", "period_start": "period.start", "title_bg": "title.bg",
                 "level_names": "levels"}  # fmt: skip
        c.rule_errors(plan_rules.check_plan(stand_in), "plan", paths)
    return plan


def _check_project(c: _Checker, data: dict, path: str) -> dict | None:
    title_bg, title_en = c.bilingual(data, "title", path, required=True)
    description_bg, description_en = c.bilingual(data, "description", path)
    planned = c.mapping(data.get("planned", {}), f"{path}.planned")
    actual = c.mapping(data.get("actual", {}), f"{path}.actual")
    responsible = c.mapping(data.get("responsible", {}), f"{path}.responsible")
    unit_bg, unit_en = c.bilingual(responsible, "unit", f"{path}.responsible")
    location = c.mapping(data.get("location", {}), f"{path}.location")
    place_bg, place_en = c.bilingual(location, "name", f"{path}.location")
    project = {
        "code": c.text(data, "code", path, required=True),
        "slug": c.text(data, "slug", path),
        "title_bg": title_bg, "title_en": title_en, "description_bg": description_bg, "description_en": description_en,
        "status": c.choice(data, "status", path, ProjectStatus.values, default="idea", what=_("project status")),
        "progress": c.integer(data, "progress", path, default=0),
        "planned_start": c.date(planned, "start", f"{path}.planned"),
        "planned_end": c.date(planned, "end", f"{path}.planned"),
        "actual_start": c.date(actual, "start", f"{path}.actual"),
        "actual_end": c.date(actual, "end", f"{path}.actual"),
        "responsible_unit_bg": unit_bg, "responsible_unit_en": unit_en,
        "responsible_person": c.text(responsible, "person", f"{path}.responsible"),
        "location": location.get("geometry"), "location_name_bg": place_bg, "location_name_en": place_en,
        "is_sample": c.boolean(data, "is_sample", path),
    }  # fmt: skip
    stand_in = {
        **project,
        "progress": project["progress"] or 0,
        "status": project["status"] or ProjectStatus.IDEA,
    }
    c.rule_errors(project_rules.check_project(stand_in), path, PROJECT_FIELD_PATHS)
    partners = []
    for i, raw in enumerate(c.listing(data.get("partners"), f"{path}.partners")):
        here = f"{path}.partners[{i}]"
        item = c.mapping(raw, here)
        name_bg, name_en = c.bilingual(item, "name", here, required=True)
        role_bg, role_en = c.bilingual(item, "role", here)
        partners.append({"name_bg": name_bg, "name_en": name_en, "role_bg": role_bg, "role_en": role_en})
    budget = []
    for i, raw in enumerate(c.listing(data.get("budget"), f"{path}.budget")):
        here = f"{path}.budget[{i}]"
        item = c.mapping(raw, here)
        programme_bg, programme_en = c.bilingual(item, "programme", here)
        contract = c.mapping(item.get("contract", {}), f"{here}.contract")
        source = c.choice(item, "source", here, FundingSource.values, what=_("funding source"))
        line = {
            "source": source, "programme_bg": programme_bg, "programme_en": programme_en,
            "amount": c.number(item, "amount", here, required=True), "spent": c.number(item, "spent", here) or 0,
            "grant_share": c.number(item, "grant_share", here),
            "contract_number": c.text(contract, "number", f"{here}.contract"),
            "contract_date": c.date(contract, "date", f"{here}.contract"),
        }  # fmt: skip
        if line["amount"] is not None:
            stand_in = {
                **line,
                "source": source or FundingSource.OTHER,
            }  # an unknown source is reported above
            c.rule_errors(project_rules.check_funding(stand_in), here, {"programme_bg": "programme.bg"})
        budget.append(line)
    activities = []
    for i, raw in enumerate(c.listing(data.get("activities"), f"{path}.activities")):
        here = f"{path}.activities[{i}]"
        item = c.mapping(raw, here)
        a_title_bg, a_title_en = c.bilingual(item, "title", here, required=True)
        a_description_bg, a_description_en = c.bilingual(item, "description", here)
        activity = {
            "title_bg": a_title_bg, "title_en": a_title_en, "description_bg": a_description_bg,
            "description_en": a_description_en, "is_milestone": c.boolean(item, "milestone", here),
            "start_date": c.date(item, "start", here), "due_date": c.date(item, "due", here),
            "completed_on": c.date(item, "completed", here),
            "state": c.choice(item, "state", here, ActivityState.values, default="planned", what=_("activity state")),
        }  # fmt: skip
        if activity["state"]:
            c.rule_errors(
                project_rules.check_activity(activity, today=datetime.date.today()), here,
                {"due_date": "due", "completed_on": "completed", "title_bg": "title.bg"},
            )  # fmt: skip
        activities.append(activity)
    also = c.listing(data.get("also_contributes_to"), f"{path}.also_contributes_to")
    project.update(partners=partners, budget=budget, activities=activities, also=also)
    return project if project["code"] else None


# Export ---------------------------------------------------------------------------------------


def _bi(bg: str, en: str) -> dict:
    return {"bg": bg, "en": en} if en else {"bg": bg}


def _num(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral() else float(value)


def _drop_empty(data: dict) -> dict:
    return {k: v for k, v in data.items() if v not in (None, "", [], {}, {"bg": ""})}


def build(plan, elements, projects_by_element, other_links) -> dict:
    """A plan document from loaded objects. ``elements`` in tree order as (element, children);
    ``projects_by_element``: element id → projects (with partners, funding lines and activities
    prefetched); ``other_links``: project id → ["plan-slug/CODE", ...] outside this plan."""
    seen: set[int] = set()

    def project_doc(project):
        if project.pk in seen:
            return {"ref": project.code}
        seen.add(project.pk)
        return _drop_empty({
            "code": project.code, "slug": project.slug, "title": _bi(project.title_bg, project.title_en),
            "description": _bi(project.description_bg, project.description_en), "status": project.status,
            "progress": project.progress,
            "planned": _drop_empty({"start": _iso(project.planned_start), "end": _iso(project.planned_end)}),
            "actual": _drop_empty({"start": _iso(project.actual_start), "end": _iso(project.actual_end)}),
            "responsible": _drop_empty({"unit": _bi(project.responsible_unit_bg, project.responsible_unit_en),
                                        "person": project.responsible_person}),
            "location": _drop_empty({"geometry": project.location,
                                     "name": _bi(project.location_name_bg, project.location_name_en)}),
            "is_sample": project.is_sample or None,
            "partners": [_drop_empty({"name": _bi(p.name_bg, p.name_en), "role": _bi(p.role_bg, p.role_en)})
                         for p in project.partners.all()],
            "budget": [_drop_empty({
                "source": line.source, "programme": _bi(line.programme_bg, line.programme_en),
                "amount": _num(line.amount), "spent": _num(line.spent) or None, "grant_share": _num(line.grant_share),
                "contract": _drop_empty({"number": line.contract_number, "date": _iso(line.contract_date)}),
            }) for line in project.funding_lines.all()],
            "activities": [_drop_empty({
                "title": _bi(a.title_bg, a.title_en), "description": _bi(a.description_bg, a.description_en),
                "milestone": a.is_milestone or None, "start": _iso(a.start_date), "due": _iso(a.due_date),
                "completed": _iso(a.completed_on), "state": a.state,
            }) for a in project.activities.all()],
            "also_contributes_to": other_links.get(project.pk, []),
        })  # fmt: skip

    def element_doc(element, children):
        return _drop_empty({
            "code": element.code, "title": _bi(element.title_bg, element.title_en),
            "description": _bi(element.description_bg, element.description_en),
            "projects": [project_doc(p) for p in projects_by_element.get(element.pk, [])],
            "children": [element_doc(child, grandchildren) for child, grandchildren in children],
        })  # fmt: skip

    return {
        "format": FORMAT,
        "plan": _drop_empty(
            {
                "slug": plan.slug,
                "kind": plan.kind,
                "status": plan.status,
                "title": _bi(plan.title_bg, plan.title_en),
                "period": {"start": plan.period_start, "end": plan.period_end},
                "vision": _bi(plan.vision_bg, plan.vision_en),
                "description": _bi(plan.description_bg, plan.description_en),
                "adopted_by": plan.adopted_by,
                "levels": plan.level_names,
                "is_sample": plan.is_sample or None,
            }
        ),  # fmt: skip
        "goals": [element_doc(element, children) for element, children in elements],
    }


def _iso(value):
    return value.isoformat() if value else None


def dump(document: dict, fmt: str = "yaml") -> str:
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
