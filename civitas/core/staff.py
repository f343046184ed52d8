"""Helpers shared by every app's staff pages (beside ``core.tenancy.staff_view``, the decorator, and
``core.forms.run_service``, which puts a service's refusal on a form).

The templates they render, ``manage/form.html`` and ``manage/confirm_delete.html``, live with the
back office's layout in ``civitas/manage/templates/manage/``."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def form_status(form) -> int:
    """400 for a bound form with errors (a refused submission), 200 otherwise."""
    return 400 if form.is_bound and form.errors else 200


def render_form(
    request: HttpRequest,
    *,
    title: str,
    form,
    back: str,
    submit: str | None = None,
    intro: str = "",
    multipart: bool = False,
) -> HttpResponse:
    """The back office's one-form page: a title, an optional introduction, the form's fields and one
    button (``submit``, "Save" unless told), with a link back to ``back``."""
    context = {"title": title, "form": form, "back": back, "submit": submit or _("Save"), "intro": intro,
               "multipart": multipart, "nav": "manage"}  # fmt: skip
    return render(request, "manage/form.html", context, status=form_status(form))


def render_confirm_delete(request: HttpRequest, *, name: str, back: str) -> HttpResponse:
    """The page that asks before deleting ``name``; its button posts back to the same address."""
    return render(request, "manage/confirm_delete.html", {"nav": "manage", "object": name, "back": back})


def refused(request: HttpRequest, call: Callable[[], Any]) -> bool:
    """Run a service call (a deletion, a step of a workflow); when the service refuses it, show every
    reason as an error message and report True (nothing was done)."""
    try:
        call()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return True
    return False
