"""Import and export of plan files through the services: all or nothing.

``planfile_import`` validates the whole document first (plans.planfile, pure) and then writes it
in one transaction with the same services staff use; any error a service raises is reported with
the file path it came from and rolls everything back.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from civitas.core.models import Municipality
from civitas.projects import services as project_services
from civitas.projects.models import Project, ProjectContribution

from . import planfile
from . import services as plan_services
from .models import Plan, PlanElement
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


class _Rollback(Exception):
    pass


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            f"{field}: {message}" for field, messages in error.message_dict.items() for message in messages
        ]
    return list(error.messages)


def planfile_import(
    *,
    actor,
    municipality: Municipality,
    data: bytes,
    name: str = "",
    replace: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Import a plan file. Raises PlanImportError listing every problem; writes nothing then."""
    try:
        document = planfile.parse(data, name)
    except planfile.PlanFileError as exc:
        raise PlanImportError([Issue("", str(exc))]) from None
    checked, issues = planfile.check(document)
    if issues:
        raise PlanImportError(issues)
    issues = _check_against_database(municipality, checked, replace)
    if issues:
        raise PlanImportError(issues)
    try:
        with transaction.atomic():
            result = _write(actor, municipality, checked)
            if dry_run:
                raise _Rollback
    except _Rollback:
        return result
    return result


def _check_against_database(municipality, checked, replace) -> list[Issue]:
    issues = []
    if not replace and Plan.objects.filter(municipality=municipality, slug=checked.plan["slug"]).exists():
        issues.append(Issue("plan.slug", _("the municipality already has a plan “%(slug)s”; import with --replace to "
                                          "replace it") % {"slug": checked.plan["slug"]}))  # fmt: skip
    codes = [p["code"] for p in checked.projects]
    existing = set(
        Project.objects.filter(municipality=municipality, code__in=codes).values_list("code", flat=True)
    )
    if existing and not replace:
        issues.append(Issue("goals", _("projects with these codes already exist in the municipality: %(codes)s; "
                                       "import with --replace to update them") % {"codes": ", ".join(sorted(existing))}))  # fmt: skip
    for _code, slug, element_code, path in checked.other_links:
        if slug == checked.plan["slug"]:
            issues.append(
                Issue(path, _("a link to this same plan: list the project under the element instead"))
            )
        elif not PlanElement.objects.filter(
            plan__municipality=municipality, plan__slug=slug, code=element_code
        ).exists():
            issues.append(Issue(path, _("no element “%(code)s” in a plan “%(slug)s” of this municipality")
                                % {"code": element_code, "slug": slug}))  # fmt: skip
    return issues


def _write(actor, municipality, checked) -> ImportResult:
    plan_fields = dict(checked.plan)
    old = Plan.objects.filter(municipality=municipality, slug=plan_fields["slug"]).first()
    if old is not None:
        plan_services.plan_delete(actor=actor, plan=old)
    status = plan_fields.pop("status")
    plan = plan_services.plan_create(actor=actor, municipality=municipality, status=status, **plan_fields)
    by_code: dict[str, PlanElement] = {}
    for element in checked.elements:
        fields = {k: element[k] for k in ("title_en", "description_bg", "description_en")}
        try:
            by_code[element["code"]] = plan_services.element_create(
                actor=actor, plan=plan, code=element["code"], title_bg=element["title_bg"],
                parent=by_code.get(element["parent_code"]), **fields,
            )  # fmt: skip
        except ValidationError as error:
            raise PlanImportError(
                [Issue(f"element {element['code']}", m) for m in _messages(error)]
            ) from None
    created = updated = 0
    for project in checked.projects:
        element_ids = [by_code[code].pk for code in project["element_codes"]]
        element_ids += [
            PlanElement.objects.get(plan__municipality=municipality, plan__slug=slug, code=element_code).pk
            for code, slug, element_code, _path in checked.other_links
            if code == project["code"]
        ]
        fields = {
            k: v for k, v in project.items() if k not in ("partners", "budget", "activities", "element_codes")
        }
        if not fields.get("slug"):
            fields.pop("slug", None)
        existing = Project.objects.filter(municipality=municipality, code=project["code"]).first()
        try:
            if existing is None:
                target = project_services.project_create(
                    actor=actor, municipality=municipality, element_ids=element_ids, **fields
                )
                created += 1
            else:
                keep = list(
                    existing.contributions.exclude(element__plan=plan).values_list("element_id", flat=True)
                )
                target = project_services.project_update(
                    actor=actor, project=existing, expected_version=existing.version,
                    element_ids=list(dict.fromkeys(keep + element_ids)), **fields,
                )  # fmt: skip
                for line in target.funding_lines.all():
                    project_services.funding_line_delete(actor=actor, line=line)
                for activity in target.activities.all():
                    project_services.activity_delete(actor=actor, activity=activity)
                for partner in target.partners.all():
                    project_services.partner_delete(actor=actor, partner=partner)
                updated += 1
            for partner in project["partners"]:
                project_services.partner_add(actor=actor, project=target, **partner)
            for line in project["budget"]:
                project_services.funding_line_add(actor=actor, project=target, **line)
            for activity in project["activities"]:
                project_services.activity_add(actor=actor, project=target, **activity)
        except ValidationError as error:
            raise PlanImportError(
                [Issue(f"project {project['code']}", m) for m in _messages(error)]
            ) from None
    return ImportResult(plan=plan, elements=len(by_code), projects_created=created, projects_updated=updated)


def planfile_export(plan: Plan, fmt: str = "yaml") -> str:
    """The plan as a plan file (YAML or JSON): a fixed number of queries."""
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
            Prefetch("project__partners"), Prefetch("project__funding_lines"), Prefetch("project__activities")
        )
        .order_by("position", "project__code", "pk")
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
    document = planfile.build(plan, tree(None), projects_by_element, other_links)
    return planfile.dump(document, fmt)
