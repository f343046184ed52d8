"""Import and export of plan files (docs/plan-format.md) through the services: all or nothing.

``planfile_import`` checks the whole document first (``planfiles.planfile``, pure), then compares it
with the database (plan address name, project codes and address names, links to other plans),
and only then writes it in one transaction with the same services staff use. Any error a service
still raises is reported at the file path it came from and rolls everything back.
"""

import dataclasses
import uuid
from dataclasses import dataclass, field
from pathlib import PurePath

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.core.models import Municipality
from civitas.core.text import slug_from
from civitas.indicators import bulk as indicator_bulk
from civitas.indicators import services as indicator_services
from civitas.indicators.models import COUNTED_STATES, Indicator, Measurement
from civitas.plans import policy as plan_policy
from civitas.plans import services as plan_services
from civitas.plans.models import ElementAssessment, Plan, PlanElement
from civitas.projects import rules as project_rules
from civitas.projects import services as project_services
from civitas.projects.models import Activity, FundingLine, Project, ProjectContribution, ProjectPartner

from . import planfile, policy
from .planfile import Issue


class PlanImportError(Exception):
    def __init__(self, issues: list[Issue]):
        super().__init__("\n".join(str(issue) for issue in issues))
        self.issues = issues


@dataclass
class ImportResult:
    plan: Plan
    elements: int
    projects_created: int
    projects_updated: int
    indicators: int = 0
    values: int = 0
    # Links to plans that do not exist (yet), left out with ``skip_missing_plans``: "path: plan/CODE".
    skipped_links: list[str] = field(default_factory=list)
    # Projects of a replaced plan that the new file no longer lists and that contribute to no
    # element any more: kept (with their budgets and history), not deleted. Their codes.
    unlinked_projects: list[str] = field(default_factory=list)
    dry_run: bool = False


class _Rollback(Exception):
    pass


def _service_issues(error: ValidationError, kind: str, path: str) -> list[Issue]:
    """A service's ValidationError as issues at the file's paths."""
    if hasattr(error, "error_dict"):
        return [
            Issue(planfile.field_path(kind, path, name), str(message))
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [Issue(path, str(message)) for message in error.messages]


def planfile_import(
    *,
    actor,
    municipality: Municipality,
    data: bytes,
    name: str = "",
    replace: bool = False,
    dry_run: bool = False,
    skip_missing_plans: bool = False,
    verifier=None,
    inspect=None,
) -> ImportResult:
    """Import a plan file. Raises PlanImportError listing every problem, having written nothing.

    ``replace``: replace the municipality's plan with the same address name, and update the
    projects of the file that already exist (matched by code). ``dry_run``: check and write
    everything, then roll it back. ``skip_missing_plans``: leave out links to plans the
    municipality does not have (yet) instead of refusing the file; see docs/plan-format.md.
    ``verifier``: the person recorded as having published the file's values and decided its status
    overrides (a verifier or administrator here); a file with values is refused without one.
    ``inspect(result)``: called inside the transaction once everything is written (before a dry
    run's rollback), e.g. to compare the new plan with the old one.
    """
    policy.require_import_plan(actor, municipality, replace=replace)
    if verifier is not None:
        policy.require_publish_values(verifier, municipality)
    checked, issues = planfile.load(data, name)
    if checked is None:
        raise PlanImportError(issues)
    issues, skipped = _check_against_database(municipality, checked, replace, skip_missing_plans)
    if checked.values_path and getattr(verifier, "pk", None) is None:
        issues.append(Issue(checked.values_path, _(
            "published values and status overrides are recorded as published by a named verifier: import the "
            "file as a verifier (the command: --verifier USERNAME)")))  # fmt: skip
    if issues:
        raise PlanImportError(issues)
    try:
        with transaction.atomic():
            result = _write(actor, municipality, checked, skipped, verifier=verifier, data=data, name=name)
            if inspect is not None:
                inspect(result)
            if dry_run:
                result.dry_run = True
                raise _Rollback
    except _Rollback:
        pass
    except IntegrityError as exc:  # e.g. another import of the same plan at the same moment
        raise PlanImportError(
            [Issue("", _("The database refused the plan: %(error)s") % {"error": exc})]
        ) from None
    result.skipped_links = [
        f"{path}: {slug}/{code}" for _c, slug, code, path in checked.other_links if path in skipped
    ]
    return result


def _check_against_database(
    municipality, checked, replace, skip_missing_plans
) -> tuple[list[Issue], set[str]]:
    """What the file asks that the database does not allow. Returns (issues, paths of links to skip).

    A project of the file whose code exists in the municipality is refused without ``replace``.
    With ``replace`` it is updated, unless it also contributes to elements of *other* plans that
    the file does not list in its ``also_contributes_to``: then it belongs to another plan too,
    and updating it from this file would change that plan behind its back, so it is refused.
    """
    issues: list[Issue] = []
    slug = checked.plan["slug"]
    if not replace and Plan.objects.filter(municipality=municipality, slug=slug).exists():
        issues.append(Issue("plan.slug", _("the municipality already has a plan “%(slug)s”; import with --replace "
                                           "to replace it") % {"slug": slug}))  # fmt: skip

    codes = [p["code"] for p in checked.projects]
    existing = {p.code: p for p in Project.objects.filter(municipality=municipality, code__in=codes)}
    links: dict[int, set[str]] = {}
    for project_id, plan_slug, code in ProjectContribution.objects.filter(
        project__in=existing.values()
    ).values_list("project_id", "element__plan__slug", "element__code"):
        if plan_slug != slug:
            links.setdefault(project_id, set()).add(f"{plan_slug}/{code}")
    declared: dict[str, set[str]] = {}
    for code, plan_slug, element_code, _path in checked.other_links:
        declared.setdefault(code, set()).add(f"{plan_slug}/{element_code}")
    wanted_slugs = {}
    for project in checked.projects:
        found = existing.get(project["code"])
        where = planfile.join(project["path"], "code")
        if found is None:
            wanted_slugs[project["slug"] or project_rules.default_slug(project["code"])] = project
        elif not replace:
            issues.append(Issue(where, _("the municipality already has a project “%(code)s”; import with --replace "
                                         "to update it") % {"code": project["code"]}))  # fmt: skip
        else:
            undeclared = sorted(links.get(found.pk, set()) - declared.get(project["code"], set()))
            if undeclared:
                issues.append(Issue(where, _(
                    "the project “%(code)s” already exists and also contributes to %(links)s, which this file "
                    "does not list in also_contributes_to: give the project another code, or list those links"
                ) % {"code": project["code"], "links": ", ".join(undeclared)}))  # fmt: skip
            if project["slug"] and project["slug"] != found.slug:
                wanted_slugs[project["slug"]] = project
    codes_in_file = set(codes)
    for taken_slug, taken_code in Project.objects.filter(
        municipality=municipality, slug__in=list(wanted_slugs)
    ).values_list("slug", "code"):
        project = wanted_slugs[taken_slug]
        if taken_code != project["code"] and taken_code not in codes_in_file:
            where = planfile.join(project["path"], "slug" if project["slug"] else "code")
            issues.append(Issue(where, _("the address name “%(slug)s” is taken by the project “%(other)s” of the "
                                         "municipality; give the project another slug")
                                % {"slug": taken_slug, "other": taken_code}))  # fmt: skip

    issues += _check_indicators_against_database(municipality, checked)

    targets = {(s, c) for _p, s, c, _w in checked.other_links}
    plans = set(
        Plan.objects.filter(municipality=municipality, slug__in={s for s, _c in targets}).values_list(
            "slug", flat=True
        )
    )
    found_elements = set(
        PlanElement.objects.filter(plan__municipality=municipality, plan__slug__in=plans).values_list(
            "plan__slug", "code"
        )
    )
    skipped: set[str] = set()
    for _code, plan_slug, element_code, path in checked.other_links:
        if plan_slug not in plans:
            if skip_missing_plans:
                skipped.add(path)
            else:
                issues.append(Issue(path, _("the municipality has no plan “%(slug)s” (import it first, or import "
                                            "with --skip-missing-plans)") % {"slug": plan_slug}))  # fmt: skip
        elif (plan_slug, element_code) not in found_elements:
            issues.append(Issue(path, _("the plan “%(slug)s” has no element “%(code)s”")
                                % {"code": element_code, "slug": plan_slug}))  # fmt: skip
    return issues, skipped


def _check_indicators_against_database(municipality, checked) -> list[Issue]:
    """Indicator codes are the municipality's (a file never replaces an indicator: its values would
    go with it); owners are existing people; other plans' elements an indicator serves exist."""
    issues = []
    codes = {i["passport"].code: i for i in checked.indicators}
    for code in Indicator.objects.filter(municipality=municipality, code__in=list(codes)).values_list(
        "code", flat=True
    ):
        issues.append(Issue(planfile.join(codes[code]["path"], "code"), _(
            "the municipality already has an indicator “%(code)s”; a plan file does not replace indicators (their "
            "values would go with them): give it another code") % {"code": code}))  # fmt: skip
    owners = {i["owner"] for i in checked.indicators if i["owner"]}
    users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=owners)}
    for indicator in checked.indicators:
        if indicator["owner"] and indicator["owner"] not in users:
            issues.append(Issue(planfile.join(indicator["path"], "owner"),
                                _("no user “%(name)s”") % {"name": indicator["owner"]}))  # fmt: skip
        elif indicator["owner"]:
            indicator["passport"] = dataclasses.replace(
                indicator["passport"], owner=users[indicator["owner"]]
            )
    wanted = {(slug, code) for i in checked.indicators for slug, code, _w in i["also"] if slug}
    found = set()
    if wanted:
        query = Q()
        for slug, code in wanted:
            query |= Q(plan__slug=slug, code=code)
        found = set(
            PlanElement.objects.filter(query, plan__municipality=municipality).values_list(
                "plan__slug", "code"
            )
        )
    for indicator in checked.indicators:
        for slug, code, where in indicator["also"]:
            if slug and (slug, code) not in found:
                issues.append(Issue(where, _("the plan “%(slug)s” has no element “%(code)s”")
                                    % {"code": code, "slug": slug}))  # fmt: skip
    return issues


def _call(item_kind: str, path: str, service, /, **kwargs):
    """Call a service; its ValidationError becomes a PlanImportError at the item's file path."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        raise PlanImportError(_service_issues(error, item_kind, path)) from None


def _write_elements(actor, plan: Plan, elements: list[dict]) -> dict[str, PlanElement]:
    """The whole goal tree in one bulk service call; a refused element is reported at its path."""
    new = [
        plan_services.NewElement(
            **{k: element[k] for k in plan_services.ELEMENT_FIELDS}, parent_code=element["parent_code"]
        )
        for element in elements
    ]
    try:
        return plan_services.element_create_tree(actor=actor, plan=plan, elements=new)
    except plan_services.ElementsRefused as refused:
        raise PlanImportError(
            [
                issue
                for index, errors in sorted(refused.by_index.items())
                for issue in _service_issues(ValidationError(errors), "element", elements[index]["path"])
            ]
        ) from None


def _write_financial_table(actor, plan: Plan, lines: list[dict], by_code: dict[str, PlanElement]) -> None:
    """The plan's indicative financial table, through the plans' service for a whole table."""
    rows = [
        {"element": by_code[line["element_code"]] if line["element_code"] else None, "source": line["source"],
         "year": line["year"], "amount": line["amount"], "currency": line["currency"]}
        for line in lines
    ]  # fmt: skip
    _call("plan", "financial", plan_services.financial_table_fill, actor=actor, plan=plan, lines=rows)


def _evidence_name(data: bytes, name: str) -> str:
    """Where the file is kept as the evidence of the values it brings: a unique name under
    evidence/, written once the import commits (a refused or dry-run import leaves no file)."""
    stem = slug_from(PurePath(name or "plan").stem, max_length=60) or "plan"
    suffix = (
        PurePath(name).suffix.lower() if PurePath(name).suffix.lower() in (".yaml", ".yml", ".json") else ""
    )
    stored = f"evidence/{timezone.now():%Y}/{stem}-{uuid.uuid4().hex[:12]}{suffix or '.yaml'}"
    transaction.on_commit(lambda: default_storage.save(stored, ContentFile(data)))
    return stored


def _write_indicators(actor, verifier, municipality, checked, by_code, projects, data: bytes, name: str):
    """The file's indicators with their targets, links, values and overrides. Returns (indicators,
    values) written."""
    other = {}
    wanted = {(slug, code) for i in checked.indicators for slug, code, _w in i["also"] if slug}
    if wanted:
        for pk, slug, code in PlanElement.objects.filter(
            plan__municipality=municipality, plan__slug__in={s for s, _c in wanted}
        ).values_list("pk", "plan__slug", "code"):
            other[(slug, code)] = pk
    evidence = _evidence_name(data, name) if checked.values_path else ""
    values = 0
    for item in checked.indicators:
        path = item["path"]
        attached = (
            {"element": by_code[item["element_code"]]}
            if "element_code" in item
            else {"project": projects[item["project_code"]]}
        )
        indicator = _call("indicator", path, indicator_services.indicator_create, actor=actor,
                          municipality=municipality, passport=item["passport"],
                          targets=[{k: t[k] for k in ("year", "sub", "value", "is_final")} for t in item["targets"]],
                          **attached)  # fmt: skip
        also = [other[(slug, code)] if slug else by_code[code].pk for slug, code, _w in item["also"]]
        if item["year_to_date"] or also:
            _call("indicator", path, indicator_bulk.indicator_links_set, actor=actor, indicator=indicator,
                  year_to_date=item["year_to_date"], also_element_ids=also)  # fmt: skip
        for value in item["values"]:
            fields = {k: v for k, v in value.items() if k != "path"}
            _call("value", value["path"], indicator_bulk.measurement_record_published, actor=verifier,
                  indicator=indicator, evidence_name=evidence, source=PurePath(name).name or "plan file",
                  **fields)  # fmt: skip
            values += 1
        for override in item["overrides"]:
            fields = {k: v for k, v in override.items() if k != "path"}
            _call("override", override["path"], indicator_services.override_set, actor=verifier,
                  indicator=indicator, expected_version=0, **fields)  # fmt: skip
    return len(checked.indicators), values


def _write(
    actor, municipality, checked, skipped: set[str], *, verifier=None, data=b"", name=""
) -> ImportResult:
    plan_fields = {k: v for k, v in checked.plan.items()}
    old = Plan.objects.filter(municipality=municipality, slug=plan_fields["slug"]).first()
    previously: set[int] = set()
    if old is not None:
        # A plan in force is replaced only through a new draft version (and then the file's plan has
        # none: its versions go with the plan it replaces, recorded in the audit log).
        _call("plan", "plan", plan_policy.require_unfrozen, plan_id=old.pk)
        previously = set(
            ProjectContribution.objects.filter(element__plan=old).values_list("project_id", flat=True)
        )
        _call("plan", "plan", plan_services.plan_delete, actor=actor, plan=old)
    plan = _call(
        "plan", "plan", plan_services.plan_create, actor=actor, municipality=municipality, **plan_fields
    )

    by_code = _write_elements(actor, plan, checked.elements)
    _write_financial_table(actor, plan, checked.financial, by_code)
    for item in checked.assessments:
        fields = {k: v for k, v in item.items() if k not in {"element_code", "path"}}
        _call("assessment", item["path"], plan_services.assessment_save, actor=actor,
              element=by_code[item["element_code"]], expected_version=None, **fields)  # fmt: skip

    other_elements = {
        (slug, code): pk
        for pk, slug, code in PlanElement.objects.filter(
            plan__municipality=municipality, plan__slug__in={s for _p, s, _c, _w in checked.other_links}
        ).values_list("pk", "plan__slug", "code")
    }
    existing = {
        p.code: p
        for p in Project.objects.filter(
            municipality=municipality, code__in=[p["code"] for p in checked.projects]
        )
    }
    created = updated = 0
    written: dict[str, Project] = {}
    for project in checked.projects:
        path = project["path"]
        element_ids = [by_code[code].pk for code in project["element_codes"]]
        element_ids += [
            other_elements[(slug, element_code)]
            for code, slug, element_code, where in checked.other_links
            if code == project["code"] and where not in skipped
        ]
        fields = {
            k: v for k, v in project.items()
            if k not in ("partners", "budget", "activities", "element_codes", "path")
        }  # fmt: skip
        if not fields["slug"]:
            fields.pop("slug")
        target = existing.get(project["code"])
        if target is None:
            target = _call("project", path, project_services.project_create, actor=actor,
                           municipality=municipality, element_ids=element_ids, **fields)  # fmt: skip
            created += 1
        else:
            fields.pop("code")
            target = _call("project", path, project_services.project_update, actor=actor, project=target,
                           expected_version=target.version, element_ids=element_ids, **fields)  # fmt: skip
            for partner in list(target.partners.all()):
                project_services.partner_delete(actor=actor, partner=partner)
            for line in list(target.funding_lines.all()):
                project_services.funding_line_delete(actor=actor, line=line)
            for activity in list(target.activities.all()):
                project_services.activity_delete(actor=actor, activity=activity)
            updated += 1
        for i, partner in enumerate(project["partners"]):
            _call("partner", f"{path}.partners[{i}]", project_services.partner_add,
                  actor=actor, project=target, **partner)  # fmt: skip
        for i, line in enumerate(project["budget"]):
            _call("budget", f"{path}.budget[{i}]", project_services.funding_line_add,
                  actor=actor, project=target, **line)  # fmt: skip
        for i, activity in enumerate(project["activities"]):
            _call("activity", f"{path}.activities[{i}]", project_services.activity_add,
                  actor=actor, project=target, **activity)  # fmt: skip
        written[project["code"]] = target

    indicators, values = _write_indicators(
        actor, verifier, municipality, checked, by_code, written, data, name
    )

    unlinked = []
    if previously:
        unlinked = sorted(
            Project.objects.filter(pk__in=previously, contributions__isnull=True).values_list(
                "code", flat=True
            )
        )
    return ImportResult(
        plan=plan,
        elements=len(by_code),
        projects_created=created,
        projects_updated=updated,
        indicators=indicators,
        values=values,
        unlinked_projects=unlinked,
    )


def planfile_document(plan: Plan) -> dict:
    """The plan as a plan document (see planfile.build): a fixed number of queries, whatever the plan's size.

    Projects under an element are listed in order of their codes: a contribution's position is
    the order of a *project's* elements, not of an element's projects, and the code order is what
    a file can carry back unchanged.
    """
    elements = list(plan.elements.all())
    children: dict = {}
    for element in sorted(elements, key=lambda e: (e.position, e.pk)):
        children.setdefault(element.parent_id, []).append(element)

    def tree(parent_id):
        return [(element, tree(element.pk)) for element in children.get(parent_id, [])]

    contributions = (
        ProjectContribution.objects.filter(element__plan=plan)
        .select_related("project")
        .prefetch_related(
            Prefetch("project__partners", queryset=ProjectPartner.objects.order_by("position", "pk")),
            Prefetch("project__funding_lines", queryset=FundingLine.objects.order_by("position", "pk")),
            Prefetch("project__activities", queryset=Activity.objects.order_by("position", "pk")),
        )
        .order_by("project__code", "project_id")
    )
    projects_by_element: dict = {}
    project_ids = set()
    for contribution in contributions:
        projects_by_element.setdefault(contribution.element_id, []).append(contribution.project)
        project_ids.add(contribution.project_id)
    other_links: dict = {}
    for project_id, slug, code in (
        ProjectContribution.objects.filter(project_id__in=project_ids)
        .exclude(element__plan=plan)
        .order_by("position", "pk")
        .values_list("project_id", "element__plan__slug", "element__code")
    ):
        other_links.setdefault(project_id, []).append(f"{slug}/{code}")
    indicators = (
        Indicator.objects.filter(Q(element__plan=plan) | Q(project_id__in=project_ids))
        .select_related("owner")
        .prefetch_related(
            "targets",
            "overrides",
            Prefetch("also_elements", queryset=PlanElement.objects.select_related("plan")),
            Prefetch(
                "measurements",
                queryset=Measurement.objects.filter(state__in=COUNTED_STATES).order_by("year", "sub"),
                to_attr="published",
            ),
        )
        .order_by("position", "code", "pk")
    )
    indicators_by_element: dict = {}
    indicators_by_project: dict = {}
    for indicator in indicators:
        if indicator.element_id is not None:
            indicators_by_element.setdefault(indicator.element_id, []).append(indicator)
        else:
            indicators_by_project.setdefault(indicator.project_id, []).append(indicator)
    financial = plan.financial_lines.select_related("element").order_by("position", "pk")
    assessments = ElementAssessment.objects.filter(element__plan=plan).select_related("element")
    return planfile.build(
        plan,
        tree(None),
        projects_by_element,
        other_links,
        indicators_by_element,
        indicators_by_project,
        financial,
        assessments.order_by("element__position", "element__pk", "year"),
    )


def planfile_export(plan: Plan, fmt: str = "yaml") -> str:
    """The plan as the text of a plan file, YAML or JSON."""
    return planfile.dump(planfile_document(plan), fmt)
