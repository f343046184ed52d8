"""The Sopot demo's council decisions, recorded through ``council.services.decision_create``.

The press release (shared/seed/sopot-press-release-2014-bg.txt) says that the Municipal Council of
Sopot adopted the three documents the OP "Administrative Capacity" project produced: the Strategy
for urban-planning and housing policy, the Rules and methods for monitoring and evaluation, and the
Municipal Development Plan 2014–2020. It gives no numbers, dates, protocols or votes of those
decisions.

SAMPLE DATA: every number, date, protocol and vote below is illustrative (dates between the start
of the project, 31.10.2013, and its closing press conference, 24.07.2014) and each decision is
marked ``is_sample``. The fourth is the design's example (shared/DESIGN.md: decision № 42, protocol № 7, regular
session of 20.04.2016) on the plan's first annual report. The project itself was a 100% grant, so
no council decision on its co-financing is recorded (none fits). Loading twice changes nothing.

``SAMPLE_DECISIONS`` is the list the plan versions' demo uses: ``plan_slug`` names the plan whose
version the decision adopts (None: the decision adopts no plan).
"""

import datetime
from dataclasses import dataclass

from civitas.core.models import Municipality
from civitas.core.permissions import OPERATOR
from civitas.council import services
from civitas.council.models import Decision, SessionKind


@dataclass(frozen=True)
class SampleDecision:
    number: int
    date: datetime.date
    protocol_number: int
    subject_bg: str
    subject_en: str
    text_bg: str
    text_en: str
    plan_slug: str | None
    votes: tuple[int, int, int]  # for, against, abstained (the council has 15 members)
    session_kind: str = SessionKind.REGULAR


SAMPLE_DECISIONS = [
    SampleDecision(
        number=123,
        date=datetime.date(2014, 3, 27),
        protocol_number=18,
        subject_bg="Приемане на Стратегия за градоустройствена и жилищна политика на община Сопот",
        subject_en="Adoption of the Strategy for urban-planning and housing policy of Sopot municipality",
        text_bg="Общинският съвет – Сопот приема Стратегия за градоустройствена и жилищна политика на община "
        "Сопот, разработена по проект „Подобряване на процесите на създаване и провеждане на политики в "
        "община Сопот“ по Оперативна програма „Административен капацитет“. (Примерен текст.)",
        text_en="The Municipal Council of Sopot adopts the Strategy for urban-planning and housing policy of "
        "Sopot municipality, developed by the project \u201cImproving the processes of creating and conducting "
        "policies in Sopot municipality\u201d of the Operational Programme \u201cAdministrative Capacity\u201d. "
        "(Sample text.)",
        plan_slug="strategia-gradoustroistvo-zhilishta",
        votes=(13, 0, 1),
    ),
    SampleDecision(
        number=158,
        date=datetime.date(2014, 5, 29),
        protocol_number=21,
        subject_bg="Приемане на Правила и методики за мониторинг и оценка на конкретни политики в община "
        "Сопот – туризъм, градоустройствена и жилищна политика",
        subject_en="Adoption of the Rules and methods for monitoring and evaluation of specific policies in "
        "Sopot municipality – tourism, urban-planning and housing policy",
        text_bg="Общинският съвет – Сопот приема Правила и методики за мониторинг и оценка на конкретни "
        "политики в община Сопот – туризъм, градоустройствена и жилищна политика. (Примерен текст.)",
        text_en="The Municipal Council of Sopot adopts the Rules and methods for monitoring and evaluation of "
        "specific policies in Sopot municipality – tourism, urban-planning and housing policy. (Sample text.)",
        plan_slug="pravila-monitoring-ocenka",
        votes=(12, 0, 2),
    ),
    SampleDecision(
        number=171,
        date=datetime.date(2014, 6, 26),
        protocol_number=22,
        subject_bg="Приемане на Общински план за развитие на община Сопот 2014–2020г.",
        subject_en="Adoption of the Municipal Development Plan of Sopot municipality 2014–2020",
        text_bg="Общинският съвет – Сопот, след проведените анкетни проучвания, дискусионен форум и обществено "
        "обсъждане на проекта, приема Общински план за развитие на община Сопот 2014–2020г. (Примерен текст.)",
        text_en="The Municipal Council of Sopot, after the surveys, a discussion forum and a public discussion "
        "of the draft, adopts the Municipal Development Plan of Sopot municipality 2014–2020. (Sample text.)",
        plan_slug="opr-2014-2020",
        votes=(14, 0, 1),
    ),
    SampleDecision(
        number=42,
        date=datetime.date(2016, 4, 20),
        protocol_number=7,
        subject_bg="Приемане на годишния доклад за наблюдение на изпълнението на Общинския план за развитие "
        "на община Сопот 2014–2020г. за 2015 г.",
        subject_en="Approval of the annual monitoring report on the Municipal Development Plan of Sopot "
        "municipality 2014–2020 for 2015",
        text_bg="Общинският съвет – Сопот приема годишния доклад за наблюдение на изпълнението на Общинския "
        "план за развитие на община Сопот 2014–2020г. за 2015 г. (Примерен текст.)",
        text_en="The Municipal Council of Sopot approves the annual monitoring report on the Municipal "
        "Development Plan of Sopot municipality 2014–2020 for 2015. (Sample text.)",
        plan_slug=None,
        votes=(11, 2, 2),
    ),
]


def load_decisions(municipality: Municipality) -> list[Decision]:
    """Record the sample decisions (each once: one already in the register is kept as it is)."""
    decisions = []
    for sample in SAMPLE_DECISIONS:
        existing = Decision.objects.filter(
            municipality=municipality, year=sample.date.year, number=sample.number
        ).first()
        if existing is not None:
            decisions.append(existing)
            continue
        votes_for, votes_against, votes_abstained = sample.votes
        decisions.append(
            services.decision_create(
                actor=OPERATOR,
                municipality=municipality,
                number=sample.number,
                date=sample.date,
                subject_bg=sample.subject_bg,
                subject_en=sample.subject_en,
                text_bg=sample.text_bg,
                text_en=sample.text_en,
                session_kind=sample.session_kind,
                protocol_number=sample.protocol_number,
                votes_for=votes_for,
                votes_against=votes_against,
                votes_abstained=votes_abstained,
                is_sample=True,
            )  # fmt: skip
        )
    return decisions
