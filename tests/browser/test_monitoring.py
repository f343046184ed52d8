"""An indicator owner enters and submits a value, a verifier approves and publishes it, and the
public indicator page shows it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from civitas.indicators.models import Measurement
from tests.browser.helpers import log_in

pytestmark = pytest.mark.browser


def test_owner_enters_verifier_publishes_portal_shows(live_server, demo, page, assert_accessible):
    values_url = reverse("indicators:values", args=["sopot", "ГП-1"])
    log_in(page, live_server.url, "sopot-indicators", values_url)
    assert_accessible(page)
    page.get_by_role("link", name="Въвеждане 2018").click()
    page.locator("[name=value]").fill("10.9")
    page.locator("[name=comment]").fill("Кадастрална карта, 2018")
    page.get_by_role("button", name="Запис и изпращане за одобрение").click()
    expect(page.get_by_text("Стойността е записана и изпратена за одобрение.")).to_have_count(1)
    assert Measurement.objects.get(indicator__code="ГП-1", year=2018).state == "submitted"

    page.context.clear_cookies()
    log_in(page, live_server.url, "sopot-verifier", reverse("indicators:queue", args=["sopot"]))
    assert_accessible(page)
    page.get_by_role("link", name="Преглед ГП-1 2018").click()
    assert_accessible(page)
    page.get_by_role("button", name="Одобряване и публикуване").click()
    expect(page.get_by_text("Стойността е одобрена и публикувана.")).to_have_count(1)
    assert Measurement.objects.get(indicator__code="ГП-1", year=2018).state == "published"

    page.goto(live_server.url + reverse("portal:indicator", args=["sopot", "ГП-1"]))
    row = page.locator("tr", has=page.locator("th", has_text="2018"))
    assert "10,9" in row.first.inner_text()
    assert_accessible(page)
