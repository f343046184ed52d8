"""The national dataset: every one of Bulgaria's 265 municipalities with a plan's worth of content,
for measuring Civitas at the scale of the country (``manage.py generate_national_dataset``).

The municipalities are real (``data/bg-municipalities.csv``: names, provinces, 2013 populations,
centres; see ``data/README.md`` for the source); everything in them is generated and marked as
sample data: a plan for integrated development with a goal tree of priorities, goals and measures,
its indicative financial table, projects with funding, activities and places near the
municipality's centre, indicators of every kind the evaluation engine rates with baselines,
targets and values (the last year's partly awaiting verification), the council decisions that
adopt the plan and approve its annual reports, consultations with proposals and answers, surveys
with their responses (a million answers in all at full scale), forum topics and publicity events.

The same seed gives the same content: every municipality draws from its own random generator,
seeded by the seed and the municipality's code. Rows are written in bulk, a few municipalities at a
time, in one transaction: a run stores everything or nothing. A second run refuses (the dataset's
plans exist) rather than adding a second copy; municipalities that exist already (the Sopot demo)
are matched by address or name and kept, and get the generated content beside their own.

Speed (the time at full scale is in BENCHMARKS.md, "National scale"): the rows nothing points at
(values, targets, answers, …) are plain dicts, which PostgreSQL takes by COPY; the foreign keys of
the largest tables are dropped inside the transaction and put back at its end, so each is checked
once in one scan rather than row by row at the commit (those tables stay locked meanwhile: run it
on an installation nobody is using yet). Other databases take the same rows by bulk INSERT.
"""

import csv
import datetime
import functools
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg.types.json import Jsonb

from civitas.consultations.models import Answer as ProposalAnswer
from civitas.consultations.models import Consultation, ConsultationStatus, Paragraph, Proposal
from civitas.consultations.models import Decision as AnswerDecision
from civitas.consultations.models import Section as ConsultationSection
from civitas.consultations.models import Source as ProposalSource
from civitas.core import content
from civitas.core.models import Municipality
from civitas.core.text import slug_from, transliterate
from civitas.council.models import Decision
from civitas.forum import markup
from civitas.forum.models import Post, PostKind, Topic
from civitas.indicators.models import Indicator, Measurement, MeasurementState, Target
from civitas.planfiles.imports import planfile_document
from civitas.plans.models import FinancialLine, Plan, PlanElement, PlanStatus, PlanVersion, VersionKind
from civitas.projects.models import (
    Activity,
    ActivityState,
    FundingLine,
    Project,
    ProjectContribution,
    ProjectStatus,
)
from civitas.publicity.models import EventKind, Medium, Publication, PublicityEvent
from civitas.reports.models import AnnualReport, ReportStatus
from civitas.surveys.models import Answer as SurveyAnswer
from civitas.surveys.models import Option, Question, QuestionKind, Response, Survey, SurveyStatus

DATA = Path(__file__).resolve().parent / "data" / "bg-municipalities.csv"
FIRST_YEAR = 2019  # the plan's first year and its first year of values
BATCH = 5000  # rows per INSERT
CHUNK = 8  # municipalities built in memory and written together
# The NUTS 3 region of each province (Eurostat's NUTS 2021 codes for Bulgaria).
NUTS = {
    "Видин": "BG311", "Монтана": "BG312", "Враца": "BG313", "Плевен": "BG314", "Ловеч": "BG315",
    "Велико Търново": "BG321", "Габрово": "BG322", "Русе": "BG323", "Разград": "BG324",
    "Силистра": "BG325", "Варна": "BG331", "Добрич": "BG332", "Шумен": "BG333", "Търговище": "BG334",
    "Бургас": "BG341", "Сливен": "BG342", "Ямбол": "BG343", "Стара Загора": "BG344",
    "София (столица)": "BG411", "София": "BG412", "Благоевград": "BG413", "Перник": "BG414",
    "Кюстендил": "BG415", "Пловдив": "BG421", "Хасково": "BG422", "Пазарджик": "BG423",
    "Смолян": "BG424", "Кърджали": "BG425",
}  # fmt: skip


class DatasetExists(Exception):
    """The national dataset is in the database already."""


@dataclass(frozen=True)
class Scale:
    """How much to generate: the number of municipalities and, in each, of plan elements,
    projects and indicators, the years of values, and the survey answers in all."""

    municipalities: int = 265
    elements: int = 150
    projects: int = 100
    indicators: int = 300
    years: int = 7
    survey_answers: int = 1_000_000
    consultations: int = 2
    surveys: int = 2
    seed: int = 1

    def __post_init__(self):
        for name in ("municipalities", "elements", "years"):
            if getattr(self, name) < 1:
                raise ValueError(_("%(name)s must be at least 1.") % {"name": name})
        for name in ("projects", "indicators", "survey_answers", "consultations", "surveys"):
            if getattr(self, name) < 0:
                raise ValueError(_("%(name)s cannot be negative.") % {"name": name})

    @property
    def last_year(self) -> int:
        """The last year with values; the plan runs two years beyond it."""
        return FIRST_YEAR + self.years - 1

    @property
    def plan_slug(self) -> str:
        return f"pir-{FIRST_YEAR}-{self.last_year + 2}"


@dataclass(frozen=True)
class Place:
    """A municipality of ``data/bg-municipalities.csv``."""

    code: str
    name_bg: str
    centre_en: str
    province_bg: str
    population: int
    lon: float
    lat: float
    slug: str


def places() -> list[Place]:
    """The 265 municipalities in the file's order, each with its address name: the name
    transliterated, with the province's where two municipalities share a name (Бяла)."""
    with DATA.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    names = Counter(row["name_bg"] for row in rows)
    out = []
    for row in rows:
        slug = slug_from(row["name_bg"], max_length=60)
        if names[row["name_bg"]] > 1:
            slug = slug_from(f"{row['name_bg']} {row['province_bg']}", max_length=60)
        out.append(
            Place(
                code=row["code"],
                name_bg=row["name_bg"],
                centre_en=row["centre_name_en"],
                province_bg=row["province_bg"],
                population=int(row["population_2013"]),
                lon=float(row["centre_lon"]),
                lat=float(row["centre_lat"]),
                slug=slug,
            )  # fmt: skip
        )
    return out


@dataclass
class Summary:
    """What a run stored: rows per kind, and how long it took."""

    counts: Counter = field(default_factory=Counter)
    existing: list[str] = field(default_factory=list)
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)  # seconds spent in each stage


# Writing ----------------------------------------------------------------------------------------


class Writer:
    """Rows in bulk, counted by model. Rows that other rows point at are model objects, written
    with INSERT … RETURNING so that their keys come back; the rest are dicts of column values
    (parents given by key), which PostgreSQL takes by COPY, without a model object each (the
    bulk of the data: several times faster), and another database by the same bulk INSERT."""

    def __init__(self, summary: Summary):
        self.counts = summary.counts

    def create(self, model: type[models.Model], rows: list) -> list:
        if not rows:
            return rows
        if not isinstance(rows[0], dict):
            model._default_manager.bulk_create(rows, batch_size=BATCH)
        elif connection.vendor == "postgresql":
            if model in NUMBERED:
                _number(model, rows)
            _copy(model, rows)
        else:
            objects = model._default_manager.bulk_create([model(**row) for row in rows], batch_size=BATCH)
            if model in NUMBERED:
                for row, obj in zip(rows, objects, strict=True):
                    row["id"] = obj.pk
        self.counts[model._meta.label] += len(rows)
        return rows


def _row(**values) -> dict:
    """A row of column values; a model object given for a foreign key stands for its key."""
    return {
        (f"{name}_id" if isinstance(value, models.Model) else name): (
            value.pk if isinstance(value, models.Model) else value
        )
        for name, value in values.items()
    }


# Rows given as dicts that other rows point at: they get their keys ("id") when written.
NUMBERED = {Response}


def _number(model: type[models.Model], rows: list[dict]) -> None:
    """Keys for the rows from the table's own sequence (PostgreSQL), before they are copied."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, len(rows)],
        )
        for row, (key,) in zip(rows, cursor.fetchall(), strict=True):
            row["id"] = key


def _copy(model: type[models.Model], rows: list[dict]) -> None:
    """COPY the rows into the model's table; columns a row does not give take their defaults."""
    now = timezone.now()
    keyed = "id" in rows[0]
    fields = [f for f in model._meta.concrete_fields if keyed or not f.primary_key]
    defaults = {}
    for f in fields:
        auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        defaults[f.attname] = now if auto else f.get_default()
    json = {f.attname for f in fields if isinstance(f, models.JSONField)}
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    names = [str(f.attname) for f in fields]
    statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            values = [row.get(name, defaults[name]) for name in names]
            if json:
                values = [Jsonb(v) if name in json else v for name, v in zip(names, values, strict=True)]
            copy.write_row(values)


# Content of one municipality ----------------------------------------------------------------------

PRIORITIES = [
    ("Устойчив икономически растеж", "Sustainable economic growth"),
    ("Качествена социална среда", "A good social environment"),
    ("Опазване на околната среда", "Protecting the environment"),
    ("Свързаност и инфраструктура", "Connectivity and infrastructure"),
    ("Добро управление", "Good governance"),
    ("Култура и туризъм", "Culture and tourism"),
    ("Образование и младежи", "Education and young people"),
]
TOPICS = [
    ("училища", "schools"), ("детски градини", "kindergartens"), ("улично осветление", "street lighting"),
    ("водопровод", "water mains"), ("пътища", "roads"), ("паркове", "parks"), ("туризъм", "tourism"),
    ("социални услуги", "social services"), ("енергийна ефективност", "energy efficiency"),
    ("отпадъци", "waste"), ("спорт", "sport"), ("читалища", "community centres"),
    ("здравеопазване", "health care"), ("бизнес среда", "business environment"),
    ("обществен транспорт", "public transport"), ("електронни услуги", "e-services"),
]  # fmt: skip
# The kinds of indicator, in turn: every direction, accumulation, measure, frequency and kind of
# target the engine rates.
KINDS: list[dict] = [
    dict(direction="increase", accumulation="per_period", measure="number", frequency="annual"),
    dict(direction="decrease", accumulation="latest", measure="number", frequency="quarterly"),
    dict(direction="increase", accumulation="cumulative", measure="number", frequency="annual"),
    dict(direction="increase", accumulation="latest", measure="percentage", frequency="annual"),
    dict(direction="maintain", accumulation="latest", measure="number", frequency="annual"),
    dict(direction="decrease", accumulation="per_period", measure="number", frequency="annual"),
    dict(direction="increase", accumulation="latest", measure="score", frequency="annual",
         scale_min=Decimal(1), scale_max=Decimal(5)),
    dict(direction="decrease", accumulation="latest", measure="number", frequency="annual",
         target_kind="threshold"),
    dict(direction="increase", accumulation="per_period", measure="number", frequency="semiannual"),
    dict(direction="increase", accumulation="per_period", measure="number", frequency="annual"),
]  # fmt: skip
SUBS = {"annual": [0], "semiannual": [1, 2], "quarterly": [1, 2, 3, 4]}
SATISFACTION = ["Много недоволен", "Недоволен", "Нито доволен, нито недоволен", "Доволен", "Много доволен"]
SATISFACTION_EN = ["Very dissatisfied", "Dissatisfied", "Neither", "Satisfied", "Very satisfied"]


@dataclass
class SurveyParts:
    """A generated survey's questions, options and responses, with how many answers each
    response gives."""

    survey: Survey
    questions: list[Question] = field(default_factory=list)
    options: dict[int, list[Option]] = field(default_factory=dict)
    responses: list[dict] = field(default_factory=list)
    plan: list[int] = field(default_factory=list)


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low, high) * 1000)


def _date(rng: random.Random, year: int, last_year: int | None = None) -> datetime.date:
    year = rng.randint(year, last_year) if last_year else year
    return datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))


def _moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def _tree_sizes(total: int) -> tuple[int, int, int]:
    """Priorities, goals per priority and measures per goal of a tree of about ``total``
    elements (150 → 5 × 5 × 5: 155)."""
    branching = 1
    while branching + branching**2 + branching**3 < total:
        branching += 1
    return branching, branching, branching


class Municipal:
    """The generated content of one municipality, written in stages (each stage of several
    municipalities in one INSERT per model, so that primary keys are known for the next)."""

    def __init__(self, municipality: Municipality, place: Place, scale: Scale, answers: int, citizens: list):
        self.m, self.place, self.scale, self.answers = municipality, place, scale, answers
        self.rng = random.Random(f"{scale.seed}:{place.code}")
        self.citizens = citizens
        self.name = place.name_bg
        self.decision_numbers = iter(range(1, 10_000))

    def decision(self, day: datetime.date, subject_bg: str, subject_en: str) -> Decision:
        number = next(self.decision_numbers)
        text_bg = f"Общинският съвет – {self.name} {subject_bg[0].lower()}{subject_bg[1:]}. (Примерен текст.)"
        text_en = f"The Municipal Council of {transliterate(self.name)}: {subject_en}. (Sample text.)"
        votes = self.rng.randint(11, 40)
        return Decision(
            municipality=self.m, number=number, date=day, year=day.year, protocol_number=number // 3 + 1,
            subject_bg=subject_bg, subject_en=subject_en, text_bg=text_bg, text_en=text_en,
            votes_for=votes, votes_against=self.rng.randint(0, 5), votes_abstained=self.rng.randint(0, 3),
            is_sample=True,
            search_text=" ".join([str(number), subject_bg, subject_en, text_bg, text_en]).casefold(),
        )  # fmt: skip

    # Stage 1: decisions and the plan -----------------------------------------------------------

    def stage_plan(self) -> dict[type[models.Model], list]:
        s, rng = self.scale, self.rng
        start, end = FIRST_YEAR, s.last_year + 2
        self.adoption = self.decision(
            datetime.date(start, 3, rng.randint(1, 28)),
            f"Приема План за интегрирано развитие на община {self.name} {start}–{end}",
            f"adopts the Plan for Integrated Development {start}–{end}",
        )
        self.report_decisions = {
            year: self.decision(
                datetime.date(year + 1, 5, rng.randint(1, 28)),
                f"Одобрява годишния доклад за наблюдение на плана за {year} г.",
                f"approves the annual monitoring report of the plan for {year}",
            )
            for year in range(max(FIRST_YEAR, s.last_year - 1), s.last_year + 1)
        }
        self.cofinancing = [
            self.decision(
                _date(rng, start, s.last_year),
                "Одобрява съфинансиране на проект",
                "approves a project's co-financing",
            )
            for _ in range(min(3, s.projects))
        ]
        self.others = [
            self.decision(
                _date(rng, start, s.last_year), f"Приема наредба за {bg}", f"adopts an ordinance on {en}"
            )
            for bg, en in rng.sample(TOPICS, 4)
        ]
        decisions = [self.adoption, *self.report_decisions.values(), *self.cofinancing, *self.others]
        self.plan = Plan(
            municipality=self.m, slug=s.plan_slug, kind="development_plan",
            title_bg=f"План за интегрирано развитие на община {self.name} {start}–{end}",
            title_en=f"Plan for Integrated Development of {transliterate(self.name)} Municipality {start}–{end}",
            period_start=start, period_end=end, status=PlanStatus.IMPLEMENTATION,
            vision_bg=f"Община {self.name} – добро място за живот, работа и отдих.",
            vision_en="A good place to live, work and rest.",
            description_bg="Генериран план за измерване на платформата в национален мащаб. (Примерни данни.)",
            description_en="A generated plan for measuring the platform at national scale. (Sample data.)",
            level_names=[{"bg": "Приоритет", "en": "Priority"}, {"bg": "Цел", "en": "Goal"},
                         {"bg": "Мярка", "en": "Measure"}],
            adopted_by_bg=f"Решение № {self.adoption.number} от {self.adoption.date:%d.%m.%Y} г. на Общинския съвет",
            adopted_by_en=f"Decision No. {self.adoption.number} of {self.adoption.date:%d.%m.%Y} of the Council",
            position=10, is_sample=True,
        )  # fmt: skip
        return {Decision: decisions, Plan: [self.plan]}

    # Stage 2..4: the goal tree, level by level ---------------------------------------------------

    def stage_level(self, depth: int) -> dict[type[models.Model], list]:
        priorities, goals, measures = _tree_sizes(self.scale.elements)
        budget = self.scale.elements
        if depth == 0:
            self.levels: list[list[PlanElement]] = []
            parents: list[PlanElement | None] = [None]
            per_parent = priorities
        else:
            parents = list(self.levels[depth - 1])
            per_parent = goals if depth == 1 else measures
        used = sum(len(level) for level in self.levels)
        out: list[PlanElement] = []
        for parent in parents:
            for k in range(1, per_parent + 1):
                if used + len(out) >= budget:
                    break
                code = f"{parent.code}.{k}" if parent else str(k)
                bg, en = PRIORITIES[(k - 1) % len(PRIORITIES)] if parent is None else self.rng.choice(TOPICS)
                word_bg, word_en = ("Цел", "Goal") if depth == 1 else ("Мярка", "Measure")
                title_bg = bg if parent is None else f"{word_bg} {code}: {bg}"
                title_en = en if parent is None else f"{word_en} {code}: {en}"
                out.append(
                    PlanElement(
                        plan=self.plan,
                        parent=parent,
                        position=k,
                        code=code,
                        title_bg=title_bg,
                        title_en=title_en,
                        description_bg=f"Описание на {title_bg.lower()}. (Примерни данни.)",
                        description_en=f"Description of {title_en}. (Sample data.)",
                    )  # fmt: skip
                )
        self.levels.append(out)
        return {PlanElement: out}

    @property
    def elements(self) -> list[PlanElement]:
        return [e for level in self.levels for e in level]

    @property
    def leaves(self) -> list[PlanElement]:
        return next(level for level in reversed(self.levels) if level)

    # Stage 5: projects, the financial table, consultations, surveys, topics, events, reports -----

    def stage_objects(self) -> dict[type[models.Model], list]:
        s, rng, place = self.scale, self.rng, self.place
        rows: dict[type[models.Model], list] = {}
        rows[FinancialLine] = [
            _row(
                plan=self.plan,
                element=priority,
                source=source,
                year=year,
                amount=_money(rng, 50, 2000),
                position=i,
            )  # fmt: skip
            for i, (priority, source, year) in enumerate(
                (p, src, y)
                for p in self.levels[0]
                for src in ("municipal", "eu")
                for y in range(FIRST_YEAR, s.last_year + 1)
            )
        ]
        statuses = [
            ProjectStatus.IN_PROGRESS, ProjectStatus.COMPLETED, ProjectStatus.CONTRACTED, ProjectStatus.PLANNED,
            ProjectStatus.FUNDING_APPLIED, ProjectStatus.IN_PREPARATION, ProjectStatus.IDEA, ProjectStatus.SUSPENDED,
        ]  # fmt: skip
        self.projects = []
        for n in range(1, s.projects + 1):
            topic_bg, topic_en = rng.choice(TOPICS)
            status = statuses[n % len(statuses)]
            start = _date(rng, FIRST_YEAR, s.last_year)
            progress = {ProjectStatus.COMPLETED: 100, ProjectStatus.IN_PROGRESS: rng.randint(5, 95)}.get(
                status, 0
            )
            code = f"П-{n:03d}"
            title_bg = f"{['Ремонт', 'Изграждане', 'Модернизация', 'Подобряване'][n % 4]} – {topic_bg} ({n})"
            title_en = (
                f"{['Repair', 'Construction', 'Modernisation', 'Improvement'][n % 4]}: {topic_en} ({n})"
            )
            description_bg = f"Проект в община {self.name} за {topic_bg}. (Примерни данни.)"
            description_en = f"A project of {transliterate(self.name)} for {topic_en}. (Sample data.)"
            lon = round(place.lon + rng.uniform(-0.08, 0.08), 6)
            lat = round(place.lat + rng.uniform(-0.05, 0.05), 6)
            self.projects.append(
                Project(
                    municipality=self.m,
                    slug=slug_from(code),
                    code=code,
                    title_bg=title_bg,
                    title_en=title_en,
                    description_bg=description_bg,
                    description_en=description_en,
                    responsible_unit_bg="Дирекция „Проекти и програми“",
                    responsible_unit_en="Projects directorate",
                    status=status,
                    planned_start=start,
                    planned_end=start + datetime.timedelta(days=rng.randint(180, 1100)),
                    actual_start=start if progress else None,
                    progress=progress,
                    declared_total=_money(rng, 40, 5000),
                    location={"type": "Point", "coordinates": [lon, lat]},
                    location_name_bg=f"гр./с. в община {self.name}",
                    location_name_en=place.centre_en,
                    cofinancing_decision=self.cofinancing[n - 1] if n <= len(self.cofinancing) else None,
                    is_sample=True,
                    search_text=" ".join(
                        [code, title_bg, title_en, description_bg, description_en]
                    ).casefold(),
                )  # fmt: skip
            )
        rows[Project] = self.projects
        rows.update(self._consultations())
        rows.update(self._surveys())
        self.topics = [
            Topic(
                municipality=self.m, title=f"Обсъждане: {bg}", plan=self.plan if k == 0 else None,
                post_count=3, last_post_at=_moment(_date(rng, s.last_year)),
            )
            for k, (bg, _en) in enumerate(rng.sample(TOPICS, 3))
        ]  # fmt: skip
        rows[Topic] = self.topics
        rows[PublicityEvent] = [
            _row(
                municipality=self.m,
                plan=self.plan,
                title_bg=f"{label} за плана ({year})",
                title_en=f"{label_en} on the plan ({year})",
                kind=kind,
                date=_date(rng, year),
                time=datetime.time(rng.choice([10, 11, 14, 17])),
                place_bg=f"Заседателна зала, община {self.name}",
                place_en="Council chamber",
                participants=rng.randint(10, 120),
                is_sample=True,
                description_bg="Представяне на напредъка по плана. (Примерни данни.)",
                description_en="Progress of the plan presented. (Sample data.)",
            )  # fmt: skip
            for year in range(FIRST_YEAR, s.last_year + 1)
            for kind, label, label_en in [
                (EventKind.PUBLIC_HEARING, "Обществено обсъждане", "Public hearing"),
                (EventKind.PRESS_CONFERENCE, "Пресконференция", "Press conference"),
            ][: 1 + (year % 2)]
        ]
        rows[Publication] = [
            _row(
                municipality=self.m,
                plan=self.plan,
                title_bg=f"Напредък по плана през {year} г.",
                title_en=f"Progress of the plan in {year}",
                medium=Medium.WEBSITE,
                outlet_bg=f"Сайт на община {self.name}",
                outlet_en="The municipality's website",
                published_on=_date(rng, year),
                is_sample=True,
            )  # fmt: skip
            for year in range(FIRST_YEAR, s.last_year + 1)
        ]
        rows[AnnualReport] = [
            _row(
                municipality=self.m,
                plan=self.plan,
                year=year,
                as_of=datetime.date(year + 1, 3, 31),
                conditions_bg="Общите условия са стабилни. (Примерни данни.)",
                conditions_en="Stable. (Sample data.)",
                actions_bg="Предприети са мерки по изоставащите индикатори.",
                actions_en="Measures were taken.",
                conclusions_bg="Планът се изпълнява.",
                conclusions_en="The plan is being implemented.",
                status=ReportStatus.APPROVED,
                decision=decision,
                approved_at=_moment(decision.date),
                is_sample=True,
            )  # fmt: skip
            for year, decision in self.report_decisions.items()
        ]
        return rows

    def _consultations(self) -> dict:
        s, rng = self.scale, self.rng
        self.consultations = []
        for k in range(s.consultations):
            opens = _date(rng, FIRST_YEAR + k, s.last_year)
            status = ConsultationStatus.PUBLISHED if k % 2 == 0 else ConsultationStatus.CLOSED
            bg, en = rng.choice(TOPICS)
            self.consultations.append(
                Consultation(
                    municipality=self.m,
                    slug=f"konsultatsia-{k + 1}",
                    plan=self.plan if k == 0 else None,
                    title_bg=f"Обществена консултация: {bg}",
                    title_en=f"Public consultation: {en}",
                    summary_bg=f"Проект на документ за {bg}. (Примерни данни.)",
                    summary_en="(Sample data.)",
                    opens_at=_moment(opens),
                    closes_at=_moment(opens + datetime.timedelta(days=30)),
                    status=status,
                    closed_at=_moment(opens + datetime.timedelta(days=30)),
                    report_published_at=_moment(opens + datetime.timedelta(days=45))
                    if status == ConsultationStatus.PUBLISHED
                    else None,
                    is_sample=True,
                )  # fmt: skip
            )
        return {Consultation: self.consultations}

    def _surveys(self) -> dict:
        s, rng = self.scale, self.rng
        self.surveys = []
        for k in range(s.surveys):
            opens = _date(rng, s.last_year - (k % 2))
            self.surveys.append(
                Survey(
                    municipality=self.m,
                    slug=f"anketa-{k + 1}",
                    status=SurveyStatus.PUBLISHED,
                    title_bg=f"Анкета за удовлетвореността на гражданите ({k + 1})",
                    title_en=f"Citizens' satisfaction survey ({k + 1})",
                    intro_bg="Вашето мнение е важно за нас. (Примерни данни.)",
                    intro_en="(Sample data.)",
                    opens_at=_moment(opens),
                    closes_at=_moment(opens + datetime.timedelta(days=60)),
                    is_sample=True,
                )  # fmt: skip
            )
        self.survey_parts = [SurveyParts(survey) for survey in self.surveys]
        return {Survey: self.surveys}

    # Stage 6: what hangs from the projects, indicators, consultations, surveys and topics -------

    def stage_children(self) -> dict[type[models.Model], list]:
        rng = self.rng
        rows: dict[type[models.Model], list] = {
            ProjectContribution: [], FundingLine: [], Activity: [], Indicator: [], Paragraph: [],
            ConsultationSection: [], Question: [], Post: [],
        }  # fmt: skip
        leaves = self.leaves
        for n, project in enumerate(self.projects):
            for position, element in enumerate(rng.sample(leaves, min(len(leaves), 1 + n % 2))):
                rows[ProjectContribution].append(_row(project=project, element=element, position=position))
            for position, source in enumerate(["eu", "municipal", "national"][: 1 + n % 3]):
                amount = _money(rng, 20, 3000)
                rows[FundingLine].append(
                    _row(
                        project=project,
                        source=source,
                        amount=amount,
                        position=position,
                        spent=(amount * Decimal(project.progress or 0) / 100).quantize(Decimal("0.01")),
                        programme_bg="Програма „Развитие на регионите“ 2021–2027" if source == "eu" else "",
                        grant_share=Decimal(100) if source == "eu" else None,
                    )  # fmt: skip
                )
            for position in range(3):
                due = (project.planned_start or datetime.date(FIRST_YEAR, 1, 1)) + datetime.timedelta(
                    days=200 * (position + 1)
                )
                done = project.progress and project.progress >= (position + 1) * 33
                rows[Activity].append(
                    _row(
                        project=project,
                        position=position,
                        title_bg=["Проектиране", "Обществена поръчка", "Изпълнение"][position],
                        title_en=["Design", "Public procurement", "Works"][position],
                        is_milestone=position == 2,
                        start_date=due - datetime.timedelta(days=150),
                        due_date=due,
                        completed_on=due if done else None,
                        state=ActivityState.DONE if done else ActivityState.PLANNED,
                    )  # fmt: skip
                )
        self.indicators = rows[Indicator] = self._indicators(leaves)
        self.section_rows = rows[ConsultationSection]
        for consultation in self.consultations:
            for position in range(1, 4):
                rows[ConsultationSection].append(
                    ConsultationSection(
                        consultation=consultation,
                        position=position,
                        heading_bg=f"Раздел {position}",
                        heading_en=f"Section {position}",
                    )  # fmt: skip
                )
        for parts in self.survey_parts:
            survey = parts.survey
            parts.questions = [
                Question(survey=survey, position=1, kind=QuestionKind.SINGLE, required=True,
                         text_bg="Колко често ползвате услугите на общината?", text_en="How often do you use the services?"),
                Question(survey=survey, position=2, kind=QuestionKind.MULTIPLE,
                         text_bg="Кои области са най-важни за вас?", text_en="Which areas matter most to you?"),
                Question(survey=survey, position=3, kind=QuestionKind.LIKERT, required=True, scale_size=5,
                         scale_labels=[{"bg": bg, "en": en} for bg, en in zip(SATISFACTION, SATISFACTION_EN, strict=True)],
                         text_bg="Доволни ли сте от работата на общината?", text_en="Are you satisfied?"),
                Question(survey=survey, position=4, kind=QuestionKind.NUMBER, min_value=Decimal(16),
                         max_value=Decimal(100), text_bg="На колко години сте?", text_en="How old are you?"),
                Question(survey=survey, position=5, kind=QuestionKind.SHORT_TEXT, max_length=200,
                         text_bg="Какво да подобрим?", text_en="What should we improve?"),
            ]  # fmt: skip
            rows[Question] += parts.questions
        for topic in self.topics:
            for k in range(topic.post_count):
                body = f"Мнение {k + 1} по темата „{topic.title}“. (Примерни данни.)"
                kind = PostKind.OFFICIAL if k == topic.post_count - 1 else PostKind.COMMENT
                rows[Post].append(
                    _row(topic=topic, author=self.citizens[k % len(self.citizens)], kind=kind, body=body,
                         body_html=markup.render(body))
                )  # fmt: skip
        return rows

    def _indicators(self, leaves: list[PlanElement]) -> list[Indicator]:
        s, rng = self.scale, self.rng
        out = []
        on_projects = min(len(self.projects), s.indicators // 10)
        for n in range(s.indicators):
            kind = dict(KINDS[n % len(KINDS)])
            bg, en = rng.choice(TOPICS)
            on_project = n >= s.indicators - on_projects
            baseline = Decimal(rng.randint(50, 500))
            if kind["measure"] == "percentage":
                baseline = Decimal(rng.randint(20, 60))
            elif kind["measure"] == "score":
                baseline = Decimal(2)
            if kind["direction"] == "maintain":
                kind["tolerance"] = Decimal(10)
            out.append(
                Indicator(
                    municipality=self.m,
                    code=f"И-{n + 1:03d}",
                    element=None if on_project else leaves[n % len(leaves)],
                    project=self.projects[n % len(self.projects)] if on_project else None,
                    name_bg=f"Показател {n + 1}: {bg}",
                    name_en=f"Indicator {n + 1}: {en}",
                    definition_bg=f"Измерва напредъка в областта „{bg}“.",
                    definition_en=f"Measures progress in {en}.",
                    type=["output", "result", "impact"][n % 3],
                    unit_bg="%" if kind["measure"] == "percentage" else "бр.",
                    unit_en="%" if kind["measure"] == "percentage" else "no.",
                    baseline_value=baseline,
                    baseline_year=FIRST_YEAR - 1,
                    data_source_bg="Общинска администрация",
                    data_source_en="Municipal administration",
                    responsible_unit_bg="Дирекция „Стратегическо планиране“",
                    responsible_unit_en="Planning directorate",
                    position=n,
                    is_sample=True,
                    **kind,
                )  # fmt: skip
            )
        return out

    # Stage 7: targets, values, paragraphs, options, responses ------------------------------------

    def stage_grandchildren(self) -> dict[type[models.Model], list]:
        s, rng = self.scale, self.rng
        targets, values = [], []
        middle, final = FIRST_YEAR + s.years // 2, s.last_year + 2
        for indicator in self.indicators:
            base = float(indicator.baseline_value or 0)
            measure, direction = indicator.measure, indicator.direction
            factor = {"increase": 1.5, "decrease": 0.6, "maintain": 1.0}[direction]
            if measure == "percentage":
                factor = min(1.5, 95 / base)
            if measure == "score":
                factor = 2.0  # 2 → 4 on a scale of 1 to 5
            if indicator.target_kind == "threshold":
                targets.append(
                    _row(indicator=indicator, year=final, value=Decimal(int(base * 0.8)), is_final=True)
                )
            else:
                for year, value, is_final in (
                    (middle, base * (1 + (factor - 1) / 2), False),
                    (final, base * factor, True),
                ):
                    targets.append(
                        _row(indicator=indicator, year=year, value=Decimal(f"{value:.2f}"), is_final=is_final)
                    )
            subs = SUBS[indicator.frequency]
            for year in range(FIRST_YEAR, s.last_year + 1):
                progress = (year - FIRST_YEAR + 1) / (final - FIRST_YEAR + 1)
                for sub in subs:
                    expected = base + (base * factor - base) * progress
                    if indicator.accumulation == "cumulative":
                        expected = base * factor / (final - FIRST_YEAR + 1)
                    number: float = expected * rng.uniform(0.75, 1.2)
                    if measure == "score":
                        number = min(5.0, max(1.0, float(round(number))))
                    if measure == "percentage":
                        number = min(100.0, number)
                    measured = Decimal(f"{number:.2f}")
                    fields: dict = {"value": measured}
                    if measure == "percentage":
                        denominator = Decimal(rng.randint(200, 400))
                        numerator = (measured * denominator / 100).quantize(Decimal("0.01"))
                        fields = {"numerator": numerator, "denominator": denominator, "value": None}
                        shown = f"{numerator.normalize():f}/{denominator.normalize():f}"
                    else:
                        shown = f"{measured.normalize():f}"
                    awaiting = year == s.last_year and rng.random() < 0.1
                    collected = datetime.date(year + 1, 1, 31)
                    values.append(
                        _row(
                            indicator=indicator,
                            year=year,
                            sub=sub,
                            collected_on=collected,
                            state=MeasurementState.SUBMITTED if awaiting else MeasurementState.PUBLISHED,
                            submitted_at=_moment(collected),
                            approved_at=None if awaiting else _moment(collected, 14),
                            published_text="" if awaiting else shown,
                            **fields,
                        )  # fmt: skip
                    )
        self.values = values
        rows: dict[type[models.Model], list] = {
            Target: targets,
            Paragraph: [],
            Option: [],
        }
        sections: dict[int, list] = {}
        for section in self.section_rows:
            sections.setdefault(id(section.consultation), []).append(section)
            for position in range(1, 3):
                rows[Paragraph].append(
                    _row(
                        section=section,
                        position=position,
                        text_bg=f"Текст на точка {section.position}.{position} от проекта. (Примерни данни.)",
                        text_en=f"Text of point {section.position}.{position} of the draft. (Sample data.)",
                    )  # fmt: skip
                )
        self.proposal_sections = sections
        for parts in self.survey_parts:
            single, multiple = parts.questions[0], parts.questions[1]
            parts.options = {
                single.position: [
                    Option(question=single, position=i, label_bg=bg, label_en=en)
                    for i, (bg, en) in enumerate([("Всяка седмица", "Weekly"), ("Всеки месец", "Monthly"),
                                                  ("Няколко пъти в годината", "A few times a year"),
                                                  ("Рядко", "Rarely")])
                ],
                multiple.position: [
                    Option(question=multiple, position=i, label_bg=bg, label_en=en)
                    for i, (bg, en) in enumerate(TOPICS[:6])
                ],
            }  # fmt: skip
            for options in parts.options.values():
                rows[Option] += options
        return rows

    def stage_values(self) -> dict[type[models.Model], list]:
        return {Measurement: self.values}

    # Stage 8: proposals, and the responses with their answers ------------------------------------

    def stage_proposals(self) -> dict[type[models.Model], list]:
        rng = self.rng
        proposals = []
        for consultation in self.consultations:
            sections = self.proposal_sections.get(id(consultation), [])
            for k in range(8):
                section = sections[k % len(sections)] if sections and k % 3 else None
                source = [ProposalSource.PORTAL, ProposalSource.EMAIL, ProposalSource.HEARING][k % 3]
                author = self.citizens[k % len(self.citizens)] if source == ProposalSource.PORTAL else None
                proposals.append(
                    Proposal(
                        consultation=consultation,
                        section=section,
                        source=source,
                        author=author,
                        submitter_name="" if author else f"Гражданин {k + 1}",
                        received_at=consultation.opens_at + datetime.timedelta(days=rng.randint(0, 29)),
                        text=f"Предлагам да се допълни раздел {section.position if section else 'общо'}. (Примерни данни.)",
                        is_sample=True,
                    )  # fmt: skip
                )
        self.proposals = proposals
        responses = []
        per_survey = self._answers_per_survey()
        for parts, answers in zip(self.survey_parts, per_survey, strict=True):
            parts.plan = []
            while answers > 0:
                n = min(answers, rng.randint(3, 5))
                parts.plan.append(n)
                answers -= n
            start = parts.survey.opens_at or _moment(datetime.date(FIRST_YEAR, 1, 1))
            parts.responses = [
                _row(
                    survey=parts.survey,
                    submitted_at=start + datetime.timedelta(minutes=i * 7),
                    is_sample=True,
                )
                for i in range(len(parts.plan))
            ]
            responses += parts.responses
        return {Proposal: proposals, Response: responses}

    def _answers_per_survey(self) -> list[int]:
        n = len(self.surveys)
        if not n:
            return []
        return [self.answers // n + (1 if i < self.answers % n else 0) for i in range(n)]

    def stage_answers(self) -> dict[type[models.Model], list]:
        rng = self.rng
        answers = []
        for proposal in self.proposals:
            if proposal.consultation.status != ConsultationStatus.PUBLISHED and rng.random() < 0.5:
                continue
            decision = rng.choice(list(AnswerDecision))
            answers.append(
                _row(
                    proposal=proposal,
                    decision=decision,
                    answered_at=proposal.received_at + datetime.timedelta(days=20),
                    reasons_bg=""
                    if decision == AnswerDecision.ACCEPTED
                    else "Предложението е извън обхвата на документа.",
                    reasons_en="" if decision == AnswerDecision.ACCEPTED else "Outside the document's scope.",
                )  # fmt: skip
            )
        survey_answers = []
        for parts in self.survey_parts:
            single, multiple, likert, number, text = parts.questions
            options_single = parts.options[single.position]
            options_multiple = parts.options[multiple.position]
            for response, count in zip(parts.responses, parts.plan, strict=True):
                row = [
                    _row(response_id=response["id"], question=single, option=rng.choice(options_single)),
                    _row(response_id=response["id"], question=likert, number=Decimal(rng.randint(1, 5))),
                    _row(response_id=response["id"], question=multiple, option=rng.choice(options_multiple)),
                    _row(response_id=response["id"], question=number, number=Decimal(rng.randint(16, 85))),
                    _row(response_id=response["id"], question=text, text=rng.choice(TOPICS)[0]),
                ]
                survey_answers += row[:count]
        return {ProposalAnswer: answers, SurveyAnswer: survey_answers}

    def stage_version(self) -> dict[type[models.Model], list]:
        return {PlanVersion: [self.version()]}

    def version(self) -> dict:
        return _row(
            plan=self.plan, number=1, kind=VersionKind.ADOPTED, snapshot=planfile_document(self.plan),
            decision=self.adoption, effective_on=self.adoption.date,
            note_bg="Приет от Общинския съвет.", note_en="Adopted by the Municipal Council.",
        )  # fmt: skip


# The run ----------------------------------------------------------------------------------------


def _municipalities(chosen: list[Place], writer: Writer, summary: Summary) -> list[Municipality]:
    """The chosen municipalities: those that exist (by address name, or by name when the name is
    the country's only one of its kind) are kept; the others are created."""
    by_slug = {m.slug: m for m in Municipality.objects.all()}
    names = Counter(place.name_bg for place in places())
    by_name: dict[str, Municipality] = {}
    for m in by_slug.values():
        for name in (m.name_bg, m.name_bg.removeprefix("Община ").strip()):
            by_name.setdefault(name, m)
    out, new = [], []
    for place in chosen:
        existing = by_slug.get(place.slug) or (
            by_name.get(place.name_bg) if names[place.name_bg] == 1 else None
        )
        if existing is not None:
            summary.existing.append(existing.slug)
            out.append(existing)
            continue
        municipality = Municipality(
            slug=place.slug, name_bg=f"Община {place.name_bg}",
            name_en=f"{transliterate(place.name_bg)} Municipality", nuts=NUTS.get(place.province_bg, ""),
            population=place.population, population_year=2013,
            address_bg=f"обл. {place.province_bg}", address_en=f"{place.centre_en}, {transliterate(place.province_bg)} Province",
        )  # fmt: skip
        new.append(municipality)
        out.append(municipality)
    writer.create(Municipality, new)
    return out


def _citizens(municipalities: list[Municipality], writer: Writer) -> dict[int, list]:
    """Three citizens' accounts per municipality (no password: they cannot sign in)."""
    users = get_user_model()
    unusable = make_password(None)
    rows = {
        m.pk: [
            users(username=f"national-{m.slug}-{k}", first_name="Гражданин", last_name=str(k), password=unusable,
                  email=f"national-{m.slug}-{k}@example.invalid")
            for k in range(1, 4)
        ]
        for m in municipalities
    }  # fmt: skip
    writer.create(users, [u for group in rows.values() for u in group])
    return rows


# The largest tables: on PostgreSQL their foreign keys are checked once, when put back after the
# load (as pg_restore does), instead of row by row when the transaction commits.
BULK_MODELS = (SurveyAnswer, Response, Measurement, Target, Activity, FundingLine)


def _drop_foreign_keys(tables: list[str]) -> list[tuple[str, str, str]]:
    """On PostgreSQL, inside the transaction: drop the tables' foreign-key constraints and return
    them, for ``_restore_foreign_keys`` (an error before then rolls the drop back with the rest).
    The tables stay locked until the transaction ends. Other databases: nothing."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY conrelid, conname",
            [tables],
        )
        constraints = cursor.fetchall()
        for table, name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
    return constraints


def _restore_foreign_keys(constraints: list[tuple[str, str, str]]) -> None:
    """Put the constraints back: each checks every row in one scan."""
    with connection.cursor() as cursor:
        for table, name, definition in constraints:
            cursor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
            )


def _write_stage(writer: Writer, builders: list[Callable[[], dict]]) -> None:
    """Build every municipality's rows for one stage, then write them: one INSERT per model (in
    batches) for the whole chunk."""
    merged: dict[type[models.Model], list] = {}
    for build in builders:
        for model, rows in build().items():
            merged.setdefault(model, []).extend(rows)
    for model, rows in merged.items():
        # bulk_create takes the keys of parents saved since the rows were built.
        writer.create(model, rows)


def generate(scale: Scale, *, progress: Callable[[str], None] | None = None) -> Summary:
    """Generate the national dataset at ``scale``, all or nothing; refuses when it exists."""
    started = time.perf_counter()
    summary = Summary()
    say = progress or (lambda _text: None)
    chosen = places()[: scale.municipalities]
    with transaction.atomic():
        there = Plan.objects.filter(slug=scale.plan_slug, is_sample=True).count()
        if there:
            raise DatasetExists(
                _(
                    "The national dataset is already here: %(count)d municipalities have its plan "
                    "“%(slug)s”. Generate it into a new database."
                )
                % {"count": there, "slug": scale.plan_slug}
            )
        writer = Writer(summary)
        dropped = _drop_foreign_keys([m._meta.db_table for m in BULK_MODELS])
        municipalities = _municipalities(chosen, writer, summary)
        citizens = _citizens(municipalities, writer)
        total = scale.survey_answers
        shares = [total // len(chosen) + (1 if i < total % len(chosen) else 0) for i in range(len(chosen))]
        for first in range(0, len(chosen), CHUNK):
            group = [
                Municipal(municipalities[i], chosen[i], scale, shares[i], citizens[municipalities[i].pk])
                for i in range(first, min(first + CHUNK, len(chosen)))
            ]
            stages: list[tuple[str, list[Callable[[], dict]]]] = [
                ("plans", [g.stage_plan for g in group]),
                ("priorities", [functools.partial(g.stage_level, 0) for g in group]),
                ("goals", [functools.partial(g.stage_level, 1) for g in group]),
                ("measures", [functools.partial(g.stage_level, 2) for g in group]),
                ("projects, consultations, surveys", [g.stage_objects for g in group]),
                ("indicators, activities, questions", [g.stage_children for g in group]),
                ("targets, options", [g.stage_grandchildren for g in group]),
                # The version the council adopted: the plan before any value was measured.
                ("versions", [g.stage_version for g in group]),
                ("values", [g.stage_values for g in group]),
                ("proposals, responses", [g.stage_proposals for g in group]),
                ("answers", [g.stage_answers for g in group]),
            ]
            for label, builders in stages:
                stage_started = time.perf_counter()
                _write_stage(writer, builders)
                summary.stages[label] = summary.stages.get(label, 0.0) + time.perf_counter() - stage_started
            for g in group:
                content.changed(g.m, content.Content.PLANNING, content.Content.PARTICIPATION)
            say(f"{min(first + CHUNK, len(chosen))}/{len(chosen)}")
        checks_started = time.perf_counter()
        _restore_foreign_keys(dropped)
        summary.stages["foreign keys checked"] = time.perf_counter() - checks_started
    summary.seconds = time.perf_counter() - started
    return summary
