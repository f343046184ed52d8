"""Loading the Sopot demo through the same code paths staff use. Loading twice changes nothing.

The plans (with their goals, projects, budgets and activities) are plan files in ``data/``,
imported by the plan-file importer (``planfiles.imports``) and so through the plan and project
services; a plan whose address name exists is left as it is. The municipality is created when its
slug is missing, accounts when their username is missing, and the indicators and the forum check
what exists before they write; the sample projects get activities, a photo and a document
(project_media) unless they have some.
"""

from base64 import b32decode
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from civitas.core.models import Membership, Municipality
from civitas.core.permissions import OPERATOR
from civitas.core.services import membership_grant, municipality_create
from civitas.planfiles import planfile
from civitas.planfiles.imports import PlanImportError, planfile_import
from civitas.plans.models import Plan

from . import sopot
from .consultations import load_consultations
from .council import load_decisions
from .evaluations import load_evaluations
from .forum import CITIZENS, load_forum
from .indicators import load_indicators
from .piro import load_piro
from .project_media import load_project_media
from .publicity import load_publicity
from .reports import load_reports
from .surveys import load_surveys
from .versions import load_plan_versions

DATA = Path(__file__).resolve().parent / "data"


class DemoDataError(Exception):
    """A demo plan file does not import: a bug in the demo data, with every error listed."""


def demo_municipality() -> Municipality:
    existing = Municipality.objects.filter(slug=sopot.SOPOT["slug"]).first()
    return existing or municipality_create(actor=OPERATOR, **sopot.SOPOT)


def load_plan_file(municipality: Municipality, name: str) -> Plan:
    """Import one demo plan file unless the municipality has its plan already."""
    data = (DATA / name).read_bytes()
    checked, issues = planfile.load(data, name)
    if issues or checked is None:
        raise DemoDataError("\n".join([f"{name}:"] + [str(issue) for issue in issues]))
    existing = Plan.objects.filter(municipality=municipality, slug=checked.plan["slug"]).first()
    if existing is not None:
        return existing
    try:
        # replace=True: projects of the file that exist already (e.g. after the plan was deleted
        # in the back office) are taken back into the plan instead of refusing the file.
        return planfile_import(
            actor=OPERATOR, municipality=municipality, data=data, name=name, replace=True
        ).plan
    except PlanImportError as error:
        raise DemoDataError("\n".join([f"{name}:"] + [str(issue) for issue in error.issues])) from None


def load_plans(municipality: Municipality) -> list[Plan]:
    return [load_plan_file(municipality, name) for name in sopot.PLAN_FILES]


def demo_authenticator(user) -> None:
    """The demo key as the user's authenticator, unless they have one (demo data only)."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        key = b32decode(sopot.DEMO_TOTP_SECRET).hex()
        TOTPDevice.objects.create(user=user, name="authenticator", key=key, confirmed=True)


def demo_code() -> str:
    """The current six-digit code of the demo authenticator key."""
    return f"{totp(b32decode(sopot.DEMO_TOTP_SECRET)):06d}"


def load_accounts(municipality: Municipality) -> None:
    users = get_user_model()
    for username, role, first, last in sopot.DEMO_ACCOUNTS:
        user = users.objects.filter(username=username).first()
        if user is None:
            user = users.objects.create_user(
                username=username, password=sopot.DEMO_PASSWORD, first_name=first, last_name=last,
                email=f"{username}@sopot.example",
            )  # fmt: skip
        if not Membership.objects.filter(user=user, municipality=municipality, role=role).exists():
            membership_grant(actor=OPERATOR, user=user, municipality=municipality, role=role)
        demo_authenticator(user)
    admin = users.objects.filter(username="admin").first()
    if admin is None:
        admin = users.objects.create_superuser("admin", "admin@civitas.example", sopot.DEMO_PASSWORD)
    demo_authenticator(admin)


@transaction.atomic
def demo_load() -> Municipality:
    municipality = demo_municipality()
    load_plans(municipality)
    load_decisions(municipality)
    load_accounts(municipality)
    load_indicators(municipality)
    load_piro(municipality)
    load_plan_versions(municipality)
    load_project_media(municipality)
    load_forum(municipality)
    load_surveys(municipality)
    load_consultations(municipality)
    load_evaluations(municipality)
    load_publicity(municipality)
    load_reports(municipality)
    return municipality


def accounts_table() -> list[tuple[str, str, str]]:
    """(username, role, password) of every demo account; reads nothing from the database."""
    return (
        [(username, role, sopot.DEMO_PASSWORD) for username, role, *_rest in sopot.DEMO_ACCOUNTS]
        + [("admin", "platform superuser", sopot.DEMO_PASSWORD)]
        + [(email, "citizen", sopot.DEMO_PASSWORD) for email, _name in CITIZENS]
    )
