# English as Europe writes it: day before month, a 24-hour clock, and the zone's abbreviation
# with a moment (a call closes at "31 December 2026, 17:31 CET" for a reader in Lisbon too).
# Django's own "en" formats are American ("Dec. 31, 2026, 5:31 p.m.").
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i T"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1  # Monday
