from .permissions import Action, can


def tenancy(request):
    """The municipality of the page (set by ``with_municipality``) and what the user may do there."""
    municipality = getattr(request, "municipality", None)
    if municipality is None:
        return {}
    return {
        "municipality": municipality,
        "can_manage": can(request.user, municipality, Action.VIEW_BACK_OFFICE),
    }
