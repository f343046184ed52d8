"""The back office's shell: the dashboard of a municipality's staff, which combines the apps. The
staff pages of each app are its ``manage_views``."""

import copy

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from civitas.core import services as core_services
from civitas.core.forms import run_service
from civitas.core.models import Role
from civitas.core.permissions import Action, allowed_actions, roles_of
from civitas.core.staff import render_form
from civitas.core.tenancy import staff_view
from civitas.plans import selectors as plan_selectors
from civitas.projects import selectors as project_selectors

from . import forms


@staff_view(Action.VIEW_BACK_OFFICE)
def dashboard(request, municipality):
    roles = roles_of(request.user, municipality)
    return render(
        request,
        "manage/dashboard.html",
        {
            "nav": "manage",
            "plans": plan_selectors.staff_plan_list(municipality=municipality),
            "projects": project_selectors.recently_updated(municipality=municipality),
            "project_count": project_selectors.project_count(municipality=municipality),
            "roles": [label for value, label in Role.choices if value in roles],
            "actions": allowed_actions(request.user, municipality),
        },
    )


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
