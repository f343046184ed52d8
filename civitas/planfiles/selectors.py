"""Reads for the plan-file pages: an upload, and the preview of what importing it will change."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from civitas.plans import selectors as plan_selectors
from civitas.plans.models import IN_FORCE_KINDS, Plan, PlanVersion, VersionKind
from civitas.projects.models import Project

from . import planfile
from .imports import PlanImportError, planfile_document, planfile_import
from .models import PlanFileUpload
from .planfile import Issue
from .services import verifier_for

KINDS = {
    "plan": _("Plans"),
    "element": _("Elements"),
    "project": _("Projects"),
    "indicator": _("Indicators"),
    "value": _("Published values"),
}
CHANGES = {
    "created": _("created"),
    "changed": _("changed"),
    "unchanged": _("unchanged"),
    "removed": _("removed"),
}


@dataclass
class Change:
    kind: str
    key: str
    label: str
    change: str

    @property
    def kind_name(self):
        return KINDS[self.kind]

    @property
    def change_name(self):
        return CHANGES[self.change]


@dataclass
class Preview:
    issues: list[Issue] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @property
    def counts(self) -> list[tuple[object, list[int]]]:
        """[(kind's name, [created, changed, unchanged, removed])] for the kinds present."""
        found = Counter((c.kind, c.change) for c in self.changes)
        return [
            (name, [found[(kind, change)] for change in CHANGES])
            for kind, name in KINDS.items()
            if any(found[(kind, change)] for change in CHANGES)
        ]

    @property
    def listed(self) -> list[Change]:
        return [c for c in self.changes if c.change != "unchanged"]


def upload_get(*, municipality, user, pk: int) -> PlanFileUpload:
    """An upload of this person here (nobody else's)."""
    upload = PlanFileUpload.objects.filter(municipality=municipality, created_by=user, pk=pk).first()
    if upload is None:
        raise Http404
    return upload


def _text(value) -> str:
    if isinstance(value, dict):
        return value.get(get_language() or "bg") or value.get("bg", "")
    return str(value or "")


def _items(document: dict) -> dict[tuple[str, str], tuple[str, object]]:
    """A plan document as {(kind, key): (label, content)} for comparing two of them."""
    items: dict[tuple[str, str], tuple[str, object]] = {}
    if not document:
        return items
    plan = document["plan"]
    items[("plan", plan["slug"])] = (_text(plan["title"]), {**plan, "table": document.get("financial_table")})

    def indicator(data: dict) -> None:
        items[("indicator", data["code"])] = (
            f"{data['code']} {_text(data['name'])}",
            {k: v for k, v in data.items() if k != "values"},
        )
        for value in data.get("values", []):
            key = f"{data['code']} {value['year']}" + (f"/{value['sub']}" if value.get("sub") else "")
            items[("value", key)] = (key, value)

    def walk(elements: list, parent) -> None:
        for element in elements:
            content = {k: v for k, v in element.items() if k not in ("children", "indicators", "projects")}
            content |= {
                "parent": parent,
                "indicators": [i["code"] for i in element.get("indicators", [])],
                "projects": [p.get("code") or p.get("ref") for p in element.get("projects", [])],
            }
            items[("element", element["code"])] = (f"{element['code']} {_text(element['title'])}", content)
            for data in element.get("indicators", []):
                indicator(data)
            for project in element.get("projects", []):
                if "ref" in project:
                    continue
                items[("project", project["code"])] = (
                    f"{project['code']} {_text(project['title'])}",
                    {k: v for k, v in project.items() if k != "indicators"},
                )
                for data in project.get("indicators", []):
                    indicator(data)
            walk(element.get("children", []), element["code"])

    walk(document["goals"], None)
    return items


def planfile_preview(*, user, upload: PlanFileUpload) -> Preview:
    """What importing the upload would change (plans, elements, projects, indicators, published
    values: created, changed, unchanged, removed), or every error of the file by its path. The
    import is run and rolled back (a dry run), so the preview is exactly what confirming does."""
    municipality = upload.municipality
    checked, issues = planfile.load(bytes(upload.data), upload.file_name)
    if checked is None:
        return Preview(issues=issues)
    old_plan = Plan.objects.filter(municipality=municipality, slug=checked.plan["slug"]).first()
    before = _items(planfile_document(old_plan)) if old_plan else {}
    captured: dict = {}
    try:
        planfile_import(
            actor=user, municipality=municipality, data=bytes(upload.data), name=upload.file_name,
            replace=upload.replace, dry_run=True, verifier=verifier_for(user, municipality),
            inspect=lambda result: captured.update(document=planfile_document(result.plan)),
        )  # fmt: skip
    except PlanImportError as error:
        return Preview(issues=error.issues)
    after = _items(captured["document"])
    existing = set(
        Project.objects.filter(
            municipality=municipality, code__in=[key for kind, key in after if kind == "project"]
        ).values_list("code", flat=True)
    )
    changes = []
    for (kind, key), (label, content) in after.items():
        if (kind, key) in before:
            change = "unchanged" if before[(kind, key)][1] == content else "changed"
        elif kind == "project" and key in existing:
            change = "changed"  # a project of the municipality the file updates (--replace)
        else:
            change = "created"
        changes.append(Change(kind, key, label, change))
    changes += [
        Change(kind, key, label, "removed")
        for (kind, key), (label, _c) in before.items()
        if (kind, key) not in after
    ]
    order = list(KINDS)
    changes.sort(key=lambda c: order.index(c.kind))
    return Preview(changes=changes)


# A plan's versions (plans.PlanVersion), for their public pages ---------------------------------

# The kinds of version anyone may read; drafts only those who may edit the plan.
PUBLIC_VERSION_KINDS = (VersionKind.CONSULTATION_DRAFT, VersionKind.ADOPTED, VersionKind.AMENDED)


def version_queryset(*, plan: Plan, include_drafts: bool) -> QuerySet[PlanVersion]:
    """The plan's versions (the public kinds only unless ``include_drafts``), with their decisions,
    without their snapshots: what the version list and the API read."""
    qs = PlanVersion.objects.filter(plan=plan).select_related("decision").defer("snapshot")
    if not include_drafts:
        qs = qs.filter(kind__in=PUBLIC_VERSION_KINDS)
    return qs


def plan_versions(*, plan: Plan, include_drafts: bool) -> list[PlanVersion]:
    """The plan's versions in order of their numbers, with their decisions, without their snapshots
    (one query)."""
    return list(version_queryset(plan=plan, include_drafts=include_drafts).order_by("number"))


def version_in_force(versions: list[PlanVersion]) -> PlanVersion | None:
    """Of a plan's versions (in order), the one in force: the latest adopted or amended. No query."""
    adopted = [v for v in versions if v.kind in IN_FORCE_KINDS]
    return adopted[-1] if adopted else None


def in_force_number(*, plan: Plan) -> int | None:
    """The number of the plan's version in force (one query)."""
    in_force = plan_selectors.plan_version_in_force(plan)
    return in_force.number if in_force else None


def version_get(*, plan: Plan, number: int, include_drafts: bool) -> PlanVersion:
    """One version of the plan with its snapshot and decision; 404 when there is none, or it is a
    draft and drafts are not to be shown."""
    qs = PlanVersion.objects.filter(plan=plan, number=number).select_related("decision")
    if not include_drafts:
        qs = qs.filter(kind__in=PUBLIC_VERSION_KINDS)
    version = qs.first()
    if version is None:
        raise Http404("No such version")
    return version


def versions_pair(*, plan: Plan, numbers: tuple[int, int], include_drafts: bool) -> dict[int, PlanVersion]:
    """The plan's versions with these numbers, with their snapshots (one query): those found, by
    number (a number of no version, or of a draft not to be shown, is missing)."""
    qs = PlanVersion.objects.filter(plan=plan, number__in=numbers)
    if not include_drafts:
        qs = qs.filter(kind__in=PUBLIC_VERSION_KINDS)
    return {version.number: version for version in qs}
