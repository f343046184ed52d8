"""A project's funding lines and activities edited in place on its edit page (htmx): with the
``HX-Request`` header the same addresses answer with the list alone, without it with the pages of
their own; every write goes through the services, with their version check."""

import pytest
from django.db.models import F
from django.urls import reverse

from civitas.core.models import Role
from civitas.projects.models import Activity, FundingLine, Project
from civitas.testing.factories import ActivityFactory, FundingLineFactory
from civitas.testing.signin import sign_in_with_role

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, *args):
    return reverse(f"manage:{name}", args=["sopot", "p1", *args])


def line_data(project, **changes):
    return {"version": project.version, "source": "municipal", "amount": "2500", "currency": "EUR"} | changes


def test_the_add_form_is_a_fragment_for_htmx_and_a_page_without_it(client, town, project):
    sign_in_with_role(client, town, Role.PLANNER)
    fragment = client.get(url("part_add", "funding"), **HTMX)
    html = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<section id="project-funding"')
    assert 'id="funding-form"' in html and f'hx-post="{url("part_add", "funding")}"' in html
    assert 'id="funding_source"' in html  # ids of its own beside the project's form
    page = client.get(url("part_add", "funding")).content.decode()
    assert page.startswith("<!DOCTYPE html>") and 'id="funding-form"' not in page and 'id="id_source"' in page


def test_a_funding_line_added_in_place_is_stored_and_the_list_comes_back(client, town, project):
    sign_in_with_role(client, town, Role.PLANNER)
    response = client.post(url("part_add", "funding"), line_data(project, contract_date="27/3/2014"), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'id="funding-form"' not in html
    line = FundingLine.objects.get(project=project)
    assert line.contract_date.isoformat() == "2014-03-27"
    assert f'id="funding-{line.pk}"' in html and f'hx-get="{url("part_add", "funding")}"' in html


def test_without_htmx_the_same_post_redirects_to_the_edit_page(client, town, project):
    sign_in_with_role(client, town, Role.PLANNER)
    response = client.post(url("part_add", "funding"), line_data(project))
    assert response.status_code == 302 and response["Location"] == url("project_edit")


def test_a_conflict_shows_its_error_in_the_row_and_stores_nothing(client, town, project):
    line = FundingLineFactory(project=project)
    sign_in_with_role(client, town, Role.PLANNER)
    form = client.get(url("part_edit", "funding", line.pk), **HTMX).content.decode()
    assert 'id="funding-form"' in form and f'id="funding-{line.pk}"' not in form
    ActivityFactory(project=project)  # someone else changed the project meanwhile
    project.refresh_from_db()
    response = client.post(
        url("part_edit", "funding", line.pk),
        line_data(project, version=project.version - 1, amount="9"),
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html  # htmx swaps in only a success
    row = html[html.index('id="funding-form"') : html.index("</form>")]
    assert "govuk-error-summary" in row and 'value="9"' in row
    line.refresh_from_db()
    assert line.amount != 9


def test_a_refused_row_keeps_its_errors_in_the_row(client, town, project):
    sign_in_with_role(client, town, Role.PLANNER)
    response = client.post(
        url("part_add", "activities"), {"version": project.version, "due_date": "31.2.2016"}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<section id="project-activities"')
    assert 'href="#activities_due_date"' in html and 'id="activities_due_date_error"' in html
    assert not Activity.objects.exists()


def test_a_row_deleted_in_place_is_gone_from_the_answer_and_the_database(client, town, project):
    keep, gone = FundingLineFactory(project=project), FundingLineFactory(project=project)
    sign_in_with_role(client, town, Role.PLANNER)
    response = client.post(url("part_delete", "funding", gone.pk), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert f'id="funding-{keep.pk}"' in html and f'id="funding-{gone.pk}"' not in html
    assert list(FundingLine.objects.all()) == [keep]


def test_cancel_brings_back_the_list_and_the_page_stays_whole_without_htmx(client, town, project):
    FundingLineFactory(project=project)
    sign_in_with_role(client, town, Role.PLANNER)
    fragment = client.get(url("project_edit") + "?section=funding", **HTMX).content.decode()
    assert (
        fragment.lstrip().startswith('<section id="project-funding"') and 'id="funding-form"' not in fragment
    )
    page = client.get(url("project_edit") + "?section=funding").content.decode()
    assert page.startswith("<!DOCTYPE html>") and 'id="project-activities"' in page


def grow(project, n):
    for _ in range(n):
        FundingLineFactory(project=project)
        ActivityFactory(project=project)


def test_the_edit_page_and_its_lists_keep_their_query_counts(
    client, town, plan, project, django_assert_num_queries
):
    sign_in_with_role(client, town, Role.PLANNER)
    counts = []
    for n in (1, 4):
        grow(project, n)
        for path, extra in ((url("project_edit"), {}), (url("part_add", "funding"), HTMX),
                            (url("project_edit") + "?section=activities", HTMX)):  # fmt: skip
            with django_assert_num_queries(PINNED[(path.split("/")[-2], bool(extra))]) as ctx:
                assert client.get(path, **extra).status_code == 200
            counts.append(len(ctx.captured_queries))
    assert counts[:3] == counts[3:]


# Fixed whatever the number of funding lines and activities (the test checks it at 1 and at 5 of each).
# The edit page: one of them lists the council decisions the co-financing decision is chosen from.
PINNED = {("p1", False): 12, ("new", True): 11, ("p1", True): 9}


def test_a_row_is_checked_against_the_version_the_page_shows_and_the_page_learns_the_new_one(
    client, town, project
):
    sign_in_with_role(client, town, Role.PLANNER)
    shown = project.version
    form = client.get(url("part_add", "funding") + f"?version={shown}", **HTMX).content.decode()
    assert f'name="version" value="{shown}"' in form
    response = client.post(url("part_add", "funding"), line_data(project, version=shown), **HTMX)
    project.refresh_from_db()
    assert project.version == shown + 1
    assert (
        f'<input type="hidden" name="version" value="{project.version}" id="id_version" hx-swap-oob="true">'
        in response.content.decode()
    )
    # Someone else saves the project after the page was opened: a row sent from that page is refused,
    # and the page's form keeps the version it had (its own save will be refused too).
    Project.objects.filter(pk=project.pk).update(version=F("version") + 1)
    refused = client.post(url("part_add", "funding"), line_data(project, version=shown + 1), **HTMX)
    assert "hx-swap-oob" not in refused.content.decode() and FundingLine.objects.count() == 1
