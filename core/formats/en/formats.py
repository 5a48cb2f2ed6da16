"""Dates in English as an English reader in Denmark writes them: "7 December 2026", day
before month, 24-hour clock; not Django's American "Dec. 7, 2026" and "12/07/2026".
Danish uses Django's own formats ("7. december 2026")."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
