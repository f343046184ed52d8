"""Sample activities, a photo and a document for the demo's projects, made here and marked as sample.

The seed documents give no activities, photos or documents for most projects; the demo's project
pages would be empty where people look first. Each sample project with planned dates gets four
activities spread over its planned period (their states follow its progress, so some are done,
some under way, and some overdue); each sample project beyond the idea stage gets a photo (a
simple drawn picture with its code and title, saying it is a sample) and a one-page PDF fact
sheet, both drawn with Pillow. Everything goes through the project services; a project that has
activities or documents already is left as it is, so loading twice changes nothing.
"""

import datetime
import io
import textwrap

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from civitas.core.models import Municipality
from civitas.core.permissions import OPERATOR
from civitas.core.text import transliterate
from civitas.projects import services as project_services
from civitas.projects.models import ActivityState, DocumentKind, Project, ProjectStatus

# (title bg, title en, start and due as fractions of the planned period, milestone)
SAMPLE_ACTIVITIES = [
    ("Подготовка на документацията и проектиране", "Preparing the documentation and the design", 0.0, 0.25, False),
    ("Договор с изпълнител след обществена поръчка", "Contract with a contractor after public procurement",
     0.25, 0.4, True),
    ("Изпълнение на дейностите по проекта", "Carrying out the project's works", 0.4, 0.9, False),
    ("Приемане и въвеждане в експлоатация", "Acceptance and commissioning", 0.9, 1.0, True),
]  # fmt: skip
SAMPLE_NOTE_BG = "Примерни данни, създадени за демонстрацията."
SAMPLE_NOTE_EN = "Sample data made for the demonstration."


def load_project_media(municipality: Municipality) -> None:
    projects = (
        Project.objects.filter(municipality=municipality, is_sample=True)
        .prefetch_related("activities", "documents")
        .order_by("code", "pk")
    )
    today = timezone.localdate()
    for project in projects:
        if not project.activities.all() and project.planned_start and project.planned_end:
            _add_activities(project, today)
        if not project.documents.all() and project.status != ProjectStatus.IDEA:
            _add_photo_and_document(project)


def _on(start: datetime.date, end: datetime.date, fraction: float) -> datetime.date:
    return start + datetime.timedelta(days=round((end - start).days * fraction))


def _add_activities(project: Project, today: datetime.date) -> None:
    progress = project.progress or 0
    begins, ends = project.planned_start, project.planned_end
    if begins is None or ends is None:
        return
    for title_bg, title_en, start, due, milestone in SAMPLE_ACTIVITIES:
        due_date = _on(begins, ends, due)
        if project.status == ProjectStatus.COMPLETED or (progress >= due * 100 and due_date <= today):
            state, completed_on = ActivityState.DONE, due_date
        elif progress > start * 100:
            state, completed_on = ActivityState.IN_PROGRESS, None
        else:
            state, completed_on = ActivityState.PLANNED, None
        project_services.activity_add(
            actor=OPERATOR, project=project, title_bg=title_bg, title_en=title_en,
            description_bg=SAMPLE_NOTE_BG, description_en=SAMPLE_NOTE_EN, is_milestone=milestone,
            start_date=None if milestone else _on(begins, ends, start), due_date=due_date,
            completed_on=completed_on, state=state,
        )  # fmt: skip


def _font(size: int) -> tuple[ImageFont.FreeTypeFont | ImageFont.ImageFont, bool]:
    """A font that writes Cyrillic (DejaVu Sans, on most systems), or Pillow's own: then the text is
    transliterated, since Pillow's font has only Latin letters. (font, writes Cyrillic)."""
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size), True
    except OSError:
        return ImageFont.load_default(size), False


def _text(value: str, cyrillic: bool) -> str:
    return value if cyrillic else transliterate(value)


def _picture(project: Project) -> bytes:
    """A drawn landscape (sky, the Balkan range, a building) with the project's code and title."""
    width, height = 800, 500
    image = Image.new("RGB", (width, height), "#cfe3f3")
    draw = ImageDraw.Draw(image)
    draw.ellipse((660, 40, 740, 120), fill="#f7d154")
    draw.polygon([(0, 300), (160, 150), (300, 260), (460, 110), (640, 250), (800, 170), (800, 360), (0, 360)],
                 fill="#6b8f5e")  # fmt: skip
    draw.rectangle((0, 340, width, height), fill="#9bbf7a")
    draw.rectangle((90, 250, 250, 350), fill="#efe6d2", outline="#5a4a3a", width=3)
    draw.polygon([(80, 250), (170, 195), (260, 250)], fill="#a8442a")
    for x in (115, 175):
        draw.rectangle((x, 275, x + 40, 310), fill="#7fa7c9", outline="#5a4a3a")
    draw.rectangle((0, 370, width, height), fill="#12395a")
    title_font, cyrillic = _font(26)
    small_font, _cyrillic = _font(18)
    draw.text((24, 382), _text(f"{project.code}", cyrillic), font=small_font, fill="#ffdd00")
    lines = textwrap.wrap(_text(project.title_bg, cyrillic), width=46, max_lines=2, placeholder=" …")
    for i, line in enumerate(lines):
        draw.text((24, 408 + i * 32), line, font=title_font, fill="#ffffff")
    label = _text("ПРИМЕРНО ИЗОБРАЖЕНИЕ · SAMPLE PICTURE", cyrillic)
    left, top, right, bottom = draw.textbbox((0, 0), label, font=small_font)
    draw.rectangle((16, 16, 16 + right - left + 24, 16 + bottom - top + 16), fill="#fcd6c3")
    draw.text((28, 24 - top), label, font=small_font, fill="#6f3600")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _fact_sheet(project: Project) -> bytes:
    """A one-page PDF: the project's code, title, status and planned dates, marked as a sample."""
    page = Image.new("L", (620, 877), 255)  # A4 at 75 dpi
    draw = ImageDraw.Draw(page)
    heading, cyrillic = _font(22)
    body, _cyrillic = _font(15)
    y = 50
    draw.text(
        (50, y), _text("Информационна карта на проекта (примерен документ)", cyrillic), font=heading, fill=0
    )
    y += 50
    rows = [
        _text(f"Код: {project.code}", cyrillic),
        *textwrap.wrap(_text(f"Наименование: {project.title_bg}", cyrillic), width=70),
        _text(f"Статус: {ProjectStatus(project.status).label}", cyrillic),
        _text(f"Планиран срок: {project.planned_start:%d.%m.%Y} – {project.planned_end:%d.%m.%Y}", cyrillic)
        if project.planned_start and project.planned_end
        else "",
        "",
        *textwrap.wrap(_text(SAMPLE_NOTE_BG, cyrillic), width=70),
        *textwrap.wrap(SAMPLE_NOTE_EN, width=70),
    ]
    for row in rows:
        draw.text((50, y), row, font=body, fill=0)
        y += 26
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=75)
    return buffer.getvalue()


def _add_photo_and_document(project: Project) -> None:
    short_bg = textwrap.shorten(project.title_bg, width=80, placeholder="…")
    short_en = textwrap.shorten(project.title_en or project.title_bg, width=80, placeholder="…")
    photo = SimpleUploadedFile(f"{project.slug}.png", _picture(project), content_type="image/png")
    project_services.document_add(
        actor=OPERATOR, project=project, kind=DocumentKind.PHOTO, upload=photo,
        title_bg=f"Примерно изображение: {short_bg}", title_en=f"Sample picture: {short_en}",
    )  # fmt: skip
    sheet = SimpleUploadedFile(f"{project.slug}.pdf", _fact_sheet(project), content_type="application/pdf")
    project_services.document_add(
        actor=OPERATOR, project=project, kind=DocumentKind.DOCUMENT, upload=sheet,
        title_bg="Информационна карта на проекта (примерен документ)", title_en="Project fact sheet (sample document)",
    )  # fmt: skip
