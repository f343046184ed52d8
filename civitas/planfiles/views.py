"""The public pages of a plan's versions: the list of versions, one version read from its frozen
snapshot, and two versions compared (planfiles.diff) as a council member reads it."""

from django.shortcuts import render
from django.utils.translation import get_language

from civitas.core.cache import cached_public_page
from civitas.core.tenancy import with_municipality
from civitas.plans import policy as plan_policy
from civitas.plans import selectors as plan_selectors

from . import selectors
from .diff import diff_plans
from .forms import VersionCompareForm, compare_params_are_valid
from .presentation import snapshot_page


def _plan(request, municipality, slug):
    """The plan (a draft plan only for those who may see drafts) and whether its draft versions may
    be shown: to those who may edit it."""
    include_drafts = plan_policy.can_see_drafts(request.user, municipality)
    plan = plan_selectors.plan_get(municipality=municipality, slug=slug, include_drafts=include_drafts)
    plan.municipality = municipality
    return plan, plan_policy.can_edit_plan(request.user, plan)


@with_municipality
@cached_public_page
def version_list(request, municipality, plan):
    plan, drafts = _plan(request, municipality, plan)
    versions = selectors.plan_versions(plan=plan, include_drafts=drafts)
    in_force = selectors.version_in_force(versions)
    return render(
        request,
        "planfiles/version_list.html",
        {
            "nav": "plans",
            "plan": plan,
            "versions": versions,
            "in_force": in_force,
            "form": VersionCompareForm(None, versions=versions),
            # The last two versions, the comparison most often asked for.
            "chosen_from": str(versions[-2].number) if len(versions) > 1 else "",
            "chosen_to": str(versions[-1].number) if versions else "",
        },
    )


@with_municipality
@cached_public_page
def version_detail(request, municipality, plan, number):
    plan, drafts = _plan(request, municipality, plan)
    version = selectors.version_get(plan=plan, number=number, include_drafts=drafts)
    return render(
        request,
        "planfiles/version_detail.html",
        {
            "nav": "plans",
            "plan": plan,
            "version": version,
            "in_force_number": selectors.in_force_number(plan=plan),
            "page": snapshot_page(version.snapshot, get_language()),
        },
    )


@with_municipality
@cached_public_page(params=("from", "to"), valid=compare_params_are_valid)
def version_compare(request, municipality, plan):
    """Two versions compared; a missing, unknown or repeated number is answered with the form and
    its message (status 400), never an error page."""
    plan, drafts = _plan(request, municipality, plan)
    versions = selectors.plan_versions(plan=plan, include_drafts=drafts)
    form = VersionCompareForm(request.GET, versions=versions)
    context = {
        "nav": "plans",
        "plan": plan,
        "versions": versions,
        "form": form,
        "chosen_from": request.GET.get("from", ""),
        "chosen_to": request.GET.get("to", ""),
    }
    if not form.is_valid():
        return render(request, "planfiles/version_compare.html", context, status=400)
    numbers = (form.cleaned_data["from"], form.cleaned_data["to"])
    pair = selectors.versions_pair(plan=plan, numbers=numbers, include_drafts=drafts)
    old, new = pair[numbers[0]], pair[numbers[1]]
    diff = diff_plans(old.snapshot, new.snapshot)
    context.update(old=old, new=new, diff=diff, summary=diff.summary)
    return render(request, "planfiles/version_compare.html", context)
