"""The Sopot demo: the press release's plans, goals and projects, word for word.

Bulgarian titles are the seed document's text (shared/seed/sopot-press-release-2014-bg.txt);
English titles come from its working translation. Anything the press release does not give
(budgets, dates, statuses, progress, the vision's wording) is illustrative and the records that
carry it are marked as sample data.
"""

SOPOT = {
    "slug": "sopot",
    "name_bg": "Община Сопот",
    "name_en": "Sopot Municipality",
    "nuts": "BG421",
    "population": 8375,
    "population_year": 2021,
    "address_bg": "гр. Сопот, обл. Пловдив",
    "address_en": "Sopot, Plovdiv Province",
}

GOAL_LEVEL = [{"bg": "Стратегическа цел", "en": "Strategic goal"}]

# Municipal Development Plan 2014–2020: (code, bg, en, [(code, bg, en, description_bg, description_en, extra)])
OPR_GOALS = [
    (
        "СЦ1",
        "Развитие на конкурентоспособна икономика",
        "Development of a competitive economy",
        [
            (
                "1.1",
                "СМР, Консервационни и възстановителни работи на средновековна крепост „Аневско Кале“. "
                "(довеждаща инфраструктура, експозиционна зала, информационен център)",
                'Construction, conservation and restoration works on the medieval fortress "Anevsko Kale" '
                "(access infrastructure, exhibition hall, information centre)",
                "",
                "",
                {
                    "location": {"type": "Point", "coordinates": [24.788, 42.697]},
                    "location_name_bg": "с. Анево, крепост „Аневско кале“",
                    "location_name_en": "Anevo, Anevsko Kale fortress",
                },
            ),
            (
                "1.2",
                "Изграждане на „Център за развитие на младите хора“",
                'Building a "Youth Development Centre"',
                "",
                "",
                {},
            ),
            (
                "1.3",
                "Изграждане на спортни и развлекателни атракции",
                "Building sports and entertainment attractions",
                "",
                "",
                {},
            ),
        ],
    ),
    (
        "СЦ2",
        "Опазване на околната среда и инфраструктурното обезпечаване на общината",
        "Protection of the environment and infrastructure provision of the municipality",
        [
            (
                "2.1",
                "„Подобряване на градската среда на град Сопот“",
                '"Improving the urban environment of the town of Sopot"',
                "Цел: Да се подобри физическата и жизнена среда на градския център - благоустрояване на териториите "
                "в близост до бизнес центъра, централния жилищен район, исторически обекти и сгради в центъра на "
                "града, рехабилитация и реконструкция на централния бул. „Иван Вазов“ благоустрояване на градската "
                "пешеходна зона, свързваща Западната и Източната части на града благоустрояване на открити "
                "пространства, площадки /детски и спортни/ и градини в кв.Сарая.",
                "Aim: to improve the physical and living environment of the town centre — landscaping of the areas "
                "near the business centre, the central residential district, historic sites and buildings in the "
                'town centre; rehabilitation and reconstruction of the central "Ivan Vazov" boulevard; landscaping '
                "of the pedestrian zone linking the western and eastern parts of the town; landscaping of open "
                "spaces, playgrounds and sports grounds and gardens in the Saraya quarter.",
                {"location_name_bg": "гр. Сопот, център", "location_name_en": "Sopot, town centre"},
            ),
            (
                "2.2",
                "„Рехабилитация и реконструкция на пътната мрежа в община Сопот осигуряваща достъп до райони с "
                "икономически и туристически потенциал“.",
                '"Rehabilitation and reconstruction of the road network of Sopot municipality giving access to areas '
                'with economic and tourism potential"',
                "",
                "",
                {},
            ),
            (
                "2.3",
                "Изграждане на система за компостиране на битови отпадъци",
                "Building a composting system for household waste",
                "",
                "",
                {},
            ),
            (
                "2.4",
                "Разширяване функциите на общинска дейност „Чистота“ с извършване на дейността „Организирано "
                "сметосъбиране и сметоизвозване“.",
                'Extending the functions of the municipal "Cleanliness" service with organised waste collection and '
                "transport",
                "",
                "",
                {},
            ),
            (
                "2.5",
                "Изграждане на приют за безстопанствени кучета",
                "Building a shelter for stray dogs",
                "",
                "",
                {},
            ),
            (
                "2.6",
                "Подмяна на уличното осветление в община Сопот с енергоспестяващи осветителни тела и управление "
                "на осветеността през отделните части на нощта.",
                "Replacing the street lighting of Sopot municipality with energy-saving luminaires and managing the "
                "lighting level through the parts of the night",
                "",
                "",
                {},
            ),
        ],
    ),
    (
        "СЦ3",
        "Повишаване качеството на човешкия капитал на община Сопот, чрез ефективни социални услуги, "
        "здравеопазване и образование",
        "Raising the quality of the human capital of Sopot municipality through effective social services, "
        "health care and education",
        [
            (
                "3.1",
                "Обновяване с цел повишаване на ЕЕ на СБДПЛ „Иван Раев“",
                'Renovation to raise the energy efficiency of the "Ivan Raev" secondary school',
                "",
                "",
                {},
            ),
            (
                "3.2",
                "Ремонт на сградения фонд, подновяване на обзавеждането и оборудването на читалището",
                "Repair of the building, renewal of the furniture and equipment of the community cultural centre "
                "(chitalishte)",
                "Цел: Рехабилитация и оборудване на читалището в града",
                "Aim: rehabilitation and equipment of the chitalishte in the town",
                {},
            ),
            (
                "3.3",
                "Повишаване ЕЕ на Комплекс за социални услуги в община Сопот",
                "Raising the energy efficiency of the Social Services Complex in Sopot municipality",
                "",
                "",
                {},
            ),
            ("3.4", "Център за настаняване от семеен тип", "Family-type accommodation centre", "", "", {}),
            (
                "3.5",
                "Професионално обучение на специалисти в различни предприятия от частния сектор",
                "Vocational training of specialists in various private-sector enterprises",
                "",
                "",
                {},
            ),
        ],
    ),
    (
        "СЦ4",
        "Подобряване на ефективността и разширяване възможностите за териториално сътрудничество и укрепване "
        "на административния капацитет",
        "Improving effectiveness and widening the opportunities for territorial cooperation, and strengthening "
        "administrative capacity",
        [
            (
                "4.1",
                "Въвеждане на е-община и електронно гише",
                "Introducing an e-municipality and an electronic counter",
                "",
                "",
                {},
            ),
            (
                "4.2",
                "Рехабилитация и повишаване на ЕЕ на административните сгради в община Сопот",
                "Rehabilitation and raising the energy efficiency of the administrative buildings in Sopot municipality",
                "",
                "",
                {},
            ),
            (
                "4.3",
                "Изграждане на велосипедна алея между гр. Сопот и гр. Карлово (съвместно с община Карлово) и между "
                "гр. Сопот и с. Анево",
                "Building a bicycle path between the town of Sopot and the town of Karlovo (jointly with Karlovo "
                "municipality) and between the town of Sopot and the village of Anevo",
                "",
                "",
                {
                    "location": {
                        "type": "MultiLineString",
                        "coordinates": [
                            [[24.754, 42.652], [24.780, 42.648], [24.806, 42.643]],
                            [[24.754, 42.652], [24.771, 42.664], [24.788, 42.675]],
                        ],
                    },
                    "location_name_bg": "Сопот – Карлово и Сопот – Анево",
                    "location_name_en": "Sopot – Karlovo and Sopot – Anevo",
                    "partners": [("Община Карлово", "Karlovo Municipality", "партньор", "partner")],
                },
            ),
            (
                "4.4",
                "Участие в трансгранични проекти за сътрудничество за противодействие на бедствия и аварии и "
                "известяване на населението.",
                "Participation in cross-border cooperation projects to counter disasters and accidents and to warn the "
                "population",
                "",
                "",
                {},
            ),
        ],
    ),
]

# Illustrative values for the development plan's projects: (status, progress, planned start, planned end,
# [(source, amount, programme_bg, programme_en, spent)]).
OPR_SAMPLE = {
    "1.1": (
        "in_progress",
        45,
        "2016-03-01",
        "2019-12-31",
        [
            ("eu", 1950000, "ОП „Региони в растеж“ 2014–2020", 'OP "Regions in Growth" 2014–2020', 880000),
            ("municipal", 150000, "", "", 60000),
        ],
    ),
    "1.2": ("planned", 0, "2018-01-01", "2020-06-30", [("national", 600000, "", "", 0)]),
    "1.3": ("idea", 0, None, None, []),
    "2.1": (
        "in_progress",
        60,
        "2015-06-01",
        "2019-10-31",
        [
            ("eu", 2400000, "ОП „Региони в растеж“ 2014–2020", 'OP "Regions in Growth" 2014–2020', 1500000),
            ("municipal", 240000, "", "", 140000),
        ],
    ),
    "2.2": ("contracted", 10, "2017-04-01", "2020-10-31", [("national", 1300000, "", "", 90000)]),
    "2.3": (
        "funding_applied",
        0,
        "2018-01-01",
        "2019-12-31",
        [("eu", 450000, "ОП „Околна среда“ 2014–2020", 'OP "Environment" 2014–2020', 0)],
    ),
    "2.4": ("completed", 100, "2015-01-01", "2015-12-31", [("municipal", 120000, "", "", 118500)]),
    "2.5": ("in_preparation", 5, "2018-05-01", "2019-05-31", [("municipal", 90000, "", "", 0)]),
    "2.6": (
        "completed",
        100,
        "2015-03-01",
        "2016-11-30",
        [
            ("eu", 780000, "Програма за енергийна ефективност", "Energy efficiency programme", 772000),
            ("municipal", 40000, "", "", 40000),
        ],
    ),
    "3.1": (
        "in_progress",
        70,
        "2016-05-01",
        "2018-09-15",
        [("eu", 1100000, "ОП „Региони в растеж“ 2014–2020", 'OP "Regions in Growth" 2014–2020', 810000)],
    ),
    "3.2": ("completed", 100, "2015-04-01", "2016-09-30", [("national", 250000, "", "", 247000)]),
    "3.3": (
        "in_progress",
        35,
        "2017-02-01",
        "2019-06-30",
        [("eu", 520000, "ОП „Региони в растеж“ 2014–2020", 'OP "Regions in Growth" 2014–2020', 150000)],
    ),
    "3.4": (
        "planned",
        0,
        "2018-09-01",
        "2020-08-31",
        [("eu", 680000, "ОП „Развитие на човешките ресурси“", 'OP "Human Resources Development"', 0)],
    ),
    "3.5": (
        "in_progress",
        50,
        "2016-01-01",
        "2020-12-31",
        [("eu", 300000, "ОП „Развитие на човешките ресурси“", 'OP "Human Resources Development"', 140000)],
    ),
    "4.1": (
        "in_progress",
        30,
        "2016-09-01",
        "2019-12-31",
        [("eu", 350000, "ОП „Добро управление“", 'OP "Good Governance"', 90000)],
    ),
    "4.2": (
        "suspended",
        20,
        "2016-06-01",
        "2018-12-31",
        [("eu", 900000, "ОП „Региони в растеж“ 2014–2020", 'OP "Regions in Growth" 2014–2020', 170000)],
    ),
    "4.3": (
        "in_progress",
        25,
        "2017-03-01",
        "2020-10-31",
        [
            (
                "eu",
                1600000,
                "Програма за трансгранично сътрудничество",
                "Cross-border cooperation programme",
                300000,
            ),
            ("municipal", 100000, "", "", 20000),
        ],
    ),
    "4.4": ("idea", 0, None, None, []),
}

STRATEGY_GOALS = [
    (
        "СЦ1",
        "Спиране процесите на влошаване на състоянието на съществуващата градска среда и сграден жилищен фонд",
        "Stopping the deterioration of the existing urban environment and residential building stock",
    ),
    (
        "СЦ2",
        "Осигуряване на нови достъпни жилища /за покупка и отдаване под наем/ и публични пространства",
        "Providing new affordable dwellings (for purchase and for rent) and public spaces",
    ),
    (
        "СЦ3",
        "Формиране на жизнена градска среда, осигуряваща достъп до публични пространства на местната общност",
        "Forming a vibrant urban environment that gives the local community access to public spaces",
    ),
    (
        "СЦ4",
        "Формирана на балансирани и устойчиви жилищни структури/жилища, предоставящи повишен стандарт на "
        "обитаване и живот в общността",
        "Forming balanced and sustainable housing structures / dwellings that offer a higher standard of housing and "
        "of life in the community",
    ),
]

METHODOLOGY_AREAS = [
    ("Т", "Туризъм", "Tourism"),
    ("ГП", "Градоустройствена политика", "Urban-planning policy"),
    ("ЖП", "Жилищна политика", "Housing policy"),
]
METHODOLOGY_GUARANTEES_BG = (
    "С разработените правила и методика за мониторинг, контрол и оценка на общинските политики се гарантира:\n"
    "- Ефективност и ефикасност на политиките и изграждането на стратегическа визия за развитие.\n"
    "- Подобрене на качеството на изпълнението на публичните политики, постиганите резултати, създаваните "
    "продукти и предоставяните услуги.\n"
    "- Отчетност.\n"
    "- Отговорност на управлението.\n"
    "- Прозрачност на управленските процеси.\n"
    "- Механизми за гражданско участие в наблюдението на реализацията, оценката и провеждането на секторните "
    "политики.\n"
    "- Съгласие за реализацията на политиките."
)
METHODOLOGY_GUARANTEES_EN = (
    "The rules and methodology for monitoring, control and evaluation of municipal policies guarantee:\n"
    "- effectiveness and efficiency of the policies and the building of a strategic vision for development;\n"
    "- improved quality of implementation of public policies, of the results achieved, the products created and "
    "the services provided;\n"
    "- accountability;\n"
    "- responsibility of management;\n"
    "- transparency of management processes;\n"
    "- mechanisms for civic participation in monitoring the implementation, the evaluation and the conduct of "
    "sectoral policies;\n"
    "- consent (agreement) on the implementation of the policies."
)

OPAK_PROJECT = {
    "code": "ОПАК-13-13-146",
    "slug": "opak-13-13-146",
    "title_bg": "Подобряване на процесите на създаване и провеждане на политики в община Сопот",
    "title_en": "Improving the processes of creating and conducting policies in Sopot municipality",
    "description_bg": "Основната цел на проекта е: Подобряване на процесите за създаване и провеждане на политики в "
    "община Сопот.",
    "description_en": "The main objective of the project: improving the processes of creating and conducting "
    "policies in Sopot municipality.",
    "status": "completed",
    "progress": 100,
    "planned_start": "2013-10-31",
    "planned_end": "2014-07-31",
    "actual_start": "2013-10-31",
    "actual_end": "2014-07-24",
}
OPAK_FUNDING = {
    "source": "eu",
    "programme_bg": "Оперативна програма „Административен капацитет“, съфинансирана от Европейския съюз чрез "
    "Европейския социален фонд",
    "programme_en": 'Operational Programme "Administrative Capacity", co-financed by the European Union through '
    "the European Social Fund",
    "grant_share": 100,
    "contract_number": "13-13-146",
    "contract_date": "2013-10-31",
    "amount": 200000,  # sample: the press release gives no amount
    "spent": 196400,  # sample
}
OPAK_ACTIVITIES = [
    ("Организация и управление на проекта", "Organisation and management of the project", "", ""),
    (
        "Разработване на Стратегия за градоустройствена и жилищна политика на община Сопот",
        "Development of a Strategy for urban-planning and housing policy of Sopot municipality",
        "Разработена от екип от експерти и приета от Общински съвет – Сопот „Стратегия за градоустройствена и жилищна "
        "политика на община Сопот“.",
        "The strategy was developed by a team of experts and adopted by the Municipal Council of Sopot.",
    ),
    (
        "Създаване на правила и методики за мониторинг и оценка на конкретни политики в община Сопот – туризъм, "
        "градоустройствена и жилищна политика",
        "Creation of rules and methodologies for monitoring and evaluation of specific policies in Sopot "
        "municipality — tourism, urban-planning and housing policy",
        "Разработени от екип от експерти и приети от Общински съвет – Сопот „Правила и методики за мониторинг и "
        "оценка на конкретни политики в община Сопот – туризъм, градоустройствена и жилищна политика“.",
        "Developed by a team of experts and adopted by the Municipal Council of Sopot.",
    ),
    (
        "Разработване на общински план за развитие на община Сопот 2014–2020г.",
        "Development of the Municipal Development Plan of Sopot municipality 2014–2020",
        "Разработен от екип от експерти и приет от Общински съвет – Сопот „Общински план за развитие на община Сопот "
        "2014–2020г.“. След проведените анкетни проучвания, дискуссионен форум и обществено обсъждане на проекта за "
        "ОПР 2014–2020 се изгради Визията и се определиха насоките за развитие на общината през следващия програмен "
        "период.",
        "Developed by a team of experts and adopted by the Municipal Council of Sopot. After the surveys, a "
        "discussion forum and a public discussion of the draft plan, the vision was built and the directions of the "
        "municipality's development for the next programming period were set.",
    ),
    (
        "Дейности по информация и публичност на проекта",
        "Information and publicity activities for the project",
        "Организирана и проведена Начална пресконференция на 24.01.2014г.; Изработен банер 1бр.; Изработени и "
        "разпространени 1000бр. брошури с информация за проекта; Организирана и проведена заключителна "
        "пресконференция на 24.07.2014г.; Направени публикации във в-к „Диалог днес“ и редица информационни сайтове; "
        "Поддържана актуална информация за хода на изпълнение на проекта на сайта на общината в раздел „Проекти“.",
        "An opening press conference was held on 24.01.2014; 1 banner was made; 1000 brochures were made and "
        "distributed; the closing press conference was held on 24.07.2014; publications appeared in the newspaper "
        '"Dialog Dnes" and on a number of news websites; up-to-date information on the project\'s progress was kept '
        'in the "Projects" section of the municipality\'s website.',
    ),
]

DEMO_PASSWORD = "sopot-demo-2014"
DEMO_ACCOUNTS = [
    ("sopot-admin", "administrator", "Мария", "Иванова"),
    ("sopot-planner", "planner", "Георги", "Петров"),
    ("sopot-projects", "project_manager", "Елена", "Димитрова"),
    ("sopot-indicators", "indicator_owner", "Николай", "Стоянов"),
    ("sopot-verifier", "verifier", "Десислава", "Колева"),
    ("sopot-moderator", "moderator", "Иван", "Георгиев"),
]
