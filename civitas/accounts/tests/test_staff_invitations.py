"""Staff accounts given by e-mail address (``services.staff_invite`` and the command
``create_staff``): an account is made or found, the role given, and an invitation with a one-time
link to set a password e-mailed; never a password. Nothing changes on a refusal."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from civitas.accounts import services
from civitas.accounts.models import Profile
from civitas.core.models import AuditEvent, Membership, Role
from civitas.core.permissions import OPERATOR
from civitas.testing.factories import MembershipFactory, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot", name_bg="Община Сопот", name_en="Sopot Municipality")


def create_staff(*args, capture) -> str:
    out = StringIO()
    with capture(execute=True):
        call_command("create_staff", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def invitation_link(message) -> str:
    return next(line for line in message.body.splitlines() if "/password-reset/" in line).strip()


def test_the_command_makes_the_account_gives_the_role_and_mails_a_link_to_set_the_password(
    town, client, django_capture_on_commit_callbacks
):
    out = create_staff(
        "--municipality", "sopot", "--email", "Maria@Sopot.bg", "--role", "planner", "--name", "Мария",
        capture=django_capture_on_commit_callbacks,
    )  # fmt: skip
    user = User.objects.get(email="maria@sopot.bg")
    assert user.username == "maria@sopot.bg" and user.is_active and not user.has_usable_password()
    assert Profile.objects.get(user=user).display_name == "Мария"
    assert Membership.objects.filter(user=user, municipality=town, role=Role.PLANNER).exists()
    assert {"create_staff_account", "grant_role"} <= set(AuditEvent.objects.values_list("action", flat=True))
    assert "maria@sopot.bg" in out
    [message] = mail.outbox
    assert message.to == ["maria@sopot.bg"]
    assert "Община Сопот" in message.subject  # in Bulgarian, the default language
    # The link sets a password once; then the account signs in with it.
    link = invitation_link(message)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a long new password 42", "new_password2": "a long new password 42"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a long new password 42")
    again = client.get("/" + path, follow=True)
    assert "a long new password 42" not in again.content.decode()
    assert not again.context["validlink"]


def test_no_password_is_ever_mailed(town, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "a typed secret password 7")
    create_staff(
        "--municipality", "sopot", "--email", "ivan@sopot.bg", "--role", "verifier", "--password", "--invite",
        capture=django_capture_on_commit_callbacks,
    )  # fmt: skip
    user = User.objects.get(email="ivan@sopot.bg")
    assert user.check_password("a typed secret password 7")
    [message] = mail.outbox
    assert "a typed secret password 7" not in message.body
    assert "/password-reset/" not in message.body  # has a password: told where to sign in instead


def test_with_a_password_and_without_invite_nothing_is_mailed(
    town, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "a typed secret password 7")
    create_staff(
        "--municipality", "sopot", "--email", "ivan@sopot.bg", "--role", "verifier", "--password",
        capture=django_capture_on_commit_callbacks,
    )  # fmt: skip
    assert mail.outbox == []


def test_an_existing_account_is_reused_by_its_address(town, django_capture_on_commit_callbacks):
    person = UserFactory(username="petya", email="petya@sopot.bg")
    create_staff(
        "--municipality", "sopot", "--email", "PETYA@sopot.bg", "--role", "verifier",
        capture=django_capture_on_commit_callbacks,
    )  # fmt: skip
    assert User.objects.filter(email__iexact="petya@sopot.bg").count() == 1
    assert Membership.objects.filter(user=person, role=Role.VERIFIER).exists()
    person.refresh_from_db()
    assert person.check_password("correct horse battery staple")  # unchanged
    [message] = mail.outbox
    assert "petya" in message.body and "/password-reset/" not in message.body


def test_an_unconfirmed_registration_of_the_address_loses_its_password(
    town, django_capture_on_commit_callbacks
):
    squatter = User.objects.create_user("x@sopot.bg", "x@sopot.bg", "squatters password 1", is_active=False)
    Profile.objects.create(user=squatter, display_name="X")
    create_staff(
        "--municipality", "sopot", "--email", "x@sopot.bg", "--role", "administrator",
        capture=django_capture_on_commit_callbacks,
    )  # fmt: skip
    squatter.refresh_from_db()
    assert squatter.is_active and not squatter.has_usable_password()
    assert "/password-reset/" in mail.outbox[0].body


def test_refusals_change_nothing(town):
    closed = UserFactory(username="closed", email="closed@sopot.bg", is_active=False)
    Profile.objects.create(user=closed, display_name="C", email_verified_at="2024-01-01T00:00Z")
    before = (User.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
    for email in ("not an address", "closed@sopot.bg"):
        with pytest.raises(CommandError):
            call_command(
                "create_staff", "--municipality", "sopot", "--email", email, "--role", "planner",
                stdout=StringIO(), stderr=StringIO(),
            )  # fmt: skip
    with pytest.raises(CommandError):
        call_command(
            "create_staff", "--municipality", "nowhere", "--email", "a@b.bg", "--role", "planner",
            stdout=StringIO(), stderr=StringIO(),
        )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.staff_invite(
            actor=OPERATOR, municipality=town, email="a@b.bg", role="mayor", password="short"
        )
    assert set(refused.value.message_dict) == {"role", "password"}
    assert (User.objects.count(), Membership.objects.count(), AuditEvent.objects.count()) == before
    assert mail.outbox == []


def test_the_refusal_is_in_bulgarian(town):
    err = StringIO()
    with translation.override("bg"), pytest.raises(CommandError):
        call_command(
            "create_staff", "--municipality", "sopot", "--email", "not an address", "--role", "planner",
            stdout=StringIO(), stderr=err,
        )  # fmt: skip
    assert "--email: Въведете валиден адрес на електронна поща." in err.getvalue()


def test_an_administrator_invites_only_in_their_own_municipality(town):
    other = MunicipalityFactory(slug="karlovo")
    admin = MembershipFactory(municipality=other, role=Role.ADMINISTRATOR).user
    with pytest.raises(PermissionDenied):
        services.staff_invite(actor=admin, municipality=town, email="a@b.bg", role=Role.PLANNER)
    assert not User.objects.filter(email="a@b.bg").exists()
