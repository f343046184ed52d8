from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from civitas.core.permissions import Action, require
from civitas.core.tenancy import municipality_from_slug


@login_required
def dashboard(request, municipality):
    municipality = municipality_from_slug(municipality)
    require(request.user, municipality, Action.VIEW_BACK_OFFICE)
    return render(request, "manage/dashboard.html", {"municipality": municipality})
