from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router, Schema

from civitas.core.models import Municipality

from .base import READ_ERRORS, Page, page, strict_query

router = Router()


class MunicipalityOut(Schema):
    id: int
    slug: str
    url: str
    web_url: str
    name_bg: str
    name_en: str
    ekatte: str
    nuts: str
    population: int | None
    population_year: int | None
    website: str
    email: str


def municipality_out(request: HttpRequest, town: Municipality) -> dict:
    return {
        "id": town.pk,
        "slug": town.slug,
        "url": request.build_absolute_uri(reverse("api:municipality", args=[town.slug])),
        "web_url": request.build_absolute_uri(reverse("portal:home", args=[town.slug])),
        "name_bg": town.name_bg,
        "name_en": town.name_en,
        "ekatte": town.ekatte,
        "nuts": town.nuts,
        "population": town.population,
        "population_year": town.population_year,
        "website": town.website,
        "email": town.email,
    }


@router.get("", response={200: Page[MunicipalityOut], **READ_ERRORS}, url_name="municipalities")
def municipalities(request: HttpRequest, response: HttpResponse):
    """Every municipality on this installation."""
    strict_query(request)
    return page(request, Municipality.objects.all(), lambda town: municipality_out(request, town))


@router.get("/{slug}", response={200: MunicipalityOut, **READ_ERRORS}, url_name="municipality")
def municipality(request: HttpRequest, slug: str):
    """One municipality, by its address name (as in the portal's addresses)."""
    strict_query(request)
    return municipality_out(request, get_object_or_404(Municipality, slug=slug))
