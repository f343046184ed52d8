"""The back office's shell: the dashboard of a municipality's staff, which combines the apps. The
staff pages of each app are its ``manage_views``."""

from django.shortcuts import render

from civitas.core.models import Role
from civitas.core.permissions import Action, allowed_actions, roles_of
from civitas.core.tenancy import staff_view
from civitas.plans import selectors as plan_selectors
from civitas.projects import selectors as project_selectors


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
