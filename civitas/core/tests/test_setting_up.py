"""Creating a municipality and managing staff roles: the services and the command
``create_municipality`` (docs/setting-up.md). Every refusal is listed, and nothing is created."""

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from civitas.core import services
from civitas.core.models import AuditEvent, Membership, Municipality, Role
from civitas.core.permissions import OPERATOR
from civitas.testing.factories import MembershipFactory, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_creates_a_municipality_with_every_field_and_audits_it():
    out, _err = run(
        "create_municipality", "--slug", "sopot2", "--name-bg", "Община Сопот", "--name-en", "Sopot",
        "--ekatte", "68080", "--nuts", "bg421", "--year-start-month", "4", "--email", "info@sopot.bg",
    )  # fmt: skip
    town = Municipality.objects.get(slug="sopot2")
    assert (town.name_bg, town.name_en, town.ekatte, town.nuts) == ("Община Сопот", "Sopot", "68080", "BG421")
    assert (town.year_start_month, town.email) == (4, "info@sopot.bg")
    assert "/sopot2/" in out
    event = AuditEvent.objects.get(action="create_municipality")
    assert event.municipality == town and event.actor is None  # the operator is nobody


def test_the_command_lists_every_refusal_and_creates_nothing():
    with pytest.raises(CommandError):
        run(
            "create_municipality", "--slug", "Sopot 2", "--name-bg", " ", "--ekatte", "6808",
            "--nuts", "x", "--year-start-month", "13",
        )  # fmt: skip
    assert not Municipality.objects.exists()
    with pytest.raises(ValidationError) as refused:
        services.municipality_create(
            actor=OPERATOR, slug="Sopot 2", name_bg=" ", ekatte="6808", nuts="x", year_start_month=13
        )
    assert set(refused.value.message_dict) == {"slug", "name_bg", "ekatte", "nuts", "year_start_month"}
    assert not AuditEvent.objects.exists()


def test_the_command_says_in_bulgarian_that_the_address_name_is_taken():
    MunicipalityFactory(slug="sopot")
    with translation.override("bg"), pytest.raises(ValidationError) as taken:
        services.municipality_create(actor=OPERATOR, slug="sopot", name_bg="Община Сопот")
    assert taken.value.message_dict["slug"] == ["Вече има община с това адресно име."]
    with translation.override("bg"), pytest.raises(ValidationError) as reserved:
        services.municipality_create(actor=OPERATOR, slug="manage", name_bg="Управление")
    assert reserved.value.message_dict["slug"] == ["Това адресно име е запазено от платформата."]
    assert Municipality.objects.count() == 1


def test_the_refusals_reach_the_commands_error_output():
    MunicipalityFactory(slug="sopot")
    err = StringIO()
    with translation.override("en"), pytest.raises(CommandError):
        call_command(
            "create_municipality", "--slug", "sopot", "--name-bg", "Сопот", stderr=err, stdout=StringIO()
        )
    assert "--slug: A municipality with this address name already exists." in err.getvalue()


def test_only_a_platform_superuser_or_the_operator_creates_a_municipality():
    town = MunicipalityFactory(slug="sopot")
    administrator = MembershipFactory(municipality=town, role=Role.ADMINISTRATOR).user
    with pytest.raises(PermissionDenied):
        services.municipality_create(actor=administrator, slug="karlovo", name_bg="Карлово")
    superuser = UserFactory(is_superuser=True)
    assert services.municipality_create(actor=superuser, slug="karlovo", name_bg="Карлово").pk
    assert AuditEvent.objects.get(action="create_municipality").actor == superuser


def test_revoking_a_role_is_recorded_and_the_last_administrator_stays():
    town = MunicipalityFactory(slug="sopot")
    admin = MembershipFactory(municipality=town, role=Role.ADMINISTRATOR)
    verifier = MembershipFactory(municipality=town, role=Role.VERIFIER)
    services.membership_revoke(actor=OPERATOR, membership=verifier)
    assert not Membership.objects.filter(pk=verifier.pk).exists()
    event = AuditEvent.objects.get(action="revoke_role")
    assert event.changes == {"user": verifier.user_id, "role": "verifier"}
    with translation.override("en"), pytest.raises(ValidationError) as last:
        services.membership_revoke(actor=OPERATOR, membership=admin)
    assert "last administrator" in last.value.messages[0]
    with pytest.raises(ValidationError):
        services.membership_change(actor=OPERATOR, membership=admin, role=Role.PLANNER)
    assert Membership.objects.filter(pk=admin.pk, role=Role.ADMINISTRATOR).exists()
    # With a second administrator, the first may go.
    MembershipFactory(municipality=town, role=Role.ADMINISTRATOR)
    services.membership_revoke(actor=OPERATOR, membership=admin)
    assert Membership.objects.filter(municipality=town, role=Role.ADMINISTRATOR).count() == 1


def test_changing_a_role_replaces_it_and_is_recorded():
    town = MunicipalityFactory(slug="sopot")
    MembershipFactory(municipality=town, role=Role.ADMINISTRATOR)
    verifier = MembershipFactory(municipality=town, role=Role.VERIFIER)
    new = services.membership_change(actor=OPERATOR, membership=verifier, role=Role.PLANNER)
    assert list(Membership.objects.filter(user=verifier.user).values_list("role", flat=True)) == ["planner"]
    assert new.role == Role.PLANNER
    assert AuditEvent.objects.get(action="change_role").changes["role"] == ["verifier", "planner"]
    with pytest.raises(ValidationError):
        services.membership_change(actor=OPERATOR, membership=new, role="mayor")
