"""The publicity register, public as a whole as on the portal: events (press conferences, public
hearings...) with their photos and minutes, materials (banners, brochures with their print run)
and publications (newspapers, websites), each with the project or plan it is about."""

import datetime as dt

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from civitas.publicity import selectors
from civitas.publicity.models import (
    EventKind,
    MaterialKind,
    Medium,
    Publication,
    PublicityEvent,
    PublicityMaterial,
)

from .base import READ_ERRORS, Page, page, strict_query
from .listing import absolute, choice_param, file_url, municipality_param, since_param, year_param

router = Router()

FILTERS = ("municipality", "project", "year", "updated_since")


class RecordOut(Schema):
    id: int
    municipality: str
    url: str
    web_url: str | None
    title_bg: str
    title_en: str
    project: str | None
    plan: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class PhotoOut(Schema):
    id: int
    caption_bg: str
    caption_en: str
    url: str | None
    content_type: str


class EventOut(RecordOut):
    kind: str
    date: dt.date
    time: dt.time | None
    place_bg: str
    place_en: str
    participants: int | None
    description_bg: str
    description_en: str
    minutes_url: str | None
    photos: list[PhotoOut]


class MaterialOut(RecordOut):
    kind: str
    quantity: int | None
    produced_on: dt.date | None
    file_url: str | None
    content_type: str


class PublicationOut(RecordOut):
    medium: str
    outlet_bg: str
    outlet_en: str
    published_on: dt.date | None
    link: str


def record_out(request: HttpRequest, record, viewname: str) -> dict:
    slug = record.municipality.slug
    project = record.project
    plan = record.plan if record.plan and record.plan.is_public else None
    web_url = absolute(request, "portal:project", slug, project.slug) if project else None
    return {
        "id": record.pk,
        "municipality": slug,
        "url": absolute(request, viewname, record.pk),
        "web_url": web_url,
        "title_bg": record.title_bg,
        "title_en": record.title_en,
        "project": project.slug if project else None,
        "plan": plan.slug if plan else None,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
    }


def event_out(request: HttpRequest, event: PublicityEvent) -> dict:
    return record_out(request, event, "api:publicity_event") | {
        "web_url": absolute(request, "publicity:event", event.municipality.slug, event.pk),
        "kind": event.kind,
        "date": event.date,
        "time": event.time,
        "place_bg": event.place_bg,
        "place_en": event.place_en,
        "participants": event.participants,
        "description_bg": event.description_bg,
        "description_en": event.description_en,
        "minutes_url": file_url(request, event.minutes),
        "photos": [
            {
                "id": photo.pk,
                "caption_bg": photo.caption_bg,
                "caption_en": photo.caption_en,
                "url": file_url(request, photo.file),
                "content_type": photo.content_type,
            }
            for photo in event.photos.all()
        ],
    }


def material_out(request: HttpRequest, material: PublicityMaterial) -> dict:
    return record_out(request, material, "api:publicity_material") | {
        "kind": material.kind,
        "quantity": material.quantity,
        "produced_on": material.produced_on,
        "file_url": file_url(request, material.file),
        "content_type": material.content_type,
    }


def publication_out(request: HttpRequest, publication: Publication) -> dict:
    return record_out(request, publication, "api:publicity_publication") | {
        "medium": publication.medium,
        "outlet_bg": publication.outlet_bg,
        "outlet_en": publication.outlet_en,
        "published_on": publication.published_on,
        "link": publication.url,
    }


def _filtered(queryset, date_field: str, *, municipality, project, year, updated_since):
    """The register's common filters: municipality, project (its address name), year (of the
    record's date) and updated_since."""
    town = municipality_param(municipality)
    chosen_year = year_param(year)
    since = since_param(updated_since)
    if town is not None:
        queryset = queryset.filter(municipality=town)
    if project is not None:
        queryset = queryset.filter(project__slug=project)
    if chosen_year is not None:
        queryset = queryset.filter(**{f"{date_field}__year": chosen_year})
    if since:
        queryset = queryset.filter(updated_at__gte=since)
    return queryset


def _one(queryset, pk: int):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404("No such record")
    return found


@router.get("/events", response={200: Page[EventOut], **READ_ERRORS}, url_name="publicity_events")
def events(
    request: HttpRequest,
    municipality: str | None = None,
    project: str | None = None,
    year: str | None = None,
    kind: str | None = None,
    updated_since: str | None = None,
):
    """Events of the register with their photos. Filters: ``municipality``, ``project`` (address
    names), ``year``, ``kind`` (press_conference, public_hearing, forum, presentation, other),
    ``updated_since`` (ISO 8601)."""
    strict_query(request, *FILTERS, "kind")
    chosen = choice_param("kind", kind, EventKind.values)
    found = _filtered(
        selectors.register_events(),
        "date",
        municipality=municipality,
        project=project,
        year=year,
        updated_since=updated_since,
    )
    if chosen:
        found = found.filter(kind=chosen)
    return page(request, found, lambda event: event_out(request, event))


@router.get("/events/{pk}", response={200: EventOut, **READ_ERRORS}, url_name="publicity_event")
def event(request: HttpRequest, pk: int):
    """One event with its photos."""
    strict_query(request)
    return event_out(request, _one(selectors.register_events(), pk))


@router.get("/materials", response={200: Page[MaterialOut], **READ_ERRORS}, url_name="publicity_materials")
def materials(
    request: HttpRequest,
    municipality: str | None = None,
    project: str | None = None,
    year: str | None = None,
    kind: str | None = None,
    updated_since: str | None = None,
):
    """Materials of the register. Filters: ``municipality``, ``project`` (address names), ``year``
    (produced), ``kind`` (banner, brochure, leaflet, poster, video, other), ``updated_since``."""
    strict_query(request, *FILTERS, "kind")
    chosen = choice_param("kind", kind, MaterialKind.values)
    found = _filtered(
        selectors.register_materials(),
        "produced_on",
        municipality=municipality,
        project=project,
        year=year,
        updated_since=updated_since,
    )
    if chosen:
        found = found.filter(kind=chosen)
    return page(request, found, lambda material: material_out(request, material))


@router.get("/materials/{pk}", response={200: MaterialOut, **READ_ERRORS}, url_name="publicity_material")
def material(request: HttpRequest, pk: int):
    """One material."""
    strict_query(request)
    return material_out(request, _one(selectors.register_materials(), pk))


@router.get(
    "/publications", response={200: Page[PublicationOut], **READ_ERRORS}, url_name="publicity_publications"
)
def publications(
    request: HttpRequest,
    municipality: str | None = None,
    project: str | None = None,
    year: str | None = None,
    medium: str | None = None,
    updated_since: str | None = None,
):
    """Publications of the register. Filters: ``municipality``, ``project`` (address names),
    ``year`` (published), ``medium`` (newspaper, website, radio, television, social_media),
    ``updated_since``."""
    strict_query(request, *FILTERS, "medium")
    chosen = choice_param("medium", medium, Medium.values)
    found = _filtered(
        selectors.register_publications(),
        "published_on",
        municipality=municipality,
        project=project,
        year=year,
        updated_since=updated_since,
    )
    if chosen:
        found = found.filter(medium=chosen)
    return page(request, found, lambda publication: publication_out(request, publication))


@router.get(
    "/publications/{pk}", response={200: PublicationOut, **READ_ERRORS}, url_name="publicity_publication"
)
def publication(request: HttpRequest, pk: int):
    """One publication."""
    strict_query(request)
    return publication_out(request, _one(selectors.register_publications(), pk))
