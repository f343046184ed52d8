"""The error pages (403, the CSRF failure, 404, 500) in the site's layout, in the language of the
address, naming the municipality the address names, with a way on; a 403 or 404 logs one line
without a traceback; the 500 page draws with no query, even for a half-built request."""

import importlib
import logging

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.db import OperationalError, connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import path

from civitas import urls as civitas_urls
from civitas.core import views
from civitas.testing.factories import MembershipFactory, MunicipalityFactory
from civitas.testing.signin import sign_in, sign_in_with_role


def _boom(request):
    raise RuntimeError("a fault of the site")


def _database_gone(request, municipality):
    raise OperationalError("terminating connection due to administrator command")


# A URLconf with a page that fails, for the 500 page (used through pytest.mark.urls).
urlpatterns = i18n_patterns(
    path("<slug:municipality>/boom/", _boom),
    path("<slug:municipality>/database-gone/", _database_gone),
    prefix_default_language=False,
)
urlpatterns += civitas_urls.urlpatterns
handler403 = civitas_urls.handler403
handler404 = civitas_urls.handler404
handler500 = civitas_urls.handler500


@pytest.fixture
def sopot(db):
    return MunicipalityFactory(slug="sopot", name_bg="Сопот", name_en="Sopot")


def in_layout(html: str) -> bool:
    return 'class="civitas-header"' in html and 'class="govuk-footer"' in html and "civitas.css" in html


@pytest.mark.parametrize(
    ("address", "language", "heading", "name"),
    [
        ("/sopot/no-such-page/", "bg", "Страницата не е намерена", "Сопот"),
        ("/en/sopot/no-such-page/", "en", "Page not found", "Sopot"),
    ],
)
def test_a_missing_page_is_in_the_layout_and_the_language_of_its_address(
    client, sopot, address, language, heading, name
):
    page = client.get(address)
    html = page.content.decode()
    assert page.status_code == 404
    assert in_layout(html) and f'<html lang="{language}"' in html
    assert name in html
    prefix = "/en" if language == "en" else ""
    assert f'href="{prefix}/sopot/"' in html  # the municipality's home
    assert f'href="{prefix}/accounts/login/?next=' in html  # sign in
    if language == "en":
        assert heading in html


def test_a_missing_page_of_no_municipality_links_to_the_home_page(client, db):
    page = client.get("/en/nowhere/at-all/")
    html = page.content.decode()
    assert page.status_code == 404 and in_layout(html)
    assert 'href="/en/"' in html and "Page not found" in html


def test_a_missing_page_offers_staff_their_back_office(client, sopot):
    sign_in_with_role(client, sopot, "planner")
    html = client.get("/en/sopot/no-such-page/").content.decode()
    assert 'href="/en/sopot/manage/"' in html and "The back office of Sopot" in html
    assert "/en/accounts/login/?next=" not in html


def test_a_refusal_says_why_and_links_to_the_persons_own_back_office(client, sopot):
    sign_in_with_role(client, sopot, "verifier")
    page = client.get("/en/sopot/manage/surveys/")
    html = page.content.decode()
    assert page.status_code == 403 and in_layout(html)
    assert "You cannot open this page" in html
    assert "Your role in Sopot (Verifier) does not allow this" in html
    assert 'href="/en/sopot/manage/"' in html
    bg = client.get("/sopot/manage/surveys/").content.decode()
    assert '<html lang="bg"' in bg and 'href="/sopot/manage/"' in bg


def test_staff_of_another_municipality_are_sent_to_their_own(client, sopot):
    anevo = MunicipalityFactory(slug="karlovo", name_bg="Карлово", name_en="Karlovo")
    user = MembershipFactory(municipality=anevo, role="planner").user
    sign_in(client, user)
    html = client.get("/en/sopot/manage/surveys/").content.decode()
    assert "you have no role in Sopot" in html
    assert 'href="/en/karlovo/manage/"' in html and 'href="/en/sopot/manage/"' not in html


def test_403_and_404_log_one_line_without_a_traceback(client, sopot, caplog):
    sign_in_with_role(client, sopot, "verifier")
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/sopot/manage/surveys/").status_code == 403
        assert client.get("/sopot/no-such-page/").status_code == 404
    records = [r for r in caplog.records if r.name == "django.request"]
    assert [r.status_code for r in records] == [403, 404]  # type: ignore[attr-defined]
    assert all(r.exc_info is None and not r.exc_text for r in records)
    assert "Traceback" not in caplog.text


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("address", "language", "heading"),
    [
        ("/sopot/boom/", "bg", "Възникна проблем"),
        ("/en/sopot/boom/", "en", "Sorry, there is a problem with the service"),
    ],
)
def test_a_fault_of_the_site_shows_the_500_page_and_logs_its_traceback(
    sopot, caplog, address, language, heading
):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        page = client.get(address)
    html = page.content.decode()
    assert page.status_code == 500 and in_layout(html)
    assert f'<html lang="{language}"' in html
    if language == "en":
        assert heading in html and 'href="/en/"' in html
    error = next(r for r in caplog.records if r.name == "django.request")
    assert error.exc_info is not None  # a fault keeps its traceback


def test_the_500_page_needs_no_database_and_no_finished_request(db):
    request = RequestFactory().get("/en/sopot/boom/")  # no session, no user, no municipality
    with CaptureQueriesContext(connection) as queries:
        page = views.server_error(request)
    html = page.content.decode()
    assert len(queries) == 0
    assert page.status_code == 500 and in_layout(html) and '<html lang="en"' in html


def test_the_500_page_falls_back_to_plain_text_when_the_layout_fails(monkeypatch):
    def broken(name):
        raise OSError("no templates")

    monkeypatch.setattr(views.loader, "get_template", broken)
    page = views.server_error(RequestFactory().get("/"))
    assert page.status_code == 500 and "Sorry, there is a problem with the service" in page.content.decode()


@pytest.mark.parametrize(("address", "language"), [("/sopot/", "bg"), ("/en/sopot/", "en")])
def test_a_form_sent_without_its_security_token_gets_a_page_in_the_layout(sopot, address, language):
    client = Client(enforce_csrf_checks=True)
    page = client.post(f"{address}surveys/")
    html = page.content.decode()
    assert page.status_code == 403 and in_layout(html) and f'<html lang="{language}"' in html
    if language == "en":
        assert "Your form could not be sent" in html and "allow cookies" in html.lower()


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["?q=%00", "?page=1%00", "?%00=1"])
def test_a_nul_character_in_a_page_s_query_is_a_400_page_before_the_database_sees_it(client, query):
    """PostgreSQL refuses a NUL in a text parameter with a server error; the page never asks it."""
    town = MunicipalityFactory()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/en/{town.slug}/projects/{query}")
    assert response.status_code == 400
    assert "The address is not valid" in response.content.decode()
    assert not any("\x00" in str(q["sql"]) for q in queries.captured_queries)
    assert client.get(f"/en/{town.slug}/plans/%00/").status_code == 400


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("address", "language"), [("/sopot/database-gone/", "bg"), ("/en/sopot/database-gone/", "en")]
)
def test_a_database_that_does_not_answer_is_a_503_asking_to_try_again(sopot, address, language):
    """A PostgreSQL restart under load: the visitor is told to try again in a minute, not that
    the service is broken."""
    page = Client(raise_request_exception=False).get(address)
    html = page.content.decode()
    assert page.status_code == 503 and page["Retry-After"] == "30"
    assert in_layout(html) and f'<html lang="{language}"' in html
    if language == "en":
        assert "The service is briefly unavailable" in html and "Try again in a minute." in html
    assert "problem with the service" not in html


@pytest.mark.django_db
def test_the_api_answers_a_database_outage_with_a_json_503(client, monkeypatch):
    municipalities = importlib.import_module("civitas.opendata.api.municipalities")

    def gone(*args, **kwargs):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(municipalities, "page", gone)
    response = client.get("/api/v1/municipalities", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert response.json()["code"] == "unavailable"
    assert "try again in a minute" in response.json()["detail"]
