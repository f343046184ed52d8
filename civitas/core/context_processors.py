"""What every page's layout needs to know about the person: the municipality of the page and what
they may do there (the menus show only what answers), and the way to their own back office."""

from django.urls import reverse

from .permissions import Action, allowed_actions, back_office_of, can


def _once(compute):
    """A value the template computes only if it reads it, and once (the header's back office)."""
    found: list = []

    def value():
        if not found:
            found.append(compute())
        return found[0]

    return value


def _back_office(request, municipality):
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    home = back_office_of(user, municipality)
    if home is not None:
        return {
            "url": reverse("manage:dashboard", args=[home.slug]),
            "municipality": home,
            "elsewhere": home != municipality,
        }
    if user.is_superuser:  # a platform superuser with no municipality of their own: the platform's page
        return {"url": reverse("platform:municipalities"), "municipality": None, "elsewhere": True}
    return None


def tenancy(request):
    """The municipality of the page (set by ``with_municipality``), what the user may do there
    (``staff_actions``, the role table's answer, for the menus), and ``back_office``: the link to
    their own municipality's back office on any page, for staff."""
    municipality = getattr(request, "municipality", None)
    context = {"back_office": _once(lambda: _back_office(request, municipality))}
    if municipality is None:
        return context
    return context | {
        "municipality": municipality,
        "can_manage": can(request.user, municipality, Action.VIEW_BACK_OFFICE),
        "staff_actions": _once(lambda: allowed_actions(request.user, municipality)),
    }
