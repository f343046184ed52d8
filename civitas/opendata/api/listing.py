"""What the lists of participation and accountability records share: their filters by
municipality, by a choice, by year and by ``updated_since`` (each refused with a 400 when its value
names nothing), and absolute addresses of pages and files."""

from django.db.models.fields.files import FieldFile
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from civitas.core.models import Municipality

from .base import ApiError, parse_datetime_param


def invalid(name: str, message: str) -> ApiError:
    return ApiError(400, "invalid_parameter", message % {"name": name})


def municipality_param(slug: str | None) -> Municipality | None:
    """The municipality named by its address name; None when not asked. One query when asked."""
    if slug is None:
        return None
    town = Municipality.objects.filter(slug=slug).first()
    if town is None:
        raise invalid("municipality", _("%(name)s names no municipality on this installation."))
    return town


def choice_param(name: str, value: str | None, choices) -> str:
    """A value of ``choices`` ("" when not asked)."""
    if value is None:
        return ""
    if value not in choices:
        raise ApiError(
            400,
            "invalid_parameter",
            _("%(name)s must be one of: %(choices)s.") % {"name": name, "choices": ", ".join(choices)},
        )
    return value


def year_param(value: str | None, name: str = "year") -> int | None:
    if value is None:
        return None
    if not (value.isascii() and value.isdigit() and 1900 <= int(value) <= 2999):
        raise invalid(name, _("%(name)s must be a year, such as 2014."))
    return int(value)


def bool_param(name: str, value: str | None) -> bool | None:
    if value is None:
        return None
    if value not in ("true", "false"):
        raise invalid(name, _("%(name)s must be true or false."))
    return value == "true"


def since_param(value: str | None):
    return parse_datetime_param(value, "updated_since")


def absolute(request: HttpRequest, viewname: str, *args) -> str:
    return request.build_absolute_uri(reverse(viewname, args=list(args)))


def file_url(request: HttpRequest, stored: FieldFile | None) -> str | None:
    """The absolute address of an uploaded file (served by the portal's media view, which checks
    who may see it), or None when there is none."""
    if not stored:
        return None
    return request.build_absolute_uri(stored.url)
