"""Staff and superusers sign in with a second factor (authenticator app or recovery code); without
it their session is sent to the code step from every staff page and from Django's admin."""

import re
import time
from base64 import b32decode

import pytest
from django.core import mail, signing
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from civitas.accounts import services, twofactor
from civitas.accounts.links import sign_in_link_token
from civitas.accounts.models import SignInLink
from civitas.core import second_factor
from civitas.core.models import Role
from civitas.testing.factories import MembershipFactory, MunicipalityFactory, PlanFactory, UserFactory
from civitas.testing.signin import sign_in

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"  # UserFactory's


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot")


@pytest.fixture
def planner(town):
    return MembershipFactory(municipality=town, role=Role.PLANNER, user=UserFactory(username="planner")).user


@pytest.fixture
def root():
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def authenticator(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def password_step(client, username, next_url="/sopot/manage/", **extra):
    return client.post(
        f"{reverse('accounts:login')}?next={next_url}", {"username": username, "password": PASSWORD}, **extra
    )


STAFF_PAGES = [
    "/sopot/manage/",  # manage.views.staff_view
    "/sopot/manage/indicators/data/",  # indicators.manage_views: staff_view
    "/sopot/manage/surveys/",
    "/sopot/manage/consultations/",
    "/sopot/manage/moderation/",  # forum: require() in the view
]


@pytest.fixture
def administrator(town):
    return MembershipFactory(
        municipality=town, role=Role.ADMINISTRATOR, user=UserFactory(username="chief")
    ).user


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_an_unverified_staff_session_is_sent_to_the_code_step(client, administrator, path):
    client.force_login(administrator)  # signed in, second factor not passed
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:second_factor") + "?next=")


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_a_verified_staff_session_gets_in(client, administrator, path):
    sign_in(client, administrator)
    assert client.get(path).status_code == 200


def test_an_unverified_session_sees_no_drafts_and_no_back_office_link(client, planner, town):
    PlanFactory(municipality=town, slug="draft", status="draft")
    client.force_login(planner)
    assert client.get("/sopot/plans/draft/").status_code == 404
    sign_in(client, planner)
    assert client.get("/sopot/plans/draft/").status_code == 200


def test_the_admin_needs_a_verified_superuser(client, root):
    authenticator(root)
    client.force_login(root)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:second_factor"))
    sign_in(client, root)
    assert client.get("/admin/").status_code == 200


def test_the_admins_sign_in_is_civitas_sign_in(client, root):
    response = client.get("/admin/login/?next=/admin/plans/plan/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    # The admin's own form no longer checks passwords: a POST signs nobody in.
    response = client.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" not in client.session
    # Through the sign-in page the admin's login is throttled like any other.
    for _ in range(10):
        client.post(reverse("accounts:login"), {"username": "root", "password": "wrong"})
    assert password_step(client, "root", "/admin/").status_code == 429


def test_first_sign_in_of_staff_sets_up_an_authenticator_and_shows_recovery_codes(client, planner):
    response = password_step(client, "planner")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:second_factor")
    assert "_auth_user_id" not in client.session  # the password alone signs nobody in
    assert client.get("/sopot/manage/").status_code == 302
    response = client.get(reverse("accounts:second_factor"))
    assert response["Location"] == reverse("accounts:second_factor_enrol")
    enrolment = client.get(response["Location"])
    assert "no-store" in enrolment["Cache-Control"]  # the secret stays out of caches
    page = enrolment.content.decode()
    assert "<svg" in page and "otpauth" not in page  # the QR code is drawn inline
    device = TOTPDevice.objects.get(user=planner, confirmed=False)
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1)

    assert b32decode(secret.replace(" ", "")) == device.bin_key
    wrong = client.post(
        reverse("accounts:second_factor_enrol"),
        {"code": "000000" if code_of(device) != "000000" else "111111"},
    )
    assert wrong.status_code == 400 and "_auth_user_id" not in client.session
    device.refresh_from_db()
    device.throttle_reset()  # the device waits a second after a failure; the test does not
    response = client.post(reverse("accounts:second_factor_enrol"), {"code": code_of(device)})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(codes) == 10 and StaticToken.objects.filter(device__user=planner).count() == 10
    assert client.session["_auth_user_id"] == str(planner.pk)
    assert client.session[second_factor.SESSION_KEY] == planner.pk
    assert client.get("/sopot/manage/").status_code == 200


def test_the_code_step_takes_the_apps_code(client, planner):
    device = authenticator(planner)
    response = password_step(client, "planner")
    assert client.get(response["Location"]).status_code == 200  # the code step, not enrolment
    response = client.post(reverse("accounts:second_factor"), {"code": code_of(device)})
    assert response.status_code == 302 and response["Location"] == "/sopot/manage/"
    assert client.get("/sopot/manage/").status_code == 200


def test_a_recovery_code_works_once(client, planner):
    authenticator(planner)

    first, *_rest = twofactor.recovery_codes_regenerate(user=planner)
    password_step(client, "planner")
    response = client.post(reverse("accounts:second_factor"), {"code": first.upper()[:4] + "-" + first[4:]})
    assert response.status_code == 302 and client.get("/sopot/manage/").status_code == 200
    assert twofactor.recovery_codes_left(planner) == 9
    client.logout()
    password_step(client, "planner")
    response = client.post(reverse("accounts:second_factor"), {"code": first})
    assert response.status_code == 400 and "_auth_user_id" not in client.session


def test_wrong_codes_are_throttled_per_account_and_per_address(client, planner, town):
    device = authenticator(planner)
    password_step(client, "planner")
    wrong = "000000" if code_of(device) != "000000" else "111111"
    for _ in range(5):
        assert client.post(reverse("accounts:second_factor"), {"code": wrong}).status_code == 400
    device.refresh_from_db()
    device.throttle_reset()
    assert client.post(reverse("accounts:second_factor"), {"code": code_of(device)}).status_code == 429
    assert "_auth_user_id" not in client.session
    # From one address, many accounts: the address is limited too.
    others = []
    for n in range(4):
        user = MembershipFactory(
            municipality=town, role=Role.VERIFIER, user=UserFactory(username=f"v{n}")
        ).user
        authenticator(user)
        others.append(user)
    statuses = []
    for user in others:
        other = type(client)()
        password_step(other, user.username)
        statuses += [
            other.post(reverse("accounts:second_factor"), {"code": "abcdefgh"}).status_code for _ in range(5)
        ]
    assert statuses[:15] == [400] * 15 and set(statuses[15:]) == {429}


def test_citizens_are_not_asked_for_a_code(client):
    UserFactory(username="citizen@example.org")
    response = client.post(
        reverse("accounts:login"), {"username": "citizen@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("portal:root")
    assert "_auth_user_id" in client.session


def test_a_citizen_made_staff_later_is_asked_for_the_second_factor(client, town):
    citizen = UserFactory(username="later")
    sign_in(client, citizen)
    MembershipFactory(municipality=town, role=Role.PLANNER, user=citizen)
    response = client.get("/sopot/manage/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:second_factor"))
    # Setting up an authenticator asks for the password again, not only the older session.
    response = client.get(response["Location"])
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_account_page_shows_recovery_codes_left_and_makes_new_ones_after_a_code(client, planner):
    device = authenticator(planner)
    old = twofactor.recovery_codes_regenerate(user=planner)
    sign_in(client, planner)  # uses one code of its own
    assert "10" in client.get(reverse("accounts:profile")).content.decode()
    refused = client.post(reverse("accounts:two_factor"), {"code": "", "action": "regenerate"})
    assert refused.status_code == 400 and StaticToken.objects.filter(token=old[0]).exists()
    response = client.post(reverse("accounts:two_factor"), {"code": code_of(device), "action": "regenerate"})
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(codes) == 10 and not StaticToken.objects.filter(token=old[0]).exists()


def test_replacing_the_authenticator_needs_a_fresh_code_and_the_new_apps_code(client, planner):
    old = authenticator(planner)
    codes = twofactor.recovery_codes_regenerate(user=planner)
    sign_in(client, planner)
    assert client.get(reverse("accounts:two_factor_replace")).status_code == 302  # no fresh code yet
    response = client.post(reverse("accounts:two_factor"), {"code": codes[0], "action": "replace"})
    assert response["Location"] == reverse("accounts:two_factor_replace")
    assert client.get(response["Location"]).status_code == 200
    new = TOTPDevice.objects.get(user=planner, confirmed=False)
    response = client.post(reverse("accounts:two_factor_replace"), {"code": code_of(new)})
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=planner).values_list("pk", "confirmed")) == [(new.pk, True)]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


# The e-mailed sign-in link (finding 3: a name's failures do not lock its owner out) -------------


@pytest.fixture
def send_link(client, django_capture_on_commit_callbacks):
    """Ask for a sign-in link and run the work queued after the commit (the e-mail task)."""

    def send(name, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("accounts:sign_in_link_send"), {"username": name}, **extra)

    return send


def test_an_attackers_failures_do_not_keep_the_owner_out(client, planner, send_link):
    device = authenticator(planner)
    attacker = type(client)()
    for n in range(30):  # from many addresses, so that no per-address limit stops them first
        attacker.post(
            reverse("accounts:login"),
            {"username": "planner", "password": f"guess{n}"},
            REMOTE_ADDR=f"10.0.0.{n}",
        )
    # From the owner's own address the password is not checked now, but a link is offered.
    response = password_step(client, "planner", REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    assert reverse("accounts:sign_in_link_send") in response.content.decode()
    response = send_link("planner", REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 200 and mail.outbox[-1].to == [planner.email]
    link = re.search(r"http://testserver(/\S+)", mail.outbox[-1].body).group(1)
    assert client.get(link).status_code == 200  # opening it (or a mail scanner) uses nothing up
    response = client.post(link)
    # Staff: the link replaces the password only; the second factor is still asked.
    assert response["Location"] == reverse("accounts:second_factor") and "_auth_user_id" not in client.session
    client.post(reverse("accounts:second_factor"), {"code": code_of(device)})
    assert client.get("/sopot/manage/").status_code == 200
    # The link works once.
    client.logout()
    assert client.post(link).status_code == 400 and "_auth_user_id" not in client.session


def test_a_citizen_signs_in_with_the_link_and_unknown_names_get_the_same_answer(client, send_link):
    citizen = UserFactory(username="maria@example.org", email="maria@example.org")
    unknown = send_link("nobody@example.org")
    known = send_link("Maria@example.org")
    assert unknown.status_code == known.status_code == 200

    def text(response):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())

    assert text(unknown) == text(known)
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    response = client.post(link)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(citizen.pk)


def test_a_forged_or_old_link_signs_nobody_in(client, monkeypatch, send_link):
    UserFactory(username="maria@example.org")
    assert client.post(reverse("accounts:sign_in_link", args=["forged"])).status_code == 400
    send_link("maria@example.org")
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    token = link.rstrip("/").rsplit("/", 1)[1]
    data = signing.loads(token, salt="civitas.accounts.sign-in-link")
    other = "y" if data["s"].startswith("x") else "x"  # a secret that differs (1 in 64 begins with x)
    tampered = signing.dumps(
        {"l": data["l"], "s": other + data["s"][1:]}, salt="civitas.accounts.sign-in-link"
    )
    assert client.post(reverse("accounts:sign_in_link", args=[tampered])).status_code == 400

    later = time.time() + 16 * 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert client.post(link).status_code == 400 and "_auth_user_id" not in client.session


def test_sign_in_links_are_limited_per_address_and_per_account(client, send_link):
    UserFactory(username="maria@example.org", email="maria@example.org")
    # Per account: the fourth in an hour is not sent, and the page does not say so (a 429 here
    # would tell that a name and an address are one account).
    statuses = [send_link("maria@example.org", REMOTE_ADDR=f"10.1.0.{n}").status_code for n in range(4)]
    assert statuses == [200, 200, 200, 200] and len(mail.outbox) == 3
    statuses = [send_link(f"u{n}@example.org").status_code for n in range(6)]
    assert statuses == [200] * 5 + [429]


def test_a_link_is_mailed_by_a_task_that_makes_it(client, django_capture_on_commit_callbacks):
    """The request queues the account's id only: a known and an unknown name do the same work (no
    SMTP round trip to time), and no link waits in the task queue."""
    UserFactory(username="maria@example.org", email="maria@example.org")
    with django_capture_on_commit_callbacks() as queued:
        client.post(reverse("accounts:sign_in_link_send"), {"username": "maria@example.org"})
    with django_capture_on_commit_callbacks() as none:
        client.post(reverse("accounts:sign_in_link_send"), {"username": "nobody@example.org"})
    assert len(queued) == 1 and none == [] and mail.outbox == []
    queued[0]()
    assert len(mail.outbox) == 1 and "/accounts/" in mail.outbox[0].body


def test_another_spelling_of_a_name_counts_for_the_same_name(client, planner):
    """Sign-in looks names up in NFKC (fullwidth ｐｌａｎｎｅｒ is planner), so the limits do too."""
    spellings = ["planner", "ｐlanner", "pｌanner", "plａnner", "plaｎner", "planｎer"]
    for n in range(30):
        client.post(
            reverse("accounts:login"),
            {"username": spellings[n % len(spellings)], "password": f"guess{n}"},
            REMOTE_ADDR=f"10.2.0.{n}",
        )
    response = client.post(
        reverse("accounts:login"),
        {"username": "ｐｌａｎｎｅｒ", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.9",
    )
    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_erasing_an_account_removes_its_authenticators_and_links(client):
    former_staff = UserFactory(username="former")
    authenticator(former_staff)
    twofactor.recovery_codes_regenerate(user=former_staff)
    sign_in_link_token(former_staff)
    services.account_erase(actor=former_staff, user=former_staff, password=PASSWORD, remove_posts=False)
    assert not TOTPDevice.objects.filter(user=former_staff).exists()
    assert not StaticToken.objects.filter(device__user=former_staff).exists()
    assert not SignInLink.objects.filter(user=former_staff).exists()


def test_one_clients_failures_leave_the_owners_password_sign_in_alone(client, planner):
    attacker = type(client)()
    for n in range(11):
        attacker.post(
            reverse("accounts:login"),
            {"username": "planner", "password": f"guess{n}"},
            REMOTE_ADDR="10.9.9.9",
        )
    assert password_step(attacker, "planner", REMOTE_ADDR="10.9.9.9").status_code == 429
    response = password_step(client, "planner", REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:second_factor")
