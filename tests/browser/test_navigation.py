"""No dead ends in the back office: the indicator owner's menus and home link only to pages that
answer (not to the verifier's queue), and a member of staff of another municipality lands in their
own back office after signing in, with a way back to it from any page."""

from base64 import b32decode

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.oath import totp

from civitas.core.models import Membership, Municipality, Role
from civitas.demo.services import demo_authenticator
from civitas.demo.sopot import DEMO_TOTP_SECRET
from tests.browser.helpers import PASSWORD, log_in

pytestmark = pytest.mark.browser

HOME = "/sopot/manage/"
MONITORING = "/sopot/manage/indicators/dashboard/"


def own_links(page) -> list[str]:
    """The site's own links of the page's menus and content, once each."""
    hrefs = page.eval_on_selector_all(
        "header a[href], main a[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    return sorted({href for href in hrefs if href.startswith("/") and not href.startswith("//")})


def test_the_indicator_owner_sees_no_link_to_the_queue_and_no_dead_end(
    live_server, demo, page, assert_accessible
):
    log_in(page, live_server.url, "sopot-indicators", HOME)
    queue = reverse("indicators:queue", args=["sopot"])
    assert page.locator(f"a[href='{queue}']").count() == 0
    assert page.locator("#home-entry").is_visible()  # what is due for the owner, on the home
    assert_accessible(page)
    followed = set()
    for start in (HOME, MONITORING):
        page.goto(f"{live_server.url}{start}")
        assert page.locator(f"a[href='{queue}']").count() == 0, start
        for href in own_links(page):
            if href in followed:
                continue
            followed.add(href)
            response = page.request.get(f"{live_server.url}{href}")
            assert response.status == 200, (start, href, response.status)
    assert len(followed) > 10  # the crawl saw the menus, not an empty page
    page.goto(f"{live_server.url}/en{HOME}")
    assert page.locator("#home-entry").is_visible()
    assert_accessible(page)


def test_staff_of_another_municipality_land_in_their_own_back_office(
    live_server, demo, page, assert_accessible
):
    karlovo = Municipality.objects.create(slug="karlovo", name_bg="Карлово", name_en="Karlovo")
    user = get_user_model().objects.create_user("karlovo-verifier", "v@karlovo.example", PASSWORD)
    Membership.objects.create(user=user, municipality=karlovo, role=Role.VERIFIER)
    demo_authenticator(user)

    # The site's root shows Sopot; the person signs in from there.
    page.goto(f"{live_server.url}/")
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    page.locator("input[name=username]").fill("karlovo-verifier")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**{reverse('accounts:second_factor')}*")
    page.locator("input[name=code]").fill(f"{totp(b32decode(DEMO_TOTP_SECRET)):06d}")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/karlovo/manage/")
    assert page.locator("#home-verify").is_visible()
    assert_accessible(page)

    # From Sopot's portal (the site's root) the header leads back to Karlovo's back office.
    page.goto(f"{live_server.url}/")
    page.wait_for_url("**/sopot/")
    office = page.locator("header a.civitas-header__office")
    assert "Карлово" in office.inner_text()
    office.click()
    page.wait_for_url("**/karlovo/manage/")
    assert page.locator("#home-verify").is_visible()
