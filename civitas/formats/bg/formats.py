"""Bulgarian date and time formats that Django's own Bulgarian locale leaves out (it would fall
back to the English "N j, Y, P": "Дек. 26, 2026, 8:56 след обяд"). The rest comes from Django."""

DATE_FORMAT = "j F Y г."
DATETIME_FORMAT = "j F Y г., H:i ч."
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
YEAR_MONTH_FORMAT = "F Y г."
