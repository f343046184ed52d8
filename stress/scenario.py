"""The data the load and the faults need, in the run's own database (Django set up): the survey of
``bench.surveys`` with an invitation code per response, a plan whose indicators give every writer
periods of its own, staff signed in with the second factor passed, API tokens, and a measurements
file large enough to be imported by a background task."""

import csv
import io
import secrets

from bench.surveys import MUNICIPALITY, create_data

FIRST_YEAR, LAST_YEAR = 2000, 2024  # the plan's years: every period has ended
YEARS = LAST_YEAR - FIRST_YEAR + 1


def _session(user) -> str:
    """A session of ``user`` that has passed the second factor, as the sign-in pages leave it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from civitas.core import second_factor

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[second_factor.SESSION_KEY] = user.pk
    store.create()
    assert store.session_key is not None
    return store.session_key


def _indicators(plan, element, owner, prefix: str, count: int) -> list:
    from civitas.indicators.models import Indicator

    return Indicator.objects.bulk_create(
        Indicator(
            municipality=plan.municipality, element=element, owner=owner, code=f"{prefix}{i:04d}",
            name_bg=f"Индикатор {prefix}{i}", name_en=f"Indicator {prefix}{i}", type="result",
            unit_bg="брой", unit_en="number", measure="number", direction="increase",
            accumulation="per_period", frequency="annual", position=i,
        )
        for i in range(count)
    )  # fmt: skip


def create(*, codes: int, staff: int, api_clients: int, slots_each: int, import_rows: int) -> dict:
    """Everything the locustfile and the faults need, as JSON-ready data."""
    from django.contrib.auth import get_user_model

    from civitas.accounts import services as account_services
    from civitas.core.models import Membership, Municipality, Role
    from civitas.indicators.models import Indicator
    from civitas.plans.models import Plan, PlanElement
    from civitas.surveys.models import Question

    surveys = create_data(codes, 1)
    municipality = Municipality.objects.get(slug=MUNICIPALITY)
    plan = Plan.objects.create(
        municipality=municipality, slug="stress", kind="development_plan", title_bg="План за натоварване",
        title_en="Load plan", period_start=FIRST_YEAR, period_end=LAST_YEAR, status="adopted",
        level_names=[{"bg": "Цел", "en": "Goal"}],
    )  # fmt: skip
    element = PlanElement.objects.create(plan=plan, code="SG1", title_bg="Цел", title_en="Goal", position=1)
    users = get_user_model().objects

    def member(name: str):
        user = users.create_user(
            username=name, email=f"{name}@example.org", password=secrets.token_urlsafe(16)
        )
        Membership.objects.create(user=user, municipality=municipality, role=Role.INDICATOR_OWNER)
        return user

    per_writer = -(-slots_each // YEARS)  # indicators, so that each writer has slots_each periods

    def slots(indicators, key) -> list:
        return [[key(i), year] for i in indicators for year in range(FIRST_YEAR, LAST_YEAR + 1)][:slots_each]

    staff_pool = []
    for n in range(staff):
        user = member(f"stress-staff-{n}")
        own = _indicators(plan, element, user, f"S{n}-", per_writer)
        staff_pool.append({"session": _session(user), "slots": slots(own, lambda i: i.code)})
    api_pool = []
    for n in range(api_clients):
        user = member(f"stress-api-{n}")
        own = _indicators(plan, element, user, f"A{n}-", per_writer)
        token = account_services.api_token_create(actor=user, name="load").secret
        api_pool.append(
            {"token": token, "slots": slots(Indicator.objects.filter(owner=user), lambda i: i.pk)}
        )
    importer = member("stress-importer")
    imported = _indicators(plan, element, importer, "IMP", -(-import_rows // YEARS))
    uploader = member("stress-uploader")
    (upload_indicator,) = _indicators(plan, element, uploader, "UP", 1)

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["indicator_code", "period", "value", "comment"])
    rows = [(i.code, year) for i in imported for year in range(FIRST_YEAR, LAST_YEAR + 1)][:import_rows]
    for n, (code, year) in enumerate(rows):
        writer.writerow([code, year, n % 997 + 1, f"import-{n}"])

    main = surveys["main"]
    short_text = Question.objects.get(survey_id=main["id"], kind="short_text", condition_option__isnull=True)
    indicator = Indicator.objects.filter(municipality=municipality).order_by("pk").first()
    assert indicator is not None
    return {
        "municipality": MUNICIPALITY,
        "plan": plan.slug,
        "survey": {
            "id": main["id"], "path": main["path"], "fields": main["fields"], "codes": main["codes"],
            "marker_field": f"q{short_text.pk}", "marker_question": short_text.pk,
        },
        "staff": staff_pool,
        "api": api_pool,
        "import": {"session": _session(importer), "csv": out.getvalue(), "rows": len(rows), "prefix": "IMP"},
        "upload": {"session": _session(uploader), "code": upload_indicator.code, "indicator": upload_indicator.pk},
        "manage_indicators": f"/{MUNICIPALITY}/manage/indicators/",
        "any_indicator": indicator.pk,
        "pages": [
            ["home", f"/{MUNICIPALITY}/"],
            ["plan", f"/{MUNICIPALITY}/plans/{plan.slug}/"],
            ["indicator", f"/{MUNICIPALITY}/indicators/{indicator.code}/"],
            ["projects", f"/{MUNICIPALITY}/projects/"],
            ["survey", main["path"]],
            ["home (English)", f"/en/{MUNICIPALITY}/"],
        ],
        "api_lists": [
            ["municipalities", "/api/v1/municipalities"],
            ["plans", f"/api/v1/plans?municipality={MUNICIPALITY}"],
            ["indicators", f"/api/v1/indicators?municipality={MUNICIPALITY}"],
            ["projects", f"/api/v1/projects?municipality={MUNICIPALITY}"],
            ["surveys", f"/api/v1/surveys?municipality={MUNICIPALITY}"],
        ],
    }  # fmt: skip
