"""Steps several browser tests share."""

from base64 import b32decode

from django.urls import reverse
from django_otp.oath import totp

from civitas.demo.sopot import DEMO_TOTP_SECRET

PASSWORD = "sopot-demo-2014"  # the demo accounts' password (demo data only)


def log_in(page, base_url, username, next_url):
    """Sign in through the sign-in page and land on ``next_url``; staff type the current code of
    the demo authenticator (the key load_demo gives the demo staff) on the code step."""
    page.goto(f"{base_url}{reverse('accounts:login')}?next={next_url}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit], main form input[type=submit]").first.click()
    code_step = reverse("accounts:second_factor")
    page.wait_for_url(lambda url: code_step in url or url.split("?")[0].endswith(next_url.split("?")[0]))
    if code_step in page.url:
        page.locator("input[name=code]").fill(f"{totp(b32decode(DEMO_TOTP_SECRET)):06d}")
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**{next_url}")
