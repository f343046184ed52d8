"""Helpers for tests of the public pages: a plan whose goals and measures carry projects with
their budgets, activities and partners, and page addresses in either language."""

from django.urls import reverse
from django.utils import translation

from civitas.projects.models import FundingSource

from .factories import (
    ActivityFactory,
    FundingLineFactory,
    PlanElementFactory,
    PlanFactory,
    ProjectContributionFactory,
    ProjectFactory,
    ProjectPartnerFactory,
)


def url(name, *args, lang="bg"):
    with translation.override(lang):
        return reverse(name, args=args)


def build_plan(town, *, goals=2, projects_per_goal=2, prefix="P"):
    plan = PlanFactory(municipality=town)
    for g in range(goals):
        goal = PlanElementFactory(
            plan=plan, code=f"SG{g + 1}", title_bg=f"Цел {g + 1}", title_en=f"Goal {g + 1}"
        )
        measure = PlanElementFactory(plan=plan, parent=goal, code=f"M{g + 1}.1")
        for p in range(projects_per_goal):
            project = ProjectFactory(municipality=town, code=f"{prefix}{g}-{p}")
            ProjectContributionFactory(project=project, element=measure if p % 2 else goal)
            FundingLineFactory(project=project, source=FundingSource.EU, programme_bg="ОПРР")
            FundingLineFactory(project=project, source=FundingSource.MUNICIPAL)
            ActivityFactory(project=project)
            ProjectPartnerFactory(project=project)
    return plan
