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
