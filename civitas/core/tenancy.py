from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404

from .models import Municipality
from .permissions import Action, require


def municipality_from_slug(slug: str) -> Municipality:
    try:
        return Municipality.objects.get(slug=slug)
    except Municipality.DoesNotExist:
        raise Http404("No such municipality") from None


def default_municipality() -> Municipality | None:
    qs = Municipality.objects.all()
    if settings.CIVITAS_DEFAULT_MUNICIPALITY:
        found = qs.filter(slug=settings.CIVITAS_DEFAULT_MUNICIPALITY).first()
        if found:
            return found
    return qs.order_by("pk").first()


def with_municipality(view):
    """Resolve the ``municipality`` slug of the URL into ``request.municipality`` (404 if unknown).

    The view receives the Municipality object in place of the slug. A page the page cache holds
    (``core.cache.cached_public_page``, with a cache shared by every process) is answered first,
    without a database query.
    """
    cached_page = getattr(view, "cached_page", None)

    @wraps(view)
    def wrapper(request, municipality, *args, **kwargs):
        if cached_page is not None:
            response = cached_page(request, municipality)
            if response is not None:
                return response
        request.municipality = municipality_from_slug(municipality)
        return view(request, request.municipality, *args, **kwargs)

    return wrapper


def staff_view(action: Action):
    """A back-office page: signed-in staff of this municipality allowed to do ``action``; others get
    403 (or the second-factor step when only that is missing). The view receives the Municipality.
    The services the view calls check their own permission again, whoever calls them."""

    def decorate(view):
        @login_required
        @with_municipality
        @wraps(view)
        def wrapper(request, municipality, *args, **kwargs):
            require(request.user, municipality, action)
            return view(request, municipality, *args, **kwargs)

        return wrapper

    return decorate
