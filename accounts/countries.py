"""European countries by ISO 3166-1 alpha-2 code: the countries whose cities take part.

Kept here, at the ground layer, so that profiles (accounts) and the taxonomy (practices) name
countries the same way.
"""

import unicodedata

from django.utils.translation import gettext_lazy as _

EUROPEAN_COUNTRIES = [
    ("AL", _("Albania")),
    ("AT", _("Austria")),
    ("BA", _("Bosnia and Herzegovina")),
    ("BE", _("Belgium")),
    ("BG", _("Bulgaria")),
    ("CH", _("Switzerland")),
    ("CY", _("Cyprus")),
    ("CZ", _("Czechia")),
    ("DE", _("Germany")),
    ("DK", _("Denmark")),
    ("EE", _("Estonia")),
    ("ES", _("Spain")),
    ("FI", _("Finland")),
    ("FR", _("France")),
    ("GB", _("United Kingdom")),
    ("GE", _("Georgia")),
    ("GR", _("Greece")),
    ("HR", _("Croatia")),
    ("HU", _("Hungary")),
    ("IE", _("Ireland")),
    ("IS", _("Iceland")),
    ("IT", _("Italy")),
    ("LI", _("Liechtenstein")),
    ("LT", _("Lithuania")),
    ("LU", _("Luxembourg")),
    ("LV", _("Latvia")),
    ("MD", _("Moldova")),
    ("ME", _("Montenegro")),
    ("MK", _("North Macedonia")),
    ("MT", _("Malta")),
    ("NL", _("Netherlands")),
    ("NO", _("Norway")),
    ("PL", _("Poland")),
    ("PT", _("Portugal")),
    ("RO", _("Romania")),
    ("RS", _("Serbia")),
    ("SE", _("Sweden")),
    ("SI", _("Slovenia")),
    ("SK", _("Slovakia")),
    ("TR", _("Türkiye")),
    ("UA", _("Ukraine")),
    ("XK", _("Kosovo")),
]


def _sort_key(name: str) -> str:
    # "Österreich" sorts with the O's, not after "Z": compare without accents.
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def countries_by_name() -> list[tuple[str, str]]:
    """The countries in alphabetical order of their names in the active language.

    The list above is in code order, which puts "Bosnia and Herzegovina" (BA) before
    "Belgium" (BE) and "Switzerland" (CH) among the C's. Sorted when a form is made, as the
    names are translated then.
    """
    named = [(code, str(name)) for code, name in EUROPEAN_COUNTRIES]
    return sorted(named, key=lambda item: _sort_key(item[1]))
