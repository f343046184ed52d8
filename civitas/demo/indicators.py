"""Sample indicators for the Sopot demo: the development plan's goals and the methodology's three
policy areas (tourism, urban planning, housing), with baselines, targets to 2020 and values for
2014–2020 in every state the evaluation knows: on track, at risk, off track, missing and stale.

All values are illustrative (the press release gives none) and every indicator is marked as
sample data. Passports and values go through the same services staff use: the planner writes the
passports, the indicator owner enters and submits, the verifier approves and publishes.
"""

from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from civitas.indicators import services
from civitas.indicators.models import Indicator
from civitas.indicators.passport import IndicatorPassport
from civitas.plans.models import Plan
from civitas.projects.models import Project

SETTLEMENTS = [
    {
        "key": "settlement",
        "name": {"bg": "Населено място", "en": "Settlement"},
        "categories": [
            {"key": "sopot", "bg": "Сопот", "en": "Sopot"},
            {"key": "anevo", "bg": "Анево", "en": "Anevo"},
        ],
    }
]

# (plan slug, element code or None, project code or None, passport, targets {year: value},
#  values {year: value or (numerator, denominator)}, breakdown share of Sopot or None, pending {year: state})
INDICATORS: list[tuple[Any, ...]] = [
    # Tourism ----------------------------------------------------------------------------------
    (
        "pravila-monitoring-ocenka",
        "Т",
        None,
        dict(
            code="Т-1",
            name_bg="Нощувки в местата за настаняване",
            name_en="Overnight stays in accommodation",
            definition_bg="Брой реализирани нощувки в местата за настаняване на територията на общината за годината.",
            definition_en="Overnight stays in the municipality's accommodation establishments in the year.",
            type="result",
            unit_bg="нощувки",
            unit_en="overnight stays",
            direction="increase",
            accumulation="per_period",
            baseline_value=Decimal(21500),
            baseline_year=2013,
            data_source_bg="НСИ; регистър на местата за настаняване",
            data_source_en="National Statistical Institute; register of accommodation",
            frequency="annual",
            disaggregation=SETTLEMENTS,
        ),
        {2017: 25500, 2020: 30000},
        {2014: 22100, 2015: 23300, 2016: 24400, 2017: 25700, 2018: 26900, 2019: 28300, 2020: 29400},
        Decimal("0.82"),
        {},
    ),
    (
        "pravila-monitoring-ocenka",
        "Т",
        None,
        dict(
            code="Т-2",
            name_bg="Посетители на крепостта „Аневско кале“",
            name_en="Visitors to the Anevsko Kale fortress",
            type="result",
            unit_bg="посетители",
            unit_en="visitors",
            direction="increase",
            accumulation="per_period",
            baseline_value=Decimal(4000),
            baseline_year=2013,
            frequency="annual",
            data_source_bg="Продадени билети и преброяване на място",
            data_source_en="Tickets sold and on-site counts",
        ),
        {2017: 7000, 2020: 12000},
        {2014: 4300, 2015: 4900, 2016: 5500, 2017: 6100, 2018: 6700, 2019: 7300, 2020: 8200},
        None,
        {},
    ),
    # Urban planning ---------------------------------------------------------------------------
    (
        "pravila-monitoring-ocenka",
        "ГП",
        None,
        dict(
            code="ГП-1",
            name_bg="Зелени площи на жител",
            name_en="Green space per inhabitant",
            type="result",
            unit_bg="м²",
            unit_en="m²",
            direction="increase",
            accumulation="latest",
            baseline_value=Decimal("9.5"),
            baseline_year=2013,
            frequency="annual",
            data_source_bg="Общинска кадастрална карта",
            data_source_en="Municipal cadastral map",
        ),
        {2020: 12},
        {2014: Decimal("9.6"), 2015: Decimal("9.9"), 2016: Decimal("10.3"), 2017: Decimal("10.6")},
        None,
        {},
    ),
    (
        "pravila-monitoring-ocenka",
        "ГП",
        None,
        dict(
            code="ГП-2",
            name_bg="Рехабилитирани улици",
            name_en="Rehabilitated streets",
            type="output",
            unit_bg="км",
            unit_en="km",
            direction="increase",
            accumulation="cumulative",
            baseline_value=Decimal(0),
            baseline_year=2013,
            frequency="annual",
        ),
        {2017: 6, 2020: 15},
        {
            2014: Decimal("1.2"),
            2015: Decimal("2.1"),
            2016: Decimal("1.8"),
            2017: Decimal("2.3"),
            2018: Decimal("2.4"),
            2019: Decimal("2.2"),
            2020: Decimal("2.6"),
        },
        None,
        {},
    ),
    # Housing ----------------------------------------------------------------------------------
    (
        "pravila-monitoring-ocenka",
        "ЖП",
        None,
        dict(
            code="ЖП-1",
            name_bg="Обновени многофамилни жилищни сгради",
            name_en="Renovated residential buildings",
            type="output",
            unit_bg="сгради",
            unit_en="buildings",
            direction="increase",
            accumulation="cumulative",
            baseline_value=Decimal(0),
            baseline_year=2013,
            frequency="annual",
            eu_code="RCO18",
        ),
        {2017: 5, 2020: 12},
        {2015: 1, 2016: 1, 2017: 1, 2018: 0, 2019: 1, 2020: 1},
        None,
        {},
    ),
    (
        "pravila-monitoring-ocenka",
        "ЖП",
        None,
        dict(
            code="ЖП-2",
            name_bg="Общински жилища",
            name_en="Municipal dwellings",
            type="context",
            unit_bg="жилища",
            unit_en="dwellings",
            direction="maintain",
            tolerance=Decimal(5),
            accumulation="latest",
            baseline_value=Decimal(180),
            baseline_year=2013,
            frequency="annual",
        ),
        {2020: 180},
        {2014: 181, 2015: 179, 2016: 178, 2017: 182, 2018: 180, 2019: 177, 2020: 179},
        None,
        {},
    ),
    (
        "pravila-monitoring-ocenka",
        "ЖП",
        None,
        dict(
            code="ЖП-3",
            name_bg="Домакинства с неудовлетворени жилищни нужди",
            name_en="Households with unmet housing needs",
            type="result",
            unit_bg="домакинства",
            unit_en="households",
            direction="decrease",
            accumulation="latest",
            baseline_value=None,
            baseline_year=None,
            frequency="annual",
            baseline_unavailable_reason_bg="Няма проучване преди 2014 г.; първото е планирано за 2021 г.",
            baseline_unavailable_reason_en="No survey before 2014; the first is planned for 2021.",
        ),
        {},
        {},
        None,
        {},
    ),
    # Development plan -------------------------------------------------------------------------
    (
        "opr-2014-2020",
        "СЦ1",
        None,
        dict(
            code="ОПР-И1.1",
            name_bg="Заети лица в туризма",
            name_en="People employed in tourism",
            type="result",
            unit_bg="души",
            unit_en="people",
            direction="increase",
            accumulation="latest",
            baseline_value=Decimal(310),
            baseline_year=2013,
            frequency="annual",
        ),
        {2017: 360, 2020: 400},
        {2014: 318, 2015: 330, 2016: 338, 2017: 352, 2018: 361, 2019: 375, 2020: 372},
        None,
        {},
    ),
    (
        "opr-2014-2020",
        "СЦ2",
        None,
        dict(
            code="ОПР-И2.1",
            name_bg="Домакинства, обхванати от организирано сметосъбиране",
            name_en="Households served by organised waste collection",
            type="result",
            unit_bg="%",
            unit_en="%",
            measure="percentage",
            direction="increase",
            accumulation="latest",
            baseline_value=Decimal(86),
            baseline_year=2013,
            frequency="annual",
        ),
        {2016: 95, 2020: 100},
        {
            2014: (3010, 3420),
            2015: (3190, 3410),
            2016: (3300, 3405),
            2017: (3330, 3398),
            2018: (3362, 3390),
            2019: (3375, 3384),
            2020: (3378, 3380),
        },
        None,
        {},
    ),
    (
        "opr-2014-2020",
        "СЦ2",
        None,
        dict(
            code="ОПР-И2.2",
            name_bg="Електроенергия за улично осветление",
            name_en="Electricity used for street lighting",
            type="result",
            unit_bg="MWh",
            unit_en="MWh",
            direction="decrease",
            accumulation="per_period",
            baseline_value=Decimal(950),
            baseline_year=2013,
            frequency="annual",
        ),
        {2017: 600, 2020: 520},
        {2014: 940, 2015: 870, 2016: 690, 2017: 590, 2018: 560, 2019: 540, 2020: 530},
        None,
        {},
    ),
    (
        "opr-2014-2020",
        "СЦ3",
        None,
        dict(
            code="ОПР-И3.1",
            name_bg="Ученици в енергийно обновени училищни сгради",
            name_en="Pupils in energy-renovated school buildings",
            type="output",
            unit_bg="ученици",
            unit_en="pupils",
            direction="increase",
            accumulation="latest",
            baseline_value=Decimal(0),
            baseline_year=2013,
            frequency="annual",
        ),
        {2020: 620},
        {2016: 0, 2017: 0, 2018: 610, 2019: 615},
        None,
        {2020: "submitted"},
    ),
    (
        "opr-2014-2020",
        "СЦ4",
        None,
        dict(
            code="ОПР-И4.1",
            name_bg="Административни услуги, достъпни по електронен път",
            name_en="Administrative services available online",
            type="output",
            unit_bg="услуги",
            unit_en="services",
            direction="increase",
            accumulation="latest",
            baseline_value=Decimal(2),
            baseline_year=2013,
            frequency="annual",
        ),
        {2017: 15, 2020: 40},
        {2015: 3, 2016: 5, 2017: 8, 2018: 10, 2019: 12, 2020: 14},
        None,
        {},
    ),
    (
        "opr-2014-2020",
        "СЦ4",
        None,
        dict(
            code="ОПР-И4.2",
            name_bg="Удовлетвореност от административното обслужване",
            name_en="Satisfaction with administrative services",
            type="result",
            unit_bg="оценка 1–5",
            unit_en="score 1–5",
            measure="score",
            scale_min=Decimal(1),
            scale_max=Decimal(5),
            direction="increase",
            accumulation="latest",
            baseline_value=Decimal("3.1"),
            baseline_year=2013,
            frequency="annual",
            data_source_bg="Годишна анкета сред гражданите",
            data_source_en="Annual citizens' survey",
        ),
        {2020: Decimal("4.2")},
        {2014: Decimal("3.2"), 2016: Decimal("3.5"), 2018: Decimal("3.8"), 2020: Decimal("4.1")},
        None,
        {},
    ),
    # A project's own indicator ----------------------------------------------------------------
    (
        None,
        None,
        "ОПР-4.3",
        dict(
            code="ВА-1",
            name_bg="Изградена велосипедна алея",
            name_en="Bicycle path built",
            type="output",
            unit_bg="км",
            unit_en="km",
            direction="increase",
            accumulation="cumulative",
            baseline_value=Decimal(0),
            baseline_year=2017,
            frequency="annual",
        ),
        {2020: 14},
        {2018: Decimal("2.5"), 2019: Decimal("3.0"), 2020: Decimal("2.0")},
        None,
        {},
    ),
]


def _users():
    users = get_user_model().objects
    return (
        users.get(username="sopot-planner"),
        users.get(username="sopot-indicators"),
        users.get(username="sopot-verifier"),
    )


def load_indicators(municipality) -> None:
    planner, owner, verifier = _users()
    if Indicator.objects.filter(municipality=municipality).exists():
        return
    for position, (
        plan_slug,
        element_code,
        project_code,
        passport,
        targets,
        values,
        sopot_share,
        pending,
    ) in enumerate(INDICATORS):
        element = project = None
        if plan_slug:
            element = Plan.objects.get(municipality=municipality, slug=plan_slug).elements.get(
                code=element_code
            )
        else:
            project = Project.objects.get(municipality=municipality, code=project_code)
        indicator = services.indicator_create(
            actor=planner, municipality=municipality, element=element, project=project,
            passport=IndicatorPassport(
                **passport, owner=owner, is_sample=True, position=position,
                responsible_unit_bg="Община Сопот", responsible_unit_en="Sopot Municipality",
            ),
            targets=[{"year": year, "value": value, "is_final": year == max(targets)} for year, value in targets.items()],
        )  # fmt: skip
        for year, value in sorted(values.items()):
            kwargs = (
                {"numerator": value[0], "denominator": value[1]}
                if isinstance(value, tuple)
                else {"value": value}
            )
            if sopot_share is not None:
                sopot = (Decimal(value) * sopot_share).quantize(Decimal(1))
                kwargs["breakdown"] = {"settlement": {"sopot": sopot, "anevo": Decimal(value) - sopot}}
            m = services.measurement_save(actor=owner, indicator=indicator, year=year, **kwargs)
            services.measurement_submit(actor=owner, measurement=m)
            services.measurement_approve(actor=verifier, measurement=m, publish=True)
        for year, state in pending.items():
            m = services.measurement_save(actor=owner, indicator=indicator, year=year, value=625)
            if state == "submitted":
                services.measurement_submit(actor=owner, measurement=m)
