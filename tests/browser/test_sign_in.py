"""A new staff member's first sign-in: password, an authenticator set up from the QR code's key,
the recovery codes shown once, then the back office; and the code step of the next sign-in. The
pages are checked with the site's CSP enforced (the QR code is inline SVG) and with axe-core."""

from base64 import b32decode

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.oath import totp
from playwright.sync_api import expect

from civitas.core.models import Membership, Municipality, Role
from tests.browser.helpers import PASSWORD

pytestmark = pytest.mark.browser


def test_first_sign_in_sets_up_the_second_factor(live_server, demo, page, assert_accessible):
    user = get_user_model().objects.create_user("new-planner", "new-planner@sopot.example", PASSWORD)
    Membership.objects.create(
        user=user, municipality=Municipality.objects.get(slug="sopot"), role=Role.PLANNER
    )
    manage = reverse("manage:dashboard", args=["sopot"])
    page.goto(f"{live_server.url}{reverse('accounts:login')}?next={manage}")
    page.locator("input[name=username]").fill("new-planner")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**{reverse('accounts:second_factor_enrol')}")
    assert page.locator("main svg").count() == 1
    assert_accessible(page)
    page.get_by_text("Не можете да сканирате кода?").click()
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.locator("input[name=code]").fill(f"{totp(b32decode(secret)):06d}")
    page.get_by_role("button", name="Потвърдете").click()
    expect(page.locator(".civitas-recovery-codes li")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="Запазих ги: продължете").click()
    page.wait_for_url(f"**{manage}")

    # Signed out, the next sign-in asks for the code instead of setting up an app again.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{reverse('accounts:login')}?next={manage}")
    page.locator("input[name=username]").fill("new-planner")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**{reverse('accounts:second_factor')}")
    assert_accessible(page)
