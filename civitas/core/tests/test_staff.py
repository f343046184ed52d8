"""The staff pages' shared helpers (civitas.core.staff)."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from civitas.core.staff import form_status, refused


class _Form(forms.Form):
    name = forms.CharField()


def _request():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_a_bound_form_with_errors_is_400_anything_else_200():
    assert form_status(_Form()) == 200
    assert form_status(_Form({"name": "x"})) == 200
    assert form_status(_Form({})) == 400


def test_refused_shows_every_reason_and_says_so():
    request = _request()

    def refuse():
        raise ValidationError(["first reason", "second reason"])

    assert refused(request, refuse) is True
    assert [str(m) for m in get_messages(request)] == ["first reason", "second reason"]


def test_refused_is_false_when_the_call_succeeds():
    request = _request()
    done = []
    assert refused(request, lambda: done.append(1)) is False
    assert done == [1] and list(get_messages(request)) == []
