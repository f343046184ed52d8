"""Report Documents for the tests and the benchmark: an annual monitoring report of Sopot's plan in
its four sections (sample figures, as the data assembly would give them), and a large synthetic
one of a chosen number of indicators."""

from civitas.core.charts import SOURCE_FILLS, STATUS_FILLS, Chart, Columns, Part, Series, ShareBar
from civitas.reports.document import Document, Figure, Heading, Paragraph, Table


def sopot_report(*, notice: str = "Стойностите на част от индикаторите все още очакват одобрение.") -> Document:
    trend = Chart(
        title="Нощувки в местата за настаняване",
        description="2014: 21 400; 2015: 23 900; 2016: 26 100; 2017: 27 800; 2018: 29 300; 2019: 31 050",
        x_labels=("2014", "2015", "2016", "2017", "2018", "2019", "2020"),
        series=(
            Series("Отчетена стойност", (21400, 23900, 26100, 27800, 29300, 31050, None)),
            Series("Очаквана стойност", (21400, 23000, 24600, 26200, 27800, 29400, 31000), style="expected"),
            Series("Целева стойност", (None, None, None, None, None, None, 31000), style="target", connect=False),
        ),
        unit="брой",
    )
    statuses = ShareBar(
        title="Индикатори по състояние",
        parts=(
            Part("В срок", 9, "9", STATUS_FILLS["on_track"]),
            Part("С риск", 3, "3", STATUS_FILLS["at_risk"]),
            Part("Изоставащи", 2, "2", STATUS_FILLS["off_track"]),
            Part("Без данни", 1, "1", STATUS_FILLS["no_data"]),
        ),
    )
    money = Columns(
        title="Индикативна финансова таблица по години",
        description="2018: 1 200 000 €; 2019: 1 850 000 €",
        x_labels=("2018", "2019"),
        stacks=(
            (Part("ЕС", 800000, "800 000 €", SOURCE_FILLS["eu"]), Part("Община", 400000, "400 000 €", SOURCE_FILLS["municipal"])),
            (Part("ЕС", 1250000, "1 250 000 €", SOURCE_FILLS["eu"]), Part("Община", 600000, "600 000 €", SOURCE_FILLS["municipal"])),
        ),
        value_texts=("1,2 млн. €", "1,9 млн. €"),
    )
    return Document(
        title="Годишен доклад за наблюдение на изпълнението на Общинския план за развитие на община Сопот 2014–2020 г.",
        subtitle="за 2019 година",
        municipality="Община Сопот",
        language="bg",
        date_line="Сопот, 31.03.2020",
        notice=notice,
        blocks=(
            Heading("Общи условия и социално-икономически промени"),
            Paragraph(
                "През 2019 г. населението на общината продължава да намалява, но темпът на намаление е по-нисък "
                "от средния за областта.\n\nРегистрираната безработица е 4,1 %."
            ),
            Table(
                caption="Контекстни индикатори",
                columns=("Индикатор", "Мярка", "2018", "2019"),
                rows=(
                    ("Население", "брой", "9 386", "9 301"),
                    ("Регистрирана безработица", "%", "4,6", "4,1"),
                    ("Нощувки в местата за настаняване", "брой", "29 300", "31 050"),
                ),
                numeric=frozenset({2, 3}),
            ),
            Heading("Напредък по целите и приоритетите"),
            Heading("Приоритет 1: Устойчив туризъм", level=2),
            Paragraph("Индикаторите по приоритета са оценени към 31.12.2019 г."),
            Table(
                caption="Индикатори за резултат към 31.12.2019 г.",
                columns=("Код", "Индикатор", "Базова стойност", "Целева стойност", "Стойност 2019", "Състояние"),
                rows=(
                    ("И1.1", "Нощувки в местата за настаняване", "21 400", "31 000", "31 050", "В срок"),
                    ("И1.2", "Посетители на туристическия информационен център", "4 200", "8 000", "5 100", "Изоставащ"),
                    ("И1.3", "Маркирани туристически маршрути, км", "12", "40", "28", "С риск"),
                ),
                numeric=frozenset({2, 3, 4}),
            ),
            Figure("Нощувки в местата за настаняване, 2014–2020 г.", trend),
            Figure("Индикатори на плана по състояние към 31.12.2019 г.", statuses),
            Paragraph("Стойността на И1.2 е коригирана ръчно: данните на центъра за 2019 г. са непълни.", style="note"),
            Heading("Действия за осигуряване на ефективност и ефикасност"),
            Table(
                caption="Проекти по източник на финансиране",
                columns=("Проект", "Състояние", "Бюджет, €", "Разходвани, €"),
                rows=(
                    ("Реконструкция на улична мрежа", "В изпълнение", "1 250 000", "610 000"),
                    ("Информационен център", "Завършен", "180 000", "176 500"),
                ),
                numeric=frozenset({2, 3}),
            ),
            Figure("Индикативна финансова таблица по години", money),
            Paragraph("Две индикатора изостават от очакваната стойност.", style="warning"),
            Heading("Заключения и предложения"),
            Paragraph("Общинската администрация предлага актуализация на целевата стойност на И1.2."),
        ),
    )


def large_report(indicators: int = 300, *, figures: int = 50, language: str = "bg") -> Document:
    """A Document the size of a large plan's annual report: a table row per indicator (in tables
    of 25), a figure for every sixth indicator up to ``figures``, a paragraph per priority."""
    years = tuple(str(y) for y in range(2014, 2021))
    blocks: list = [Heading("Общи условия и социално-икономически промени"), Paragraph("Текст на общината. " * 40)]
    blocks.append(Heading("Напредък по целите и приоритетите"))
    drawn = 0
    for start in range(0, indicators, 25):
        blocks.append(Heading(f"Приоритет {start // 25 + 1}", level=2))
        blocks.append(Paragraph("Описание на напредъка по приоритета. " * 12))
        rows = tuple(
            (f"И{i + 1}", f"Индикатор № {i + 1} с дълго наименование", f"{100 + i}", f"{200 + i}", f"{150 + i}", "В срок")
            for i in range(start, min(start + 25, indicators))
        )
        blocks.append(
            Table(
                "Индикатори",
                ("Код", "Индикатор", "Базова", "Целева", "2019", "Състояние"),
                rows,
                frozenset({2, 3, 4}),
            )
        )
        for i in range(start, min(start + 25, indicators), 6):
            if drawn >= figures:
                break
            drawn += 1
            values = tuple(float(100 + i + 10 * k) for k in range(6)) + (None,)
            chart = Chart(
                f"Индикатор № {i + 1}",
                "",
                years,
                (Series("Отчетена стойност", values), Series("Целева стойност", (None,) * 6 + (200.0 + i,), "target", False)),
            )
            blocks.append(Figure(f"Индикатор № {i + 1}", chart))
    blocks += [Heading("Действия за осигуряване на ефективност и ефикасност"), Heading("Заключения и предложения")]
    return Document(
        title="Годишен доклад за наблюдение на изпълнението", subtitle="за 2019 година", municipality="Община",
        language=language, date_line="31.03.2020", blocks=tuple(blocks),
    )
