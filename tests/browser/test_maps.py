"""Maps in the browser: the projects' map on the home page and the project list (a marker per
located project of the list, the list's filters applied), a project's own map, the keyboard's way
past a map, the pages without JavaScript, and the back office's location picker (a point placed,
a line drawn, saved as GeoJSON). The tests run without a tile server (CIVITAS_MAP_TILES is empty
under CIVITAS_TESTING), so no request leaves the machine."""

import json

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from civitas.projects.models import Project

from .helpers import log_in

pytestmark = pytest.mark.browser

MARKERS = ".civitas-map .civitas-map-marker"


def located(**filters) -> list[Project]:
    return list(
        Project.objects.filter(municipality__slug="sopot", location__isnull=False, **filters).order_by("code")
    )


def wait_for_map(page, selector="[data-civitas-map]"):
    """The map draws after the page loads (its data is fetched): wait until it says how many markers."""
    page.wait_for_selector(f"{selector}[data-markers]", state="attached")
    return int(page.locator(selector).first.get_attribute("data-markers"))


def test_the_list_map_has_a_marker_per_located_project_with_a_popup(live_server, demo, page):
    page.goto(live_server.url + reverse("portal:projects", args=["sopot"]))
    count = wait_for_map(page)
    projects = located()
    assert len(projects) >= 10  # the demo's projects have places
    assert count == page.locator(MARKERS).count() == len(projects)
    # Every located project of the list is on the map, by name (the list shows them all on one page).
    names = page.locator(MARKERS).evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    assert sorted(name[: name.rindex(" (")] for name in names) == sorted(p.title_bg for p in projects)
    # A line for the projects that run along a route.
    lines = [p for p in projects if p.location["type"] != "Point"]
    assert page.locator(".civitas-map path.civitas-map-line").count() == len(lines) >= 1
    # The key names each status on the map with its shape.
    statuses = {p.status for p in projects}
    assert page.locator(".civitas-map-legend__item").count() == len(statuses)
    assert page.locator(".civitas-map-legend__item svg path").count() == len(statuses)

    bike = Project.objects.get(municipality__slug="sopot", slug="opr-4-3")
    page.locator(f"{MARKERS}[aria-label^='{bike.title_bg[:30]}']").click()
    link = page.locator(".leaflet-popup-content a")
    assert link.get_attribute("href") == reverse("portal:project", args=["sopot", bike.slug])
    link.click()
    page.wait_for_url(f"**{reverse('portal:project', args=['sopot', bike.slug])}")


def test_the_filters_change_the_map(live_server, demo, page):
    page.goto(live_server.url + reverse("portal:projects", args=["sopot"]))
    everything = wait_for_map(page)
    page.locator("#filter-status").select_option("completed")
    page.get_by_role("button", name="Приложи филтрите").click()
    page.wait_for_url("**status=completed**")
    count = wait_for_map(page)
    completed = located(status="completed")
    assert 0 < count == len(completed) < everything
    statuses = page.locator(MARKERS).evaluate_all("els => els.map(e => e.dataset.status)")
    assert statuses == ["completed"] * len(completed)

    page.locator("#filter-status").select_option("cancelled")
    page.get_by_role("button", name="Приложи филтрите").click()
    page.wait_for_url("**status=cancelled**")
    assert wait_for_map(page) == 0
    assert page.locator(".civitas-map-empty").is_visible()


def test_the_home_page_map_shows_every_located_project(live_server, demo, page):
    page.goto(live_server.url + reverse("portal:home", args=["sopot"]))
    assert wait_for_map(page) == page.locator(MARKERS).count() == len(located())


def test_a_projects_page_shows_its_own_map(live_server, demo, page):
    page.goto(live_server.url + "/en" + reverse("portal:project", args=["sopot", "opr-1-1"]))
    assert wait_for_map(page) == 1
    assert page.locator(".civitas-map-legend__item").inner_text() == "In progress"
    page.goto(live_server.url + reverse("portal:project", args=["sopot", "opr-4-3"]))
    assert wait_for_map(page) == 1
    assert page.locator(".civitas-map path.civitas-map-line").count() == 1
    # A project without a place has no map.
    assert located(slug="opr-2-4") == []
    page.goto(live_server.url + reverse("portal:project", args=["sopot", "opr-2-4"]))
    assert page.locator("[data-civitas-map]").count() == 0


def test_the_keyboard_gets_past_the_map(live_server, demo, page):
    page.goto(live_server.url + reverse("portal:projects", args=["sopot"]))
    markers = wait_for_map(page)
    # The skip link appears when it takes focus and leads past the map.
    skip = page.get_by_role("link", name="Skip the map").or_(
        page.get_by_role("link", name="Прескочи картата")
    )
    skip.focus()
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "projects-map-end"
    # Tabbing through the map (its zoom buttons, the map, each marker) leaves it: no trap.
    page.locator("#projects-map").focus()
    for _ in range(markers + 5):
        page.keyboard.press("Tab")
    assert not page.evaluate("document.getElementById('projects-map').contains(document.activeElement)")


def test_without_javascript_the_list_and_the_places_remain(live_server, demo, browser):
    context = browser.new_context(java_script_enabled=False, locale="bg-BG")
    try:
        page = context.new_page()
        page.goto(live_server.url + reverse("portal:projects", args=["sopot"]))
        assert not page.locator("[data-civitas-map]").is_visible()
        assert not page.get_by_role("link", name="Прескочи картата").or_(
            page.get_by_role("link", name="Skip the map")).count()  # fmt: skip
        main = page.locator("main").inner_text()
        for project in located():
            assert project.title_bg in main and project.location_name_bg in main
        page.goto(live_server.url + reverse("portal:project", args=["sopot", "opr-1-1"]))
        assert "42.697" in page.locator("main").inner_text()  # the coordinates in text
    finally:
        context.close()


def edit_project(page, live_server, slug):
    edit_url = reverse("manage:project_edit", args=["sopot", slug])
    log_in(page, live_server.url, "sopot-projects", edit_url)
    page.wait_for_selector("[data-civitas-picker][data-ready]", state="attached")
    return page.locator("[data-picker-map]")


def save(page):
    page.get_by_role("button", name="Запис на проекта").click()
    expect(page.get_by_text("Проектът е записан.")).to_have_count(1)


def test_clicking_the_map_places_the_point_that_is_saved(live_server, demo, page, assert_accessible):
    assert located(slug="opr-2-4") == []
    picker = edit_project(page, live_server, "opr-2-4")
    assert_accessible(page)
    # With JavaScript the text is folded away under "Advanced: GeoJSON", empty.
    assert page.locator("[data-picker-details]").get_attribute("open") is None
    assert page.locator("[name=location_text]").input_value() == ""
    picker.click(position={"x": 120, "y": 150})
    text = page.locator("[name=location_text]").input_value()
    geometry = json.loads(text)
    assert geometry["type"] == "Point" and len(geometry["coordinates"]) == 2
    picker.click(position={"x": 200, "y": 100})  # a second click moves the point
    moved = json.loads(page.locator("[name=location_text]").input_value())
    assert moved["type"] == "Point" and moved["coordinates"] != geometry["coordinates"]
    save(page)
    assert Project.objects.get(municipality__slug="sopot", slug="opr-2-4").location == moved


def test_drawing_a_line_saves_a_linestring(live_server, demo, page):
    picker = edit_project(page, live_server, "opr-2-6")
    page.get_by_label("Линия (улица, маршрут)").or_(page.get_by_label("A line (a street, a route)")).check()
    for x, y in [(80, 80), (160, 120), (240, 100), (300, 200)]:
        picker.click(position={"x": x, "y": y})
    page.locator("[data-picker-undo]").click()  # the last point goes
    page.locator("[data-picker-finish]").click()
    geometry = json.loads(page.locator("[name=location_text]").input_value())
    assert geometry["type"] == "LineString" and len(geometry["coordinates"]) == 3
    save(page)
    assert Project.objects.get(municipality__slug="sopot", slug="opr-2-6").location == geometry


def test_the_picker_shows_the_saved_line_and_clear_empties_the_location(live_server, demo, page):
    picker = edit_project(page, live_server, "opr-4-3")
    bike = Project.objects.get(municipality__slug="sopot", slug="opr-4-3")
    assert page.locator("[data-civitas-picker]").get_attribute("data-points") == str(
        len(bike.location["coordinates"])
    )
    assert page.locator("[data-picker-map] path.civitas-picker-line").count() == 1
    assert picker.is_visible()
    page.locator("[data-picker-clear]").click()
    assert page.locator("[name=location_text]").input_value() == ""
    save(page)
    assert Project.objects.get(pk=bike.pk).location is None


def test_by_keyboard_the_point_goes_under_the_cross_in_the_maps_centre(live_server, demo, page):
    edit_project(page, live_server, "opr-2-4")
    page.locator("[data-picker-map]").focus()
    page.keyboard.press("ArrowRight")  # Leaflet moves the map by keyboard
    page.keyboard.press("ArrowUp")
    centre = page.locator("[data-picker-centre]")
    centre.focus()
    page.keyboard.press("Enter")
    geometry = json.loads(page.locator("[name=location_text]").input_value())
    assert geometry["type"] == "Point"
    save(page)
    assert Project.objects.get(municipality__slug="sopot", slug="opr-2-4").location == geometry
