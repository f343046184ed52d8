"""Public consultations for the Sopot demo, built through the consultation services.

1. The consultation on the draft Municipal Development Plan 2014–2020 (the press release says the
   plan was adopted "after the surveys, a discussion forum and a public discussion of the draft"):
   its draft generated from the plan (the vision and the four strategic goals with their projects),
   proposals from the portal (the sample citizens), by e-mail, by letter and at a public hearing,
   one proposal hidden by a moderator, every other one answered (all four decisions), closed, and
   its table of proposals and answers published.
2. An open consultation on a draft of the housing policy's action plan, so that citizens can comment
   now: its four sections are the strategy's four goals word for word.

SAMPLE DATA: the press release gives no dates, texts or senders of proposals: every date, proposal,
sender and answer below is illustrative and marked as sample. Loading twice changes nothing.
"""

import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from civitas.consultations import services
from civitas.consultations.models import Consultation, Paragraph, Section
from civitas.council.models import Decision
from civitas.forum import services as forum
from civitas.plans.models import Plan

from .forum import _citizens

SOFIA = ZoneInfo("Europe/Sofia")
OPR_SLUG = "opr-2014-2020-proekt"
HOUSING_SLUG = "zhilishtna-politika-plan-za-deistvie"


def _at(day: int, month: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(2014, month, day, hour, 0, tzinfo=SOFIA)


def _paragraph(consultation: Consultation, starts_with: str) -> Paragraph:
    return Paragraph.objects.select_related("section").get(
        section__consultation=consultation, text_bg__startswith=starts_with
    )


def _section(consultation: Consultation, starts_with: str) -> Section:
    return Section.objects.get(consultation=consultation, heading_bg__startswith=starts_with)


def load_consultations(municipality) -> list[Consultation]:
    users = get_user_model().objects
    planner = users.get(username="sopot-planner")
    moderator = users.get(username="sopot-moderator")
    return [_development_plan(municipality, planner, moderator), _housing(municipality, planner)]


def _development_plan(municipality, planner, moderator) -> Consultation:
    existing = Consultation.objects.filter(municipality=municipality, slug=OPR_SLUG).first()
    if existing is not None:
        return existing
    petar, maria, youth = _citizens()
    plan = Plan.objects.get(municipality=municipality, slug="opr-2014-2020")
    consultation = services.consultation_create(
        actor=planner, municipality=municipality, slug=OPR_SLUG, plan=plan, is_sample=True,
        plan_version=plan.versions.filter(kind="consultation_draft").order_by("number").first(),
        title_bg="Обществено обсъждане на проекта на Общински план за развитие на община Сопот 2014–2020г.",
        title_en="Public consultation on the draft Municipal Development Plan of Sopot municipality 2014–2020",
        summary_bg="Общината представя за обществено обсъждане проекта на Общинския план за развитие 2014–2020: "
                   "визията и четирите стратегически цели с проектите към тях. (Примерни данни: датите, "
                   "предложенията и отговорите в тази консултация са илюстративни.)",
        summary_en="The municipality puts the draft Municipal Development Plan 2014–2020 to public consultation: "
                   "the vision and the four strategic goals with their projects. (Sample data: the dates, "
                   "proposals and answers of this consultation are illustrative.)",
        opens_at=_at(14, 4, 9), closes_at=_at(14, 5, 17),
    )  # fmt: skip
    services.draft_from_plan(actor=planner, consultation=consultation)
    services.consultation_open(actor=planner, consultation=consultation, now=_at(14, 4, 9))

    youth_centre = _paragraph(consultation, "ОПР-1.2")
    bike_path = _paragraph(consultation, "ОПР-4.3")
    fortress = _paragraph(consultation, "ОПР-1.1")
    goal_2 = _section(consultation, "СЦ2")
    vision = _section(consultation, "Визия").paragraphs.get()

    def submit(actor, text, when, paragraph=None, section=None, organisation=""):
        return services.proposal_submit(
            actor=actor, consultation=consultation, text=text, paragraph=paragraph, section=section,
            organisation=organisation, address=f"demo-{actor.pk}", now=when,
        )  # fmt: skip

    def record(source, name, text, when, paragraph=None, section=None, organisation=""):
        return services.proposal_record(
            actor=planner, consultation=consultation, source=source, submitter_name=name, organisation=organisation,
            text=text, received_at=when, paragraph=paragraph, section=section, is_sample=True,
        )  # fmt: skip

    answers = [
        (
            submit(
                youth,
                "Центърът за развитие на младите хора да има зала за репетиции и място за доброволци; "
                "младежите да участват в управлението му.",
                _at(18, 4),
                paragraph=youth_centre,
                organisation="Младежки съвет – Сопот",
            ),
            "accepted",
            "Предложението е отразено в описанието на проекта.",
        ),
        (
            submit(
                maria,
                "Да се осигури транспорт от Анево до Сопот в дните на занятията в центъра за младежи и на "
                "културните събития.",
                _at(22, 4),
                section=goal_2,
            ),
            "partly_accepted",
            "Транспортът от Анево е включен като дейност по СЦ2; честотата ще се определи по "
            "заявките на жителите.",
        ),
        (
            submit(
                petar,
                "Визията да назовава изрично Анево и крепостта „Аневско кале“ като туристическа "
                "забележителност.",
                _at(25, 4),
                paragraph=vision,
            ),
            "not_accepted",
            "Визията описва общината като цяло; крепостта е включена в СЦ1 като отделен проект (ОПР-1.1).",
        ),
        (
            record(
                "email",
                "Иван Николов",
                "Велоалеята Карлово – Сопот – Анево да бъде осветена по целия участък и с места за почивка.",
                _at(29, 4, 15),
                paragraph=bike_path,
            ),
            "accepted",
            "Осветлението и местата за почивка са добавени в техническото задание на проекта.",
        ),
        (
            record(
                "letter",
                "Сдружение „Приятели на Аневско кале“",
                "Предлагаме археологическите проучвания на "
                "крепостта да предхождат строителните работи и да се осигури охрана на обекта.",
                _at(6, 5, 11),
                paragraph=fortress,
                organisation="Сдружение „Приятели на Аневско кале“",
            ),
            "partly_accepted",
            "Проучванията предхождат строителството по закон; охраната ще бъде осигурена след "
            "завършване на експозиционната зала.",
        ),
        (
            record(
                "hearing",
                "Стоян Петков",
                "Общината да намали данъка върху недвижимите имоти за пенсионерите.",
                _at(8, 5, 17),
            ),
            "not_applicable",
            "Размерът на местните данъци се определя с наредба на Общинския съвет, а не с плана "
            "за развитие; предложението е препратено на постоянната комисия по бюджет и финанси.",
        ),
        (
            record(
                "hearing",
                "Гергана Стоянова",
                "Да се предвиди детска площадка и зелени площи в кв. Сарая.",
                _at(8, 5, 17),
                section=goal_2,
            ),
            "accepted",
            "",
        ),
    ]
    rude = submit(petar, "Пак ще откраднат парите, всички в общината са маскари!", _at(10, 5))
    services.proposal_hide(
        actor=moderator, proposal=rude, reason="Обидни думи към други хора (т. 1 от условията за ползване)"
    )
    services.consultation_close(actor=planner, consultation=consultation, now=_at(15, 5, 9))
    for proposal, decision, reasons in answers:
        services.proposal_answer(
            actor=planner, proposal=proposal, decision=decision, reasons_bg=reasons, now=_at(26, 5, 12)
        )
    services.report_publish(actor=planner, consultation=consultation, now=_at(28, 5, 12), notify=False)
    # The council adopted the plan together with the results of its consultation (sample decision
    # № 171 of 26.06.2014, civitas.demo.council).
    adopting = Decision.objects.filter(municipality=municipality, year=2014, number=171).first()
    if adopting is not None:
        consultation.refresh_from_db()
        services.consultation_results_decision_set(
            actor=planner, consultation=consultation, decision=adopting, expected_version=consultation.version
        )
    return consultation


HOUSING_TEXT_BG = """Проектът на план за действие прилага Стратегията за градоустройствена и жилищна политика на община \
Сопот за следващите три години. (Примерен текст за демонстрация.)

Раздел 1. Спиране процесите на влошаване на състоянието на съществуващата градска среда и сграден жилищен фонд

Общината подпомага сдруженията на собствениците при подготовката на проекти за обновяване на многофамилни жилищни сгради.

Ежегодно се обследват поне десет сгради в централната градска част и се публикува карта на тяхното състояние.

Раздел 2. Осигуряване на нови достъпни жилища /за покупка и отдаване под наем/ и публични пространства

Общината изгражда общински жилища под наем за млади семейства и специалисти, които работят в общината.

Раздел 3. Формиране на жизнена градска среда, осигуряваща достъп до публични пространства на местната общност

Площадите и парковете се обновяват след обсъждане с живеещите наблизо; всяко обновяване включва достъп за хора с \
увреждания.

Раздел 4. Формирана на балансирани и устойчиви жилищни структури/жилища, предоставящи повишен стандарт на \
обитаване и живот в общността

Новите жилищни квартали се планират с детски площадки, зелени площи и обществен транспорт."""

HOUSING_TEXT_EN = """The draft action plan implements the Strategy for urban-planning and housing policy of Sopot \
municipality for the next three years. (Sample text for the demonstration.)

Section 1. Stopping the deterioration of the existing urban environment and residential building stock

The municipality helps owners' associations prepare projects to renovate blocks of flats.

Every year at least ten buildings in the town centre are surveyed and a map of their condition is published.

Section 2. Providing new affordable dwellings (for purchase and for rent) and public spaces

The municipality builds municipal rental dwellings for young families and for specialists working in the \
municipality.

Section 3. Forming a vibrant urban environment that gives the local community access to public spaces

Squares and parks are renewed after a discussion with the people living nearby; every renewal includes access for \
people with disabilities.

Section 4. Forming balanced and sustainable housing structures / dwellings that offer a higher standard of \
housing and of life in the community

New residential areas are planned with playgrounds, green areas and public transport."""


def _housing(municipality, planner) -> Consultation:
    existing = Consultation.objects.filter(municipality=municipality, slug=HOUSING_SLUG).first()
    if existing is not None:
        return existing
    petar, maria, _youth = _citizens()
    plan = Plan.objects.get(municipality=municipality, slug="strategia-gradoustroistvo-zhilishta")
    now = timezone.now()
    consultation = services.consultation_create(
        actor=planner, municipality=municipality, slug=HOUSING_SLUG, plan=plan, is_sample=True,
        title_bg="Проект на план за действие по жилищната политика на община Сопот",
        title_en="Draft action plan for the housing policy of Sopot municipality",
        summary_bg="Кажете мнението си за всеки раздел и абзац на проекта. (Примерни данни за демонстрация.)",
        summary_en="Comment on every section and paragraph of the draft. (Sample data for the demonstration.)",
        opens_at=now - datetime.timedelta(days=3), closes_at=now + datetime.timedelta(days=27),
    )  # fmt: skip
    services.draft_replace_text(actor=planner, consultation=consultation, text_bg=HOUSING_TEXT_BG,
                                text_en=HOUSING_TEXT_EN)  # fmt: skip
    services.consultation_open(actor=planner, consultation=consultation, now=consultation.opens_at)
    surveyed = _paragraph(consultation, "Ежегодно се обследват")
    services.proposal_submit(
        actor=maria, consultation=consultation, paragraph=surveyed, section=surveyed.section,
        address=f"demo-{maria.pk}",
        text="Обследването да включва и сградите в Анево, не само в централната градска част.",
    )  # fmt: skip
    services.proposal_submit(
        actor=petar, consultation=consultation, address=f"demo-{petar.pk}",
        text="Планът да има срокове и отговорни лица за всяка мярка.",
    )  # fmt: skip
    # A discussion of the draft in the forum (sample data), linked from the consultation's page.
    topic = forum.topic_create(
        actor=maria, municipality=municipality, consultation=consultation, address=f"demo-{maria.pk}-forum",
        title="Кои сгради в Анево да бъдат обследвани първи?",
        body="Предлагам да започнем с блоковете до училището. Кой знае в какво състояние са покривите им?",
    )  # fmt: skip
    forum.post_create(
        actor=petar, topic=topic, parent=topic.posts.get(), address=f"demo-{petar.pk}-forum", notify=False,
        body="Покривът на блок 3 тече от две зими — би трябвало да е сред първите.",
    )  # fmt: skip
    return consultation
