"""Health checks, and the error pages: 403 (and the CSRF failure), 404 and 500 in the site's
layout and the visitor's language (the address's language prefix), each with a way on: the
municipality's home (or the platform's), sign-in for visitors, the back office for staff.

The 500 page is drawn without the request's context processors and without any query, so that
it appears when the database is down or the request is half-built; if even that fails, a plain
page in both languages is returned. When the failure is the database not answering (a restart),
the same page says the service is briefly unavailable instead (503, with Retry-After)."""

import re
import sys

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.template import loader
from django.utils import translation

from .errors import RETRY_AFTER_SECONDS, database_unavailable
from .models import Membership, Municipality, Role

SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


def healthz(request):
    """Liveness: the process answers. Touches no database."""
    return HttpResponse("ok", content_type="text/plain")


def readyz(request):
    """Readiness: the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not ready"
        return JsonResponse({"status": "unavailable", "database": str(exc.__class__.__name__)}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


# Error pages -------------------------------------------------------------------------------------


def _language(path: str) -> str:
    """The language of the address: its prefix (/en/...), else the site's default (Bulgarian)."""
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


def _slug_in(path: str, language: str) -> str | None:
    """The first segment of the address after the language prefix: a municipality's, if any."""
    segments = [s for s in path.split("/") if s]
    if segments and segments[0] == language and path.startswith(f"/{language}/"):
        segments = segments[1:]
    return segments[0] if segments and SLUG.match(segments[0]) else None


def _named_municipality(request, language: str) -> Municipality | None:
    """The municipality the address names, when it exists; an error page never fails over it."""
    municipality = getattr(request, "municipality", None)
    if isinstance(municipality, Municipality):
        return municipality
    slug = _slug_in(request.path_info, language)
    if slug is None:
        return None
    try:
        return Municipality.objects.filter(slug=slug).first()
    except DatabaseError:
        return None


def _staff_roles(user) -> list[tuple[Municipality, list[str]]]:
    """[(municipality, [role names])] where the signed-in user works, for links to their own back
    office (one query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    roles: dict[int, tuple[Municipality, list[str]]] = {}
    memberships = Membership.objects.filter(user=user).select_related("municipality")
    for membership in memberships.order_by("municipality__name_bg", "role"):
        entry = roles.setdefault(membership.municipality_id, (membership.municipality, []))
        entry[1].append(str(Role(membership.role).label))
    return list(roles.values())


def _error_page(request, template: str, status: int, **context) -> HttpResponse:
    language = _language(request.path_info)
    with translation.override(language):
        municipality = _named_municipality(request, language)
        try:
            staff = _staff_roles(getattr(request, "user", None))
        except DatabaseError:
            staff = []
        roles_here = next((names for m, names in staff if municipality and m.pk == municipality.pk), [])
        context |= {
            "municipality": municipality,
            "staff": staff,
            "roles_here": roles_here,
            "is_error_page": True,
        }
        return render(request, template, context, status=status)


def permission_denied(request, exception=None):
    return _error_page(request, "403.html", 403)


def page_not_found(request, exception=None):
    return _error_page(request, "404.html", 404)


def csrf_failure(request, reason=""):
    """The form could not be sent: its security token is missing or old (CSRF_FAILURE_VIEW)."""
    return _error_page(request, "403_csrf.html", 403, no_cookie=reason == REASON_NO_CSRF_COOKIE)


# When even the layout cannot be drawn (a missing template, a broken static manifest).
PLAIN_500 = (
    '<!DOCTYPE html><html lang="bg"><head><meta charset="utf-8"><title>Civitas</title></head><body>'
    "<h1>Възникна проблем в услугата</h1><p>Опитайте отново по-късно.</p>"
    '<h1 lang="en">Sorry, there is a problem with the service</h1><p lang="en">Try again later.</p>'
    '<p><a href="/">Civitas</a></p></body></html>'
)


def server_error(request):
    """No query and no context processor: the request's language from its address alone. When the
    database does not answer, the visitor is told to try again in a minute (503, Retry-After)."""
    unavailable = database_unavailable(sys.exc_info()[1])
    template = "503.html" if unavailable else "500.html"
    try:
        language = _language(request.path_info)
        with translation.override(language):
            html = loader.get_template(template).render({"request": request, "is_error_page": True})
    except Exception:  # the page of last resort must not fail
        html = PLAIN_500
    if not unavailable:
        return HttpResponseServerError(html)
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
