from functools import wraps

from django.conf import settings
from django.http import Http404

from .models import Municipality


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

    The view receives the Municipality object in place of the slug.
    """

    @wraps(view)
    def wrapper(request, municipality, *args, **kwargs):
        request.municipality = municipality_from_slug(municipality)
        return view(request, request.municipality, *args, **kwargs)

    return wrapper
