"""A member of staff makes a personal API token in their profile, sees it once, uses it to submit a
value through the API, and revokes it; the pages pass axe and fit a phone's width."""

import json
import re
import urllib.error
import urllib.request

import pytest
from django.db.models import Q
from django.urls import reverse

from civitas.accounts.models import ApiToken
from civitas.indicators.models import Indicator, Measurement
from tests.browser.helpers import log_in

pytestmark = pytest.mark.browser


def fits(page, width: int) -> bool:
    page.set_viewport_size({"width": width, "height": 800})
    return page.evaluate("document.documentElement.scrollWidth") <= width


def open_period(username: str) -> tuple[Indicator, int]:
    """An annual indicator of Sopot's plans that ``username`` enters, and a year of its plan with no value."""
    for indicator in Indicator.objects.filter(
        Q(owner__username=username) | Q(owner__isnull=True),
        municipality__slug="sopot", frequency="annual", element__isnull=False, measure="number",
    ).select_related("element__plan"):  # fmt: skip
        plan = indicator.element.plan
        taken = set(Measurement.objects.filter(indicator=indicator).values_list("year", flat=True))
        free = [y for y in range(plan.period_start, plan.period_end + 1) if y not in taken]
        if free:
            return indicator, free[0]
    raise AssertionError("the demo has no open period")


def post_measurement(base_url, indicator, year, token) -> int:
    request = urllib.request.Request(
        f"{base_url}/api/v1/indicators/{indicator.pk}/measurements",
        data=json.dumps({"year": year, "value": 12}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_staff_make_use_and_revoke_a_token(live_server, demo, page, assert_accessible):
    profile = reverse("accounts:profile")
    log_in(page, live_server.url, "sopot-indicators", profile)
    assert page.locator("#api-tokens").count() == 1
    assert_accessible(page)
    assert fits(page, 360)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.locator("[name=token-name]").fill("Регистър на населението")
    page.locator("#api-token-form button[type=submit]").click()
    secret = page.locator("#api-token").input_value()
    assert re.fullmatch(r"civitas_[0-9a-f]{8}_\S+", secret)
    assert page.locator(".govuk-warning-text").count() == 1
    assert_accessible(page)
    assert fits(page, 360)

    indicator, year = open_period("sopot-indicators")
    assert post_measurement(live_server.url, indicator, year, secret) == 201
    assert Measurement.objects.get(indicator=indicator, year=year).state == "submitted"

    page.goto(live_server.url + profile)
    assert "Регистър на населението" in page.locator("#api-tokens ~ div table").inner_text()
    assert secret not in page.content()
    assert fits(page, 360)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("#api-tokens ~ div table button[type=submit]").click()
    page.wait_for_url(f"**{profile}")
    assert ApiToken.objects.get().revoked_at is not None
    assert post_measurement(live_server.url, indicator, year, secret) == 401
    assert_accessible(page)
