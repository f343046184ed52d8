"""English date formats of the portal: day, month, year, as GOV.UK writes them ("1 March 2016",
"1 Mar 2016"), never the US order (03/01/2016) of Django's own English locale. The rest (numbers)
comes from Django."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
# Dates typed in forms: day first, as written in Bulgaria and the UK; ISO as well.
DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # 01.03.2016
    "%d/%m/%Y",  # 01/03/2016
    "%d-%m-%Y",  # 01-03-2016
    "%Y-%m-%d",  # 2016-03-01
    "%d %B %Y",  # 1 March 2016
    "%d %b %Y",  # 1 Mar 2016
]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
