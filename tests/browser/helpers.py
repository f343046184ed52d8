"""Steps several browser tests share."""

from django.urls import reverse

PASSWORD = "sopot-demo-2014"  # the demo accounts' password (demo data only)


def log_in(page, base_url, username, next_url):
    """Sign in through the sign-in page and land on ``next_url``."""
    page.goto(f"{base_url}{reverse('accounts:login')}?next={next_url}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit], main form input[type=submit]").first.click()
    page.wait_for_url(f"**{next_url}")
