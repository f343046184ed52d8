"""A citizen registers, confirms the e-mail address, signs in and takes part in the forum."""

import re
import time

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.browser


def test_a_citizen_registers_confirms_and_takes_part_in_the_forum(live_server, demo, page, assert_accessible):
    page.goto(live_server.url + reverse("accounts:register"))
    assert_accessible(page)
    page.get_by_label("Публично име").fill("Гражданка от Анево")
    page.get_by_label("Адрес на електронна поща").fill("grazhdanka@example.org")
    page.get_by_label("Парола").fill("Anevsko-Kale-2014")
    page.get_by_label("Приемам условията за ползване и декларацията за поверителност").check()
    time.sleep(3.2)  # people take a few seconds to fill in the form; the form refuses robots that do not
    page.get_by_role("button", name="Създай профила").click()
    assert "Проверете електронната си поща" in page.locator("main").inner_text()
    link = re.search(r"http://[^/]+(/\S+)", mail.outbox[-1].body).group(1)
    page.goto(live_server.url + link)
    assert_accessible(page)
    page.get_by_label("Паролата, която избрахте при регистрацията").fill("Anevsko-Kale-2014")
    page.get_by_role("button", name="Потвърди адреса ми").click()
    page.wait_for_url("**/accounts/login/")
    page.get_by_label("Е-поща или потребителско име").fill("grazhdanka@example.org")
    page.get_by_label("Парола").fill("Anevsko-Kale-2014")
    page.get_by_role("button", name="Вход").click()
    page.wait_for_url("**/sopot/")  # signed in, on the default municipality's home

    page.goto(live_server.url + reverse("forum:topic_create", args=["sopot"]))
    page.get_by_label("Заглавие").fill("Кога ще има велоалея до Анево?")
    page.get_by_label("Вашето съобщение").fill("Питам **за** <script>x</script> велоалеята.")
    page.get_by_role("button", name="Публикувай").click()
    assert page.locator("h1").inner_text() == "Кога ще има велоалея до Анево?"
    body = page.locator(".civitas-post__body").first
    assert body.locator("strong").inner_text() == "за"
    assert "<script>" not in body.inner_html()
    assert_accessible(page)


def test_a_moderated_post_shows_its_public_reason(live_server, demo, page, assert_accessible):
    from civitas.forum.models import Post

    hidden = Post.objects.get(topic__municipality__slug="sopot", state="hidden")
    page.goto(live_server.url + reverse("forum:topic", args=["sopot", hidden.topic_id]))
    assert hidden.hidden_reason in page.locator("main").inner_text()
    assert_accessible(page)
