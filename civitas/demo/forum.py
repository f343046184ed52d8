"""Sample forum discussions for the Sopot demo, written by sample citizens (demo data only):
a topic on the development plan, the bicycle path's discussion with an issue report and the
project manager's official answer, and a post hidden by a moderator with its public reason."""

from django.contrib.auth import get_user_model

from civitas.accounts.models import Profile
from civitas.forum import services
from civitas.forum.models import Topic
from civitas.plans.models import Plan
from civitas.projects.models import Project

from .sopot import DEMO_PASSWORD

CITIZENS = [
    ("grazhdanin.sopot@example.org", "Петър от Сопот"),
    ("grazhdanka.anevo@example.org", "Мария от Анево"),
    ("mladezh@example.org", "Младежки съвет – Сопот"),
]


def _citizens():
    users = get_user_model().objects
    result = []
    for email, name in CITIZENS:
        user = users.filter(username=email).first()
        if user is None:
            user = users.create_user(username=email, email=email, password=DEMO_PASSWORD)
            Profile.objects.create(user=user, display_name=name)
        result.append(user)
    return result


def load_forum(municipality) -> None:
    if Topic.objects.filter(municipality=municipality).exists():
        return
    petar, maria, youth = _citizens()
    users = get_user_model().objects
    manager = users.get(username="sopot-projects")
    moderator = users.get(username="sopot-moderator")
    plan = Plan.objects.get(municipality=municipality, slug="opr-2014-2020")
    bike = Project.objects.get(municipality=municipality, code="ОПР-4.3")

    topic = services.topic_create(
        actor=youth, municipality=municipality, plan=plan, address="demo-youth",
        title="Център за развитие на младите хора: какво да има в него?",
        body="Предлагаме **зала за репетиции**, място за доброволци и компютърен клуб. Какво мислите?",
    )  # fmt: skip
    first = topic.posts.get()
    services.post_create(actor=maria, topic=topic, parent=first, address="demo-maria", notify=False,
                         body="Да има и транспорт от Анево до центъра в дните на занятията.")  # fmt: skip
    rude = services.post_create(actor=petar, topic=topic, parent=first, address="demo-petar", notify=False,
                                body="Пак ще похарчат парите за нищо, всички са маскари!")  # fmt: skip
    services.post_hide(
        actor=moderator, post=rude, reason="Обидни думи към други хора (т. 1 от условията за ползване)"
    )

    bike_topic = services.topic_create(
        actor=maria, municipality=municipality, project=bike, address="demo-maria",
        title="Велоалеята Сопот – Анево", body="Следя проекта: кога ще бъде готов участъкът до Анево?",
    )  # fmt: skip
    issue = services.post_create(
        actor=petar, topic=bike_topic, kind="issue", address="demo-petar", notify=False,
        body="Работите по участъка край гробищата са спрели от месец, а изкопът не е обезопасен.",
    )  # fmt: skip
    services.post_create(
        actor=manager, topic=bike_topic, kind="official", parent=issue, address="demo-manager", notify=False,
        body="Благодарим за сигнала. Изпълнителят обезопаси изкопа на следващия ден; работите се подновяват след "
        "одобряване на промяната в трасето. (Примерни данни)",
    )  # fmt: skip

    services.topic_create(
        actor=petar, municipality=municipality, address="demo-petar",
        title="Улично осветление в кв. Сарая", body="След подмяната на лампите улиците са по-светли. Браво!",
    )  # fmt: skip
