"""A sample integrated development plan (ПИРО) 2021–2027 for the Sopot demo, in euro.

ПИРО (План за интегрирано развитие на общината) is the plan that replaced the ОПР from 2021. This
one is sample data, not Sopot's adopted plan, and says so in its description: a small goal tree, an
indicative financial table by priority, source and year, three projects with funding lines in euro
(one stating an EU ceiling, "up to"), and target-only indicators as real KPI frameworks have them:
no baseline, targets for 2024 and 2027, some of them thresholds, rated with the plan's tolerance of
10 %, and a context indicator without a target. Everything goes through the services staff use.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from civitas.core.permissions import OPERATOR
from civitas.indicators import services as indicator_services
from civitas.indicators.models import Indicator
from civitas.indicators.passport import IndicatorPassport
from civitas.plans import services as plan_services
from civitas.plans.models import Plan
from civitas.projects import services as project_services

SLUG = "piro-2021-2027"

PLAN: dict[str, Any] = {
    "slug": SLUG,
    "kind": "development_plan",
    "title_bg": "План за интегрирано развитие на община Сопот 2021–2027",
    "title_en": "Integrated Development Plan of Sopot Municipality 2021–2027",
    "period_start": 2021,
    "period_end": 2027,
    "status": "implementation",
    "level_names": [{"bg": "Приоритет", "en": "Priority"}, {"bg": "Мярка", "en": "Measure"}],
    "vision_bg": "Примерен текст: Сопот – зелен, достъпен и предприемчив град в подножието на Стара планина.",
    "vision_en": "Sample text: Sopot, a green, accessible and enterprising town at the foot of the Balkan Mountains.",
    "description_bg": (
        "Примерни данни. Този план за интегрирано развитие е измислен пример за демонстрация на Civitas: "
        "целите, индикативната финансова таблица, проектите, индикаторите и стойностите им са "
        "илюстративни и не са приетият план на община Сопот. Сумите са в евро."
    ),
    "description_en": (
        "Sample data. This integrated development plan is a made-up example to demonstrate Civitas: its "
        "goals, indicative financial table, projects, indicators and values are illustrative and are not "
        "Sopot Municipality's adopted plan. Amounts are in euro."
    ),
    "is_sample": True,
    "position": 3,
    "currency": "EUR",
    "tolerance_amount": Decimal(10),
    "tolerance_unit": "percent",
}

# (code, parent code, title bg, title en)
ELEMENTS = [
    ("П1", None, "Устойчив икономически растеж и туризъм", "Sustainable economic growth and tourism"),
    ("М1.1", "П1", "Развитие на културния и историческия туризъм", "Cultural and heritage tourism"),
    ("М1.2", "П1", "Подкрепа за местния бизнес и предприемачеството", "Support for local business and enterprise"),
    ("П2", None, "Качествена жизнена среда и зелена инфраструктура",
     "A good living environment and green infrastructure"),
    ("М2.1", "П2", "Енергийна ефективност и устойчива градска мобилност",
     "Energy efficiency and sustainable urban mobility"),
    ("М2.2", "П2", "Чист въздух, води и отпадъци", "Clean air, water and waste"),
    ("П3", None, "Достъпни услуги, образование и добро управление",
     "Accessible services, education and good governance"),
    ("М3.1", "П3", "Образование и социално включване", "Education and social inclusion"),
    ("М3.2", "П3", "Електронно управление и административен капацитет", "E-government and administrative capacity"),
]  # fmt: skip

# The indicative financial table, in euro: (element code, source, year or None = the whole period, amount).
FINANCIAL_TABLE = [
    ("П1", "eu", None, 1_200_000),
    ("П1", "municipal", None, 150_000),
    ("П1", "other", None, 100_000),
    ("П2", "eu", 2024, 800_000),
    ("П2", "eu", 2025, 1_200_000),
    ("П2", "eu", 2026, 900_000),
    ("П2", "national", None, 600_000),
    ("П2", "municipal", None, 250_000),
    ("П3", "eu", None, 300_000),
    ("П3", "national", None, 200_000),
    ("П3", "municipal", None, 120_000),
]

PROGRAMME = ("Програма „Развитие на регионите“ 2021–2027", "Programme “Development of the Regions” 2021–2027")

# Projects in euro: fields, the measures they serve, funding lines.
PROJECTS: list[dict[str, Any]] = [
    {
        "code": "ПИРО-1",
        "slug": "piro-1-energiyna-efektivnost",
        "title_bg": "Енергийна ефективност на многофамилни жилищни сгради в гр. Сопот",
        "title_en": "Energy efficiency of blocks of flats in Sopot",
        "status": "in_progress",
        "progress": 30,
        "declared_total": Decimal("1520000"),
        "declared_currency": "EUR",
        "elements": ["М2.1"],
        "funding": [
            {"source": "eu", "programme_bg": PROGRAMME[0], "programme_en": PROGRAMME[1],
             "amount": Decimal("1400000"), "spent": Decimal("350000"), "grant_share": Decimal("100")},
            {"source": "municipal", "amount": Decimal("120000")},  # spending not reported
        ],
    },
    {
        "code": "ПИРО-2",
        "slug": "piro-2-poseshtenski-centar",
        "title_bg": "Посетителски център на крепостта „Аневско кале“",
        "title_en": "Visitor centre of the Anevsko Kale fortress",
        "status": "funding_applied",
        "progress": None,  # not reported
        # The application's total, which the funding lines below do not (yet) reach: flagged.
        "declared_total": Decimal("1150000"),
        "declared_currency": "EUR",
        "elements": ["М1.1"],
        "funding": [
            {"source": "eu", "programme_bg": PROGRAMME[0], "programme_en": PROGRAMME[1],
             "amount": Decimal("1000000"), "is_ceiling": True},
            {"source": "municipal", "amount": Decimal("80000")},
        ],
    },
    {
        "code": "ПИРО-3",
        "slug": "piro-3-e-uslugi",
        "title_bg": "Електронни административни услуги на община Сопот",
        "title_en": "Electronic administrative services of Sopot Municipality",
        "status": "in_progress",
        "progress": 45,
        "elements": ["М3.2"],
        "funding": [{"source": "national", "amount": Decimal("150000"), "spent": Decimal("60000")}],
    },
]  # fmt: skip

NO_BASELINE_BG = "Няма базова стойност: планът задава само целеви стойности (примерни данни)."
NO_BASELINE_EN = "No baseline: the plan sets only targets (sample data)."
CONTEXT_BG = "Контекстен индикатор: следи се тенденцията, без цел (примерни данни)."
CONTEXT_EN = "A context indicator: its trend is followed, with no target (sample data)."

# (element code, passport, targets {year: value}, published values {year: value}). Target-only (no
# baseline); as of the end of 2026 the latest values (2025) read on track, at risk and off track.
INDICATORS: list[tuple[str, dict[str, Any], dict[int, Any], dict[int, Any]]] = [
    ("М1.1", dict(code="ПИРО-И1", name_bg="Нощувки в местата за настаняване", name_en="Overnight stays",
                  type="result", unit_bg="нощувки", unit_en="overnight stays", accumulation="per_period"),
     {2024: 30000, 2027: 36000}, {2023: 28000, 2024: 31000, 2025: 33500}),
    ("М1.2", dict(code="ПИРО-И2", name_bg="Новорегистрирани фирми", name_en="Newly registered businesses",
                  type="result", unit_bg="фирми", unit_en="businesses", accumulation="per_period"),
     {2024: 60, 2027: 75}, {2024: 55, 2025: 60}),
    ("М2.1", dict(code="ПИРО-И3", name_bg="Обновени многофамилни жилищни сгради",
                  name_en="Blocks of flats renovated", type="output", unit_bg="сгради", unit_en="buildings",
                  accumulation="cumulative"),
     {2024: 4, 2027: 12}, {2023: 1, 2024: 3, 2025: 3}),
    ("М2.2", dict(code="ПИРО-И4", name_bg="Дни с превишена средноденонощна норма за ФПЧ10",
                  name_en="Days above the daily PM10 limit", type="result", unit_bg="дни", unit_en="days",
                  direction="decrease", target_kind="threshold", accumulation="latest"),
     {2024: 35, 2027: 25}, {2023: 41, 2024: 33, 2025: 31}),
    ("М2.2", dict(code="ПИРО-И5", name_bg="Дял на разделно събраните битови отпадъци",
                  name_en="Share of household waste collected separately", type="result", unit_bg="%",
                  unit_en="%", target_kind="threshold", accumulation="latest"),
     {2024: 40, 2027: 55}, {2024: 37, 2025: 38}),
    ("М3.1", dict(code="ПИРО-И6", name_bg="Обхват на децата в предучилищно образование",
                  name_en="Children in pre-school education", type="result", unit_bg="%", unit_en="%",
                  target_kind="threshold", accumulation="latest"),
     {2024: 95, 2027: 97}, {2024: Decimal("96.1"), 2025: Decimal("96.5")}),
    ("М3.2", dict(code="ПИРО-И7", name_bg="Административни услуги, достъпни по електронен път",
                  name_en="Administrative services available online", type="output", unit_bg="%",
                  unit_en="%", accumulation="latest"),
     {2024: 50, 2027: 80}, {2024: 38, 2025: 52}),
    ("П3", dict(code="ПИРО-К1", name_bg="Регистрирани безработни лица", name_en="Registered unemployed people",
                type="context", unit_bg="лица", unit_en="people", accumulation="latest",
                data_source_bg="Агенция по заетостта", data_source_en="Employment Agency"),
     {}, {2022: 310, 2023: 295, 2024: 280, 2025: 288}),
]  # fmt: skip


def load_piro(municipality) -> Plan:
    """Create the sample ПИРО unless the municipality has it."""
    existing = Plan.objects.filter(municipality=municipality, slug=SLUG).first()
    if existing is not None:
        return existing
    plan = plan_services.plan_create(actor=OPERATOR, municipality=municipality, **PLAN)
    elements = plan_services.element_create_tree(
        actor=OPERATOR,
        plan=plan,
        elements=[
            plan_services.NewElement(code, title_bg, parent_code=parent, title_en=title_en)
            for code, parent, title_bg, title_en in ELEMENTS
        ],
    )
    for code, source, year, amount in FINANCIAL_TABLE:
        plan_services.financial_line_create(
            actor=OPERATOR,
            plan=plan,
            element=elements[code],
            source=source,
            year=year,
            amount=Decimal(amount),
        )
    for project in PROJECTS:
        fields = {k: v for k, v in project.items() if k not in {"elements", "funding"}}
        created = project_services.project_create(
            actor=OPERATOR, municipality=municipality, is_sample=True,
            element_ids=[elements[code].pk for code in project["elements"]], **fields,
        )  # fmt: skip
        for line in project["funding"]:
            project_services.funding_line_add(actor=OPERATOR, project=created, currency="EUR", **line)
    _load_indicators(municipality, elements)
    _load_judgement(elements)
    return plan


# The authority's judgement, as sample data: an annual assessment of a priority, and a verifier's
# status beside a computed one with its public reason.
ASSESSMENT: dict[str, Any] = {
    "element": "П2",
    "year": 2025,
    "achieved_bg": "Примерен текст: обновени са още три жилищни сгради; въведено е разделно събиране в Анево.",
    "achieved_en": "Sample text: three more blocks of flats were renovated; separate collection started in Anevo.",
    "obstacles_bg": "Примерен текст: обществената поръчка за събирането на отпадъци беше обжалвана.",
    "obstacles_en": "Sample text: the public procurement for waste collection was appealed.",
}
OVERRIDE: dict[str, Any] = {
    "code": "ПИРО-И5",
    "year": 2025,
    "status": "on_track",
    "reason_bg": "Примерен текст: разделното събиране в Анево започна през декември 2025 г.; с него целта за 2026 г. е постижима.",
    "reason_en": "Sample text: separate collection in Anevo began in December 2025; with it the 2026 target is within reach.",
}


def _load_judgement(elements) -> None:
    verifier = get_user_model().objects.get(username="sopot-verifier")
    fields = {k: v for k, v in ASSESSMENT.items() if k != "element"}
    plan_services.assessment_save(
        actor=OPERATOR, element=elements[ASSESSMENT["element"]], publish=True, expected_version=None, **fields
    )
    indicator = Indicator.objects.get(municipality=elements[ASSESSMENT["element"]].plan.municipality,
                                      code=OVERRIDE["code"])  # fmt: skip
    indicator_services.override_set(
        actor=verifier, indicator=indicator, expected_version=0, decided_on=datetime.date(2026, 3, 31),
        **{k: v for k, v in OVERRIDE.items() if k != "code"},
    )  # fmt: skip


def _load_indicators(municipality, elements) -> None:
    users = get_user_model().objects
    planner = users.get(username="sopot-planner")
    owner = users.get(username="sopot-indicators")
    verifier = users.get(username="sopot-verifier")
    for position, (code, passport, targets, values) in enumerate(INDICATORS):
        context = passport["type"] == "context"
        indicator = indicator_services.indicator_create(
            actor=planner, municipality=municipality, element=elements[code],
            passport=IndicatorPassport(
                **passport, owner=owner, is_sample=True, position=position,
                baseline_unavailable_reason_bg=CONTEXT_BG if context else NO_BASELINE_BG,
                baseline_unavailable_reason_en=CONTEXT_EN if context else NO_BASELINE_EN,
                responsible_unit_bg="Община Сопот", responsible_unit_en="Sopot Municipality",
            ),
            targets=[{"year": year, "value": value, "is_final": year == max(targets)} for year, value in targets.items()],
        )  # fmt: skip
        for year, value in sorted(values.items()):
            measurement = indicator_services.measurement_save(
                actor=owner, indicator=indicator, year=year, value=value
            )
            indicator_services.measurement_submit(actor=owner, measurement=measurement)
            indicator_services.measurement_approve(actor=verifier, measurement=measurement, publish=True)
