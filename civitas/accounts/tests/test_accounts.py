import datetime
import json
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from civitas.accounts import forms as account_forms
from civitas.accounts.models import Profile
from civitas.consultations import services as consultations
from civitas.core.models import AuditEvent, Role
from civitas.core.permissions import OPERATOR
from civitas.forum import services as forum
from civitas.forum.models import Post
from civitas.surveys import services as surveys
from civitas.surveys.models import Response
from civitas.testing.factories import MembershipFactory, MunicipalityFactory, UserFactory
from civitas.testing.factories import MembershipFactory as Membership
from civitas.testing.signin import sign_in

pytestmark = pytest.mark.django_db
User = get_user_model()


def register_data(client, *, seconds_ago=60, **changes):
    """The form as a person sends it, ``seconds_ago`` after opening it."""
    assert client.get(reverse("accounts:register")).status_code == 200
    started = signing.dumps(time.time() - seconds_ago, salt=account_forms.FORM_SALT)
    data = {"display_name": "Гражданин от Анево", "email": "Citizen@Example.org", "password": "Sopot-Anevo-2014!",
            "accepted_terms": "on", "website": "", "started": started}  # fmt: skip
    data.update(changes)
    return data


def register(client, *, meta: dict | None = None, **changes):
    """Send the registration form (``meta``: the request's headers); its e-mails go out as the
    transaction commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("accounts:register"), register_data(client, **changes), **(meta or {}))


def confirm(client, link, password="Sopot-Anevo-2014!"):
    """Open a confirmation link and confirm with ``password`` (the one registered with)."""
    assert client.get(link).status_code in (200, 400)
    return client.post(link, {"password": password})


def test_register_verify_and_sign_in(client):
    response = register(client)
    assert response.status_code == 200 and "citizen@example.org" in response.content.decode()
    user = User.objects.get(email="citizen@example.org")
    assert not user.is_active
    assert Profile.objects.get(user=user).display_name == "Гражданин от Анево"
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    page = client.get(link)
    assert page.status_code == 200 and not User.objects.get(pk=user.pk).is_active  # opening is not confirming
    assert confirm(client, link).status_code == 302
    user.refresh_from_db()
    assert user.is_active and user.profile.email_verified_at is not None
    response = client.post(
        reverse("accounts:login"), {"username": "citizen@example.org", "password": "Sopot-Anevo-2014!"}
    )
    assert response.status_code == 302


def test_an_unconfirmed_address_can_register_again_and_older_links_die(client):
    """A lost or expired link is no dead end: registering again with the same address replaces the
    password and sends a new link; the first link no longer works (so whoever registered someone
    else's address first cannot have it confirmed with their password)."""
    register(client, password="Natrapnik-Parola-1!")
    first_link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    again = register(client, display_name="Истинският")
    assert again.status_code == 200 and len(mail.outbox) == 2
    assert User.objects.filter(email="citizen@example.org").count() == 1
    assert client.get(first_link).status_code == 400
    assert confirm(client, first_link, "Natrapnik-Parola-1!").status_code == 400
    second_link = re.search(r"http://testserver(/\S+)", mail.outbox[1].body).group(1)
    assert confirm(client, second_link).status_code == 302
    user = User.objects.get(email="citizen@example.org")
    assert user.is_active and user.check_password("Sopot-Anevo-2014!")
    assert not user.check_password("Natrapnik-Parola-1!") and user.profile.display_name == "Истинският"
    # A confirmed address cannot be registered again: its holder is told they have an account.
    taken = register(client, password="Andere-Parola-2026!")
    assert (
        taken.status_code == 200
        and len(mail.outbox) == 3
        and reverse("accounts:login") in mail.outbox[2].body
    )
    assert User.objects.get(email="citizen@example.org").check_password("Sopot-Anevo-2014!")


def test_a_confirmation_link_does_not_reopen_a_closed_account(client):
    register(client)
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    assert confirm(client, link).status_code == 302
    user = User.objects.get(email="citizen@example.org")
    user.is_active = False  # an administrator closed the account
    user.save()
    confirm(client, link)
    user.refresh_from_db()
    assert not user.is_active


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"email": "not-an-address"}, "email"),
        ({"password": "123"}, "password"),
        ({"accepted_terms": ""}, "accepted_terms"),
        ({"display_name": " "}, "display_name"),
    ],
)
def test_bad_registrations_change_nothing(client, changes, field):
    response = client.post(reverse("accounts:register"), register_data(client, **changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not User.objects.exists() and not mail.outbox


def test_an_address_registers_once(client):
    UserFactory(username="citizen@example.org", email="citizen@example.org")
    response = register(client)
    assert response.status_code == 200 and User.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["citizen@example.org"]] and reverse(
        "accounts:login"
    ) in mail.outbox[0].body


def test_robots_are_refused_by_honeypot_and_speed(client):
    response = client.post(reverse("accounts:register"), register_data(client, website="http://spam.example"))
    assert response.status_code == 400
    response = client.post(reverse("accounts:register"), register_data(client, seconds_ago=0))  # sent at once
    assert response.status_code == 400
    assert not User.objects.exists()


def test_registration_flood_from_one_address_is_throttled(client):
    statuses = [
        client.post(
            reverse("accounts:register"), register_data(client, email=f"p{i}@example.org")
        ).status_code
        for i in range(7)
    ]
    assert statuses[:5] == [200] * 5 and statuses[5:] == [429, 429]
    assert User.objects.count() == 5


def test_bad_or_old_verification_links(client):
    assert client.get(reverse("accounts:verify", args=["forged"])).status_code == 400


def test_sign_in_is_throttled_after_repeated_failures(client):
    UserFactory(username="ivan")
    for _ in range(10):
        assert (
            client.post(reverse("accounts:login"), {"username": "ivan", "password": "wrong"}).status_code
            == 200
        )
    response = client.post(
        reverse("accounts:login"), {"username": "ivan", "password": "correct horse battery staple"}
    )
    assert response.status_code == 429


def test_password_reset_sends_a_working_link(client, django_capture_on_commit_callbacks):
    user = UserFactory(username="maria", email="maria@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "maria@example.org"})
    link = re.search(r"https?://testserver(/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Nova-Parola-2026", "new_password2": "Nova-Parola-2026"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nova-Parola-2026")


def test_profile_refuses_an_unknown_language_and_changes_nothing(client):
    user = UserFactory(username="petar", email="petar@example.org")
    sign_in(client, user)
    response = client.post(reverse("accounts:profile"), {"display_name": "Друго име", "language": "xx"})
    assert response.status_code == 400 and "govuk-error-summary" in response.content.decode()
    profile = Profile.objects.get(user=user)
    assert profile.display_name != "Друго име" and profile.language == "bg"


def test_profile_data_download_and_erasure(client):
    user = UserFactory(username="petar", email="petar@example.org")
    sign_in(client, user)
    response = client.post(reverse("accounts:profile"), {"display_name": "Петър", "language": "en"})
    assert response.status_code == 302
    profile = Profile.objects.get(user=user)
    assert profile.display_name == "Петър" and profile.language == "en"
    data = json.loads(client.get(reverse("accounts:data")).content)
    assert data["account"]["email"] == "petar@example.org" and data["profile"]["display_name"] == "Петър"
    assert data["profile"]["language"] == "en"
    assert any(item["action"] == "update_profile" for item in data["activity"])
    assert client.post(reverse("accounts:erase"), {"password": "wrong"}).status_code == 400
    response = client.post(reverse("accounts:erase"), {"password": "correct horse battery staple"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "" and not user.is_active and user.username == f"deleted-{user.pk}"
    assert Profile.objects.get(user=user).display_name == "Изтрит потребител"
    assert AuditEvent.objects.filter(action="erase_account").exists()
    assert not AuditEvent.objects.filter(object_repr__icontains="petar").exists()  # the address is gone


def test_staff_must_hand_over_roles_before_erasure(client):
    member = MembershipFactory(municipality=MunicipalityFactory(), role=Role.PLANNER)
    sign_in(client, member.user)
    response = client.post(reverse("accounts:erase"), {"password": "correct horse battery staple"})
    assert response.status_code == 400
    member.user.refresh_from_db()
    assert member.user.is_active


@pytest.mark.parametrize("name", ["privacy", "terms", "register", "login", "password_reset"])
def test_account_pages_answer(client, name):
    assert client.get(reverse(f"accounts:{name}")).status_code == 200


def test_erasure_removes_forum_posts_on_request_and_keeps_proposals_and_answers(client):
    town = MunicipalityFactory(slug="sopot")
    user = UserFactory(username="petar", email="petar@example.org")
    other = UserFactory(username="maria", email="maria@example.org")
    topic = forum.topic_create(actor=other, municipality=town, title="Велоалея", body="Кога?")
    mine = forum.post_create(actor=user, topic=topic, body="Моят **личен** отговор")
    reply = forum.post_create(actor=other, topic=topic, body="Благодаря", parent=mine)
    kept_response = Response.objects.create(survey=_survey(town), user=user, dedupe_key=f"account:{user.pk}")
    sign_in(client, user)
    response = client.post(
        reverse("accounts:erase"), {"password": "correct horse battery staple", "remove_posts": "on"}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.state == "removed" and mine.body == "" and mine.body_html == ""
    assert Post.objects.get(pk=reply.pk).body == "Благодаря"  # others' replies keep their place
    page = client.get(reverse("forum:topic", args=["sopot", topic.pk])).content.decode()
    assert "личен" not in page and "Благодаря" in page
    assert "премахната по искане на автора" in page
    kept_response.refresh_from_db()
    assert kept_response.user is None and kept_response.dedupe_key == f"account:{user.pk}"
    event = AuditEvent.objects.get(action="remove_posts_on_request")
    assert event.changes == {"posts": [mine.pk]} and "личен" not in str(event.changes)


def test_erasure_without_the_request_keeps_posts_under_deleted_user(client):
    town = MunicipalityFactory(slug="sopot")
    user = UserFactory(username="petar", email="petar@example.org")
    topic = forum.topic_create(actor=user, municipality=town, title="Велоалея", body="Кога ще е готова?")
    sign_in(client, user)
    client.post(reverse("accounts:erase"), {"password": "correct horse battery staple"})
    post = topic.posts.get()
    assert post.state == "visible" and post.body == "Кога ще е готова?"
    assert Profile.objects.get(user=user).display_name == "Изтрит потребител"


def _survey(town):
    return surveys.survey_create(actor=OPERATOR, municipality=town, slug="anketa", title_bg="Анкета")


def test_the_data_download_holds_what_the_person_contributed(client):
    town = MunicipalityFactory(slug="sopot")
    planner = UserFactory(username="planner")
    Membership(user=planner, municipality=town, role=Role.PLANNER)
    user = UserFactory(username="petar", email="petar@example.org")
    topic = forum.topic_create(actor=user, municipality=town, title="Велоалея", body="Кога ще е готова?")
    now = timezone.now()
    consultation = consultations.consultation_create(
        actor=planner, municipality=town, slug="proekt", title_bg="Проект на наредба",
        opens_at=now, closes_at=now + datetime.timedelta(days=30),
    )  # fmt: skip
    consultations.draft_replace_text(actor=planner, consultation=consultation, text_bg="Текст.")
    consultations.consultation_open(actor=planner, consultation=consultation, now=now)
    consultations.proposal_submit(
        actor=user, consultation=consultation, text="Повече пейки", organisation="НПО"
    )
    survey = surveys.survey_create(
        actor=planner, municipality=town, slug="anketa", title_bg="Анкета", status="published",
        access="account", one_response_per="account",
        opens_at=now - datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(days=1),
    )  # fmt: skip
    question = surveys.question_create(actor=planner, survey=survey, kind="short_text", text_bg="Идея?")
    surveys.survey_submit(actor=user, survey=survey, answers={question.pk: "Детска площадка"})
    sign_in(client, user)
    data = json.loads(client.get(reverse("accounts:data")).content)
    assert data["forum"]["topics_started"][0]["title"] == topic.title
    assert data["forum"]["posts"][0]["text"] == "Кога ще е готова?"
    assert data["consultations"]["proposals"][0]["text"] == "Повече пейки"
    assert data["consultations"]["proposals"][0]["organisation"] == "НПО"
    [response] = data["surveys"]["responses"]
    assert response["survey"] == "Анкета" and response["answers"] == [
        {"question": "Идея?", "answer": "Детска площадка", "rank": None}
    ]


def test_one_address_trying_many_accounts_is_throttled(client):
    """Password spraying: a few passwords each against many names, from one address."""
    for n in range(30):
        response = client.post(
            reverse("accounts:login"), {"username": f"user{n}@example.org", "password": "x"}
        )
        assert response.status_code == 200
    response = client.post(reverse("accounts:login"), {"username": "another@example.org", "password": "x"})
    assert response.status_code == 429


def test_password_reset_mails_are_limited(client, django_capture_on_commit_callbacks):
    UserFactory(username="petar", email="petar@example.org")
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:password_reset"), {"email": "petar@example.org"})
        assert response.status_code == 302
    assert client.post(reverse("accounts:password_reset"), {"email": "petar@example.org"}).status_code == 429
    assert len(mail.outbox) == 5


def test_a_password_reset_is_mailed_by_a_task_that_makes_the_link(client, django_capture_on_commit_callbacks):
    """The request queues the account's id only: an unknown address and a known one do the same
    work (no SMTP round trip to time), and no reset link waits in the task queue."""
    UserFactory(username="petar", email="petar@example.org")
    with django_capture_on_commit_callbacks() as queued:
        client.post(reverse("accounts:password_reset"), {"email": "petar@example.org"})
    with django_capture_on_commit_callbacks() as none:
        client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert len(queued) == 1 and none == [] and mail.outbox == []
    queued[0]()
    assert len(mail.outbox) == 1 and "/password-reset/" in mail.outbox[0].body


def test_a_later_registration_by_someone_else_cannot_choose_the_owners_password(client):
    """Registering an unconfirmed address again replaces its password and sends a new link to the
    address; the owner follows the newest link, but confirming asks for the password the
    registration was made with, which the owner does not know: nobody else's password is
    activated, and the owner is told to register with their own (found in review)."""
    register(client)  # the owner, with Sopot-Anevo-2014!
    register(client, password="Natrapnik-Parola-1!")  # someone else, later, with the same address
    newest = re.search(r"http://testserver(/\S+)", mail.outbox[-1].body).group(1)
    refused = confirm(client, "/en" + newest, "Sopot-Anevo-2014!")
    assert refused.status_code == 400 and "register again with your own password" in refused.content.decode()
    assert not User.objects.get(email="citizen@example.org").is_active
    register(client, password="Sobstvena-Parola-2!")  # the owner registers again: their own password
    own = re.search(r"http://testserver(/\S+)", mail.outbox[-1].body).group(1)
    assert confirm(client, newest, "Natrapnik-Parola-1!").status_code == 400  # the other link died
    assert confirm(client, own, "Sobstvena-Parola-2!").status_code == 302
    user = User.objects.get(email="citizen@example.org")
    assert user.is_active and user.check_password("Sobstvena-Parola-2!")


def test_confirmation_attempts_are_limited(client):
    register(client)
    link = re.search(r"http://testserver(/\S+)", mail.outbox[-1].body).group(1)
    statuses = [client.post(link, {"password": f"guess-{n}"}).status_code for n in range(11)]
    assert statuses == [400] * 10 + [429]
