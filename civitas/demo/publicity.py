"""The publicity of the OP "Administrative Capacity" project in the Sopot demo, as the seed press
release gives it ("Дейност 5" and its opening paragraph; English from its working translation):
the opening press conference on 24.01.2014, the closing one on 24.07.2014 in the Ritual Hall in
Sopot, one banner, 1000 brochures with information about the project, publications in the
newspaper „Диалог днес“ and on a number of news websites, and the up-to-date information in the
"Projects" section of the municipality's website.

What the press release does not give (times, numbers of participants, the publications' dates and
addresses, the banner's and brochures' dates) is left empty: the pages say "not counted" or show
nothing, and nothing here is sample data. Written through the publicity services; a project that
has any publicity already is left as it is, so loading twice changes nothing.
"""

import datetime
from typing import Any

from civitas.core.models import Municipality
from civitas.core.permissions import OPERATOR
from civitas.projects.models import Project
from civitas.publicity import services
from civitas.publicity.models import (
    EventKind,
    MaterialKind,
    Medium,
    Publication,
    PublicityEvent,
    PublicityMaterial,
)

PROJECT_SLUG = "opak-13-13-146"

CLOSING_BG = (
    "На 24.07.2014 г. (четвъртък) в Ритуална зала – гр. Сопот се проведе заключителна пресконференция по проект "
    "„Подобряване на процесите на създаване и провеждане на политики в община Сопот“, по договор за предоставяне на "
    "100% безвъзмездна финансова помощ № 13-13-146 / 31.10.2013г. по Оперативна програма „Административен "
    "капацитет“, съфинансирана от Европейския съюз чрез Европейския социален фонд."
)
CLOSING_EN = (
    "On 24.07.2014 (Thursday), in the Ceremonial Hall in the town of Sopot, the closing press conference was held "
    'for the project "Improving the processes of creating and conducting policies in Sopot municipality", under '
    "grant contract № 13-13-146 / 31.10.2013 for 100% non-repayable financial aid under the Operational Programme "
    '"Administrative Capacity", co-financed by the European Union through the European Social Fund.'
)

EVENTS: list[dict[str, Any]] = [
    {
        "kind": EventKind.PRESS_CONFERENCE, "date": datetime.date(2014, 1, 24),
        "title_bg": "Начална пресконференция", "title_en": "Opening press conference",
        "description_bg": "Организирана и проведена Начална пресконференция на 24.01.2014г.",
        "description_en": "An opening press conference was organised and held on 24.01.2014.",
    },
    {
        "kind": EventKind.PRESS_CONFERENCE, "date": datetime.date(2014, 7, 24),
        "title_bg": "Заключителна пресконференция", "title_en": "Closing press conference",
        "place_bg": "Ритуална зала – гр. Сопот", "place_en": "Ceremonial Hall, town of Sopot",
        "description_bg": CLOSING_BG, "description_en": CLOSING_EN,
    },
]  # fmt: skip

MATERIALS: list[dict[str, Any]] = [
    {"kind": MaterialKind.BANNER, "title_bg": "Банер", "title_en": "Banner", "quantity": 1},
    {"kind": MaterialKind.BROCHURE, "title_bg": "Брошури с информация за проекта",
     "title_en": "Brochures with information on the project", "quantity": 1000},
]  # fmt: skip

PUBLICATIONS: list[dict[str, Any]] = [
    {"medium": Medium.NEWSPAPER, "outlet_bg": "вестник „Диалог днес“", "outlet_en": 'the newspaper "Dialog Dnes"',
     "title_bg": "Публикации за проекта", "title_en": "Publications about the project"},
    {"medium": Medium.WEBSITE, "outlet_bg": "редица информационни сайтове", "outlet_en": "a number of news websites",
     "title_bg": "Публикации за проекта", "title_en": "Publications about the project"},
    {"medium": Medium.WEBSITE, "outlet_bg": "сайт на Община Сопот, раздел „Проекти“",
     "outlet_en": 'the website of Sopot Municipality, "Projects" section',
     "title_bg": "Актуална информация за хода на изпълнение на проекта",
     "title_en": "Up-to-date information on the progress of the project"},
]  # fmt: skip


def load_publicity(municipality: Municipality) -> None:
    project = Project.objects.filter(municipality=municipality, slug=PROJECT_SLUG).first()
    if project is None:
        return
    if any(
        model.objects.filter(project=project).exists()
        for model in (PublicityEvent, PublicityMaterial, Publication)
    ):
        return
    for event in EVENTS:
        services.event_create(actor=OPERATOR, municipality=municipality, project=project, **event)
    for material in MATERIALS:
        services.material_create(actor=OPERATOR, municipality=municipality, project=project, **material)
    for publication in PUBLICATIONS:
        services.publication_create(actor=OPERATOR, municipality=municipality, project=project, **publication)
