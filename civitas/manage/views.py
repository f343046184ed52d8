"""The back office's shell: the dashboard of a municipality's staff, which combines the apps; the
staff page of a municipality's administrators (people and their roles); and the platform's page
of municipalities, for platform superusers. The staff pages of each app are its ``manage_views``."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from civitas.accounts import services as account_services
from civitas.consultations import selectors as consultation_selectors
from civitas.core import policy as core_policy
from civitas.core import selectors as core_selectors
from civitas.core import services as core_services
from civitas.core.forms import run_service
from civitas.core.models import Membership, Role
from civitas.core.permissions import Action, allowed_actions, municipalities_of, roles_of
from civitas.core.staff import form_status, refused, render_confirm_delete, render_form
from civitas.core.tenancy import staff_view
from civitas.forum import selectors as forum_selectors
from civitas.indicators import selectors as indicator_selectors
from civitas.plans import selectors as plan_selectors
from civitas.projects import selectors as project_selectors

from . import forms

# What the home says a change was; other actions of the audit log read "changed".
CHANGE_VERBS = {
    "create": pgettext_lazy("change", "created"),
    "update": pgettext_lazy("change", "changed"),
    "delete": pgettext_lazy("change", "deleted"),
    "publish": pgettext_lazy("change", "published"),
    "approve": pgettext_lazy("change", "approved"),
    "return": pgettext_lazy("change", "returned"),
    "submit": pgettext_lazy("change", "submitted"),
    "open": pgettext_lazy("change", "opened"),
    "close": pgettext_lazy("change", "closed"),
    "answer": pgettext_lazy("change", "answered"),
    "change_status": pgettext_lazy("change", "status changed"),
}


@staff_view(Action.VIEW_BACK_OFFICE)
def dashboard(request, municipality):
    """The staff home: what waits for this person (only what their roles may act on, each block
    linked to the page where the work is done), what changed recently, and the way to every page
    of the back office they may use. Each block's selector lives in the app that owns the data;
    the number of queries does not grow with the data."""
    user = request.user
    roles = roles_of(user, municipality)
    actions = allowed_actions(user, municipality)
    context = {
        "nav": "manage",
        "roles": [label for value, label in Role.choices if value in roles],
        "actions": actions,
        "runs_platform": core_policy.runs_platform(user),
        "elsewhere": [town for town in municipalities_of(user) if town != municipality],
        "changes": [
            (change, CHANGE_VERBS.get(change.action, CHANGE_VERBS["update"]))
            for change in core_selectors.recent_changes(municipality=municipality)
        ],
    }
    if Action.ENTER_MEASUREMENT in actions:
        context["entry"] = indicator_selectors.entry_work(user=user, municipality=municipality)
    if Action.VERIFY_MEASUREMENT in actions:
        context["verify"] = indicator_selectors.verifier_work(municipality=municipality)
    if Action.MANAGE_CONSULTATION in actions:
        context["closing"] = consultation_selectors.closing_soon(municipality=municipality)
        context["unanswered"] = consultation_selectors.awaiting_answers(municipality=municipality)
    if Action.MODERATE in actions:
        context["forum_flagged"] = forum_selectors.moderation_count(municipality=municipality)
        context["proposals_waiting"] = consultation_selectors.moderation_count(municipality=municipality)
    if Action.EDIT_PLAN in actions:
        context["changed_plans"] = plan_selectors.recently_changed(municipality=municipality)
        context["plans"] = plan_selectors.staff_plan_list(municipality=municipality)
    if Action.EDIT_PROJECT in actions:
        context["changed_projects"] = project_selectors.recently_updated(municipality=municipality, limit=5)
        context["project_count"] = project_selectors.project_count(municipality=municipality)
    return render(request, "manage/dashboard.html", context)


# The platform: municipalities ------------------------------------------------------------------


@login_required
def municipalities(request):
    """Every municipality of the platform, and the form that creates one (platform superusers, with
    the second factor; the command create_municipality does the same)."""
    core_policy.require_runs_platform(request.user)
    form = forms.MunicipalityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = {}
        if run_service(
            form,
            lambda: created.update(
                municipality=core_services.municipality_create(actor=request.user, **form.cleaned_data)
            ),
        ):
            town = created["municipality"]
            messages.success(
                request,
                _("The municipality %(name)s was created: invite its administrator now.")
                % {"name": town.name},
            )
            return redirect("manage:staff", municipality=town.slug)
    context = {"nav": "manage", "form": form, "municipalities": core_selectors.platform_municipalities()}
    return render(request, "manage/municipalities.html", context, status=form_status(form))


# A municipality's staff ----------------------------------------------------------------------------


@staff_view(Action.MANAGE_STAFF)
def staff(request, municipality):
    """The people with a role here, each role changed or taken away on its row, and the invitation
    of a person by e-mail address with a role (accounts.services.staff_invite)."""
    form = forms.StaffInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = {}
        if run_service(
            form,
            lambda: done.update(
                invitation=account_services.staff_invite(
                    actor=request.user,
                    municipality=municipality,
                    email=data["email"],
                    role=data["role"],
                    name=data["name"],
                    site_url=request.build_absolute_uri("/"),
                )  # fmt: skip
            ),
        ):
            messages.success(
                request,
                _("%(email)s has the role “%(role)s”; an invitation was e-mailed.")
                % {"email": done["invitation"].user.email, "role": Role(data["role"]).label},
            )
            return redirect("manage:staff", municipality=municipality.slug)
    context = {
        "nav": "manage",
        "form": form,
        "memberships": core_selectors.staff_memberships(municipality=municipality),
        "roles": Role.choices,
    }
    return render(request, "manage/staff.html", context, status=form_status(form))


@require_POST
@staff_view(Action.MANAGE_STAFF)
def staff_role_change(request, municipality, pk):
    membership = get_object_or_404(
        Membership.objects.select_related("municipality"), pk=pk, municipality=municipality
    )
    form = forms.RoleChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles offered."))
    elif not refused(
        request,
        lambda: core_services.membership_change(
            actor=request.user, membership=membership, role=form.cleaned_data["role"]
        ),
    ):
        messages.success(request, _("The role was changed."))
    return redirect("manage:staff", municipality=municipality.slug)


@staff_view(Action.MANAGE_STAFF)
def staff_role_revoke(request, municipality, pk):
    """Asks first; the revocation is recorded in the audit log. The last administrator stays."""
    membership = get_object_or_404(
        Membership.objects.select_related("municipality", "user"), pk=pk, municipality=municipality
    )
    if request.method == "POST":
        if not refused(
            request, lambda: core_services.membership_revoke(actor=request.user, membership=membership)
        ):
            messages.success(request, _("The role was taken away."))
        return redirect("manage:staff", municipality=municipality.slug)
    name = f"{membership.user.email or membership.user.get_username()} · {membership.get_role_display()}"
    return render_confirm_delete(request, name=name, back=reverse("manage:staff", args=[municipality.slug]))


@staff_view(Action.MANAGE_MUNICIPALITY)
def evaluation_settings(request, municipality):
    """How the municipality's indicators are rated: thresholds, grace period, reporting year."""
    form = forms.EvaluationSettingsForm(request.POST or None, instance=copy.copy(municipality))
    back = reverse("manage:dashboard", args=[municipality.slug])
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: core_services.municipality_evaluation_update(
            actor=request.user, municipality=municipality, **form.cleaned_data)):  # fmt: skip
            messages.success(request, _("The evaluation settings were saved."))
            return redirect(back)
    return render_form(
        request, title=_("How indicators are rated"), form=form, back=back,
        intro=_("These settings apply to every plan of the municipality; a plan may set its own reporting year."),
    )  # fmt: skip
