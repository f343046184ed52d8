"""Loading the Sopot demo through the same services staff use. Loading twice changes nothing:
each part is created only when it is missing (municipality by slug, plans by slug, projects by
code, accounts by username)."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from civitas.core.models import Membership, Municipality
from civitas.core.services import membership_grant, municipality_create
from civitas.plans import services as plan_services
from civitas.plans.models import Plan
from civitas.projects import services as project_services
from civitas.projects.models import Project

from . import data

VISION_BG = (
    "Община Сопот – привлекателно място за живот, работа и отдих, с конкурентоспособна икономика, основана на "
    "туризма и местните производства, опазена околна среда и ефективна администрация. "
    "(Примерен текст: прессъобщението посочва, че визията е изградена, но не цитира нейния текст.)"
)
VISION_EN = (
    "Sopot Municipality – an attractive place to live, work and rest, with a competitive economy based on tourism "
    "and local industry, a protected environment and an effective administration. "
    "(Sample text: the press release says the vision was built but does not quote it.)"
)


def _date(text):
    return datetime.date.fromisoformat(text) if text else None


def demo_municipality() -> Municipality:
    existing = Municipality.objects.filter(slug=data.SOPOT["slug"]).first()
    return existing or municipality_create(**data.SOPOT)


def _plan(municipality, *, slug, **fields) -> tuple[Plan, bool]:
    existing = Plan.objects.filter(municipality=municipality, slug=slug).first()
    if existing:
        return existing, False
    return plan_services.plan_create(actor=None, municipality=municipality, slug=slug, **fields), True


def load_development_plan(municipality) -> Plan:
    plan, created = _plan(
        municipality,
        slug="opr-2014-2020",
        kind="development_plan",
        title_bg="Общински план за развитие на община Сопот 2014–2020г.",
        title_en="Municipal Development Plan of Sopot municipality 2014–2020",
        period_start=2014,
        period_end=2020,
        status="implementation",
        vision_bg=VISION_BG,
        vision_en=VISION_EN,
        description_bg="Разработен от екип от експерти и приет от Общински съвет – Сопот след проведените анкетни "
        "проучвания, дискуссионен форум и обществено обсъждане на проекта за ОПР 2014–2020.",
        description_en="Developed by a team of experts and adopted by the Municipal Council of Sopot after surveys, "
        "a discussion forum and a public discussion of the draft plan.",
        level_names=data.GOAL_LEVEL,
        is_sample=True,
        position=0,
    )
    if not created:
        return plan
    for goal_code, goal_bg, goal_en, projects in data.OPR_GOALS:
        goal = plan_services.element_create(
            actor=None, plan=plan, code=goal_code, title_bg=goal_bg, title_en=goal_en
        )
        for number, title_bg, title_en, description_bg, description_en, extra in projects:
            code = f"ОПР-{number}"
            if Project.objects.filter(municipality=municipality, code=code).exists():
                continue
            status, progress, start, end, funding = data.OPR_SAMPLE[number]
            extra = dict(extra)
            partners = extra.pop("partners", [])
            project = project_services.project_create(
                actor=None, municipality=municipality, code=code, slug=f"opr-{number.replace('.', '-')}",
                title_bg=title_bg, title_en=title_en, description_bg=description_bg, description_en=description_en,
                status=status, progress=progress, planned_start=_date(start), planned_end=_date(end),
                responsible_unit_bg="Дирекция „Устройство на територията и европейски проекти“",
                responsible_unit_en="Directorate for Spatial Development and European Projects",
                is_sample=True, element_ids=[goal.pk], **extra,
            )  # fmt: skip
            for name_bg, name_en, role_bg, role_en in partners:
                project_services.partner_add(
                    actor=None,
                    project=project,
                    name_bg=name_bg,
                    name_en=name_en,
                    role_bg=role_bg,
                    role_en=role_en,
                )
            for source, amount, programme_bg, programme_en, spent in funding:
                project_services.funding_line_add(
                    actor=None, project=project, source=source, amount=amount, spent=spent,
                    programme_bg=programme_bg, programme_en=programme_en,
                    grant_share=100 if source == "eu" else None,
                )  # fmt: skip
    return plan


def load_strategy(municipality) -> Plan:
    plan, created = _plan(
        municipality,
        slug="strategia-gradoustroistvo-zhilishta",
        kind="sectoral_strategy",
        title_bg="Стратегия за градоустройствена и жилищна политика на община Сопот",
        title_en="Strategy for urban-planning and housing policy of Sopot municipality",
        period_start=2014,
        period_end=2020,
        status="adopted",
        adopted_by="Общински съвет – Сопот",
        description_bg="Разработена от екип от експерти и приета от Общински съвет – Сопот.",
        description_en="Developed by a team of experts and adopted by the Municipal Council of Sopot.",
        level_names=data.GOAL_LEVEL,
        position=1,
    )
    if created:
        for code, title_bg, title_en in data.STRATEGY_GOALS:
            plan_services.element_create(
                actor=None, plan=plan, code=code, title_bg=title_bg, title_en=title_en
            )
    return plan


def load_methodology(municipality) -> Plan:
    plan, created = _plan(
        municipality,
        slug="pravila-monitoring-ocenka",
        kind="methodology",
        title_bg="Правила и методики за мониторинг и оценка на конкретни политики в община Сопот – туризъм, "
        "градоустройствена и жилищна политика",
        title_en="Rules and methodologies for monitoring and evaluation of specific policies in Sopot municipality — "
        "tourism, urban-planning and housing policy",
        period_start=2014,
        period_end=2020,
        status="adopted",
        adopted_by="Общински съвет – Сопот",
        description_bg=data.METHODOLOGY_GUARANTEES_BG,
        description_en=data.METHODOLOGY_GUARANTEES_EN,
        level_names=[{"bg": "Политика", "en": "Policy area"}],
        position=2,
    )
    if created:
        for code, title_bg, title_en in data.METHODOLOGY_AREAS:
            plan_services.element_create(
                actor=None, plan=plan, code=code, title_bg=title_bg, title_en=title_en
            )
    return plan


def load_opak_project(municipality, development_plan: Plan) -> Project:
    existing = Project.objects.filter(municipality=municipality, code=data.OPAK_PROJECT["code"]).first()
    if existing:
        return existing
    fields = dict(data.OPAK_PROJECT)
    for key in ("planned_start", "planned_end", "actual_start", "actual_end"):
        fields[key] = _date(fields[key])
    goal4 = development_plan.elements.get(code="СЦ4")
    project = project_services.project_create(
        actor=None, municipality=municipality, is_sample=True, element_ids=[goal4.pk],
        responsible_unit_bg="Община Сопот", responsible_unit_en="Sopot Municipality", **fields,
    )  # fmt: skip
    funding = dict(data.OPAK_FUNDING)
    funding["contract_date"] = _date(funding["contract_date"])
    project_services.funding_line_add(actor=None, project=project, **funding)
    for title_bg, title_en, description_bg, description_en in data.OPAK_ACTIVITIES:
        project_services.activity_add(
            actor=None, project=project, title_bg=title_bg, title_en=title_en, description_bg=description_bg,
            description_en=description_en, state="done", start_date=datetime.date(2013, 10, 31),
            due_date=datetime.date(2014, 7, 31), completed_on=datetime.date(2014, 7, 24),
        )  # fmt: skip
    for title_bg, title_en, day in [
        ("Начална пресконференция", "Opening press conference", datetime.date(2014, 1, 24)),
        ("Заключителна пресконференция, Ритуална зала – гр. Сопот", "Closing press conference, Ceremonial Hall, Sopot",
         datetime.date(2014, 7, 24)),
    ]:  # fmt: skip
        project_services.activity_add(
            actor=None, project=project, title_bg=title_bg, title_en=title_en, is_milestone=True, state="done",
            due_date=day, completed_on=day,
        )  # fmt: skip
    return project


def load_accounts(municipality) -> None:
    users = get_user_model()
    for username, role, first, last in data.DEMO_ACCOUNTS:
        user = users.objects.filter(username=username).first()
        if user is None:
            user = users.objects.create_user(
                username=username, password=data.DEMO_PASSWORD, first_name=first, last_name=last,
                email=f"{username}@sopot.example",
            )  # fmt: skip
        if not Membership.objects.filter(user=user, municipality=municipality, role=role).exists():
            membership_grant(actor=None, user=user, municipality=municipality, role=role)
    if not users.objects.filter(username="admin").exists():
        users.objects.create_superuser("admin", "admin@civitas.example", data.DEMO_PASSWORD)


@transaction.atomic
def demo_load() -> Municipality:
    municipality = demo_municipality()
    development_plan = load_development_plan(municipality)
    load_strategy(municipality)
    load_methodology(municipality)
    load_opak_project(municipality, development_plan)
    load_accounts(municipality)
    from .forum import load_forum
    from .indicators import load_indicators

    load_indicators(municipality)
    load_forum(municipality)
    return municipality


def accounts_table() -> list[tuple[str, str, str]]:
    from .forum import CITIZENS

    return (
        [(username, role, data.DEMO_PASSWORD) for username, role, *_ in data.DEMO_ACCOUNTS]
        + [("admin", "platform superuser", data.DEMO_PASSWORD)]
        + [(email, "citizen", data.DEMO_PASSWORD) for email, _name in CITIZENS]
    )
