"""Demo taxonomy, taken from the seed documents in shared/seeds/.

The sources are the Urban Agenda for the EU documents the site was designed from: the work plan
2024-2027 of the Inclusion of Migrants and Refugees partnership, the orientation paper of the
Cities of Equality partnership, an article on urban poverty and the inclusion of migrants, a
Eurocities page on inclusive cities and a Cities for Active Inclusion presentation. Descriptions
say only what those documents say.

Every row is keyed on its slug (or ISO code, or an action's number) and written like
`update_or_create` would, except that a row is saved only when a value differs: running the loader
again writes nothing, and a corrected text here reaches a demo site on the next run.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import translation
from django.utils.text import slugify

from accounts.countries import EUROPEAN_COUNTRIES
from core.demo import sync

from .models import (
    Action,
    City,
    Country,
    Fund,
    GovernanceLevel,
    Partnership,
    PopulationBand,
    TargetGroup,
    Theme,
)

# --- Themes and target groups -----------------------------------------------------------------

THEMES: list[tuple[str, str]] = [
    (
        "Labour-market integration",
        "Getting refugees, asylum seekers and other migrants into quality jobs early, despite "
        "language barriers, mismatches between skills and jobs, the recognition of foreign "
        "qualifications and the risk of labour exploitation.",
    ),
    (
        "Inclusive education",
        "Education from early childhood to higher education that supports newly arrived "
        "children with a migration background and racialised children, and prevents early "
        "school leaving.",
    ),
    (
        "Housing",
        "Access to housing, one of the integration bottlenecks the Inclusion of Migrants and "
        "Refugees partnership identified, and housing policies that reduce socio-economic "
        "segregation.",
    ),
    (
        "Disinformation and hate speech",
        "Understanding and countering migration disinformation, hate speech and discrimination, "
        "and their effect on local, regional and national institutions.",
    ),
    (
        "EU funding",
        "Finding and combining EU funds for integration and inclusion, and keeping innovative "
        "projects going once their funding ends.",
    ),
    (
        "Child poverty",
        "Breaking the cycle of disadvantage for children at risk of poverty or social "
        "exclusion, as the European Child Guarantee sets out to do.",
    ),
    (
        "Desegregation",
        "Reducing spatial and educational segregation in cities and neighbourhoods, and the "
        "inequalities that stem from it, without side effects such as gentrification.",
    ),
    (
        "Health",
        "Access to healthcare and mental health for migrants and refugees, and the health "
        "benefits of inclusion projects.",
    ),
    (
        "Active inclusion",
        "Inclusive labour markets, minimum income support and access to quality social "
        "services, delivered in an integrated and coordinated way.",
    ),
    (
        "Participation",
        "Involving residents, migrants and migrant-led organisations in local democracy and in "
        "the co-design of public services.",
    ),
    (
        "Reception",
        "The first period after arrival, when the early stages of integration take place.",
    ),
    (
        "Data and evidence",
        "Local and neighbourhood-level data on integration, poverty and segregation, so that "
        "policies rest on evidence.",
    ),
    (
        "Neighbourhood regeneration",
        "Area-based approaches to the regeneration of deprived neighbourhoods.",
    ),
    (
        "Homelessness",
        "Ending homelessness, one of the four priorities of the Urban Poverty partnership.",
    ),
]

TARGET_GROUPS: list[tuple[str, str]] = [
    ("Refugees", "People who fled their country and found protection in the EU."),
    (
        "Asylum seekers",
        "People who applied for international protection and are waiting for a decision.",
    ),
    (
        "Unaccompanied minors",
        "Children who arrive without a parent or guardian, and former unaccompanied minors as "
        "they come of age.",
    ),
    ("Migrant women", "Women with a migration background."),
    (
        "Children",
        "Children at risk of poverty or social exclusion, including newly arrived children "
        "with a migration background and racialised children.",
    ),
    ("Young people", "Young people facing early school leaving and youth unemployment."),
    ("Roma", "Roma people and Roma children."),
    ("Long-term unemployed", "People who have been out of work for a long time."),
    ("Single-parent families", "Families with one parent, among them many migrant families."),
    ("Low-income families", "Families living on a low income."),
    ("Homeless people", "People without a home."),
    ("LGBTIQ people", "Lesbian, gay, bisexual, trans, intersex and queer people."),
    ("Migrant entrepreneurs", "Migrants who start or run a business."),
]

# --- Funds -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoFund:
    name: str
    full_name: str
    description: str
    is_eu_fund: bool = True
    website: str = ""


FUNDS: list[DemoFund] = [
    DemoFund(
        "AMIF",
        "Asylum, Migration and Integration Fund",
        "Short-term integration and reception support for third-country nationals.",
    ),
    DemoFund(
        "ESF+",
        "European Social Fund Plus",
        "Medium- to long-term integration support, employment, skills and social inclusion.",
        website="https://european-social-fund-plus.ec.europa.eu/en",
    ),
    DemoFund(
        "ERDF",
        "European Regional Development Fund",
        "Infrastructure that supports the integration process, and place-based urban development.",
    ),
    DemoFund(
        "EaSI",
        "EU Programme for Employment and Social Innovation",
        "The employment and social innovation strand of ESF+.",
    ),
    DemoFund(
        "URBACT",
        "URBACT: European exchange and learning programme promoting sustainable urban development",
        "Networks of cities that learn from each other and plan together, such as the OnStage "
        "network led by L'Hospitalet de Llobregat.",
        website="https://urbact.eu/",
    ),
    DemoFund(
        "UIA / EUI",
        "Urban Innovative Actions / European Urban Initiative",
        "Urban Innovative Actions gave urban areas resources to test new and unproven "
        "solutions, such as Lille's TAST'in FIVES and Bergamo's CAPACITyES. The European Urban "
        "Initiative supports the Urban Agenda for the EU in 2021-2027.",
        website="https://www.urban-initiative.eu/",
    ),
    DemoFund(
        "Interreg",
        "Interreg: European Territorial Cooperation",
        "EU programmes for cooperation between regions and cities across borders.",
        website="https://interreg.eu/",
    ),
    DemoFund(
        "CERV",
        "Citizens, Equality, Rights and Values programme",
        "EU programme for equality, rights, non-discrimination and citizens' participation.",
    ),
    DemoFund(
        "Horizon Europe",
        "Horizon Europe, the EU framework programme for research and innovation",
        "Research and innovation projects.",
    ),
    DemoFund(
        "National funds",
        "National or regional government funding",
        "Money from a national or regional government programme.",
        is_eu_fund=False,
    ),
    DemoFund(
        "Own budget",
        "The organisation's own budget",
        "Paid from the city's or organisation's own budget.",
        is_eu_fund=False,
    ),
]

# Ordered from the closest to the people outwards: the order filters and forms show them in.
GOVERNANCE_LEVELS: list[tuple[str, str]] = [
    ("Local", "Cities, municipalities and metropolitan areas."),
    ("Regional", "Regions and regional governments."),
    ("National", "National governments and ministries."),
    ("EU", "The European Union's institutions and programmes."),
]

# --- Cities ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoCity:
    name: str
    country: str  # ISO 3166-1 code, as in accounts.countries
    population_band: str
    latitude: str
    longitude: str


B = PopulationBand
# The cities that the seed documents name as partners, project cities or meeting places.
# Population bands follow the city proper (the documents give Bergamo about 121 000 and Brno
# 370 000); Brussels counts as the Brussels-Capital Region.
CITIES: list[DemoCity] = [
    DemoCity("Amsterdam", "NL", B.FROM_500K, "52.37403", "4.88969"),
    DemoCity("Athens", "GR", B.FROM_500K, "37.98376", "23.72784"),
    DemoCity("Barcelona", "ES", B.OVER_1M, "41.38879", "2.15899"),
    DemoCity("Bergamo", "IT", B.FROM_100K, "45.69826", "9.67727"),
    DemoCity("Berlin", "DE", B.OVER_1M, "52.52437", "13.41053"),
    DemoCity("Birmingham", "GB", B.OVER_1M, "52.48142", "-1.89983"),
    DemoCity("Biržai", "LT", B.UNDER_50K, "56.20170", "24.75600"),
    DemoCity("Bologna", "IT", B.FROM_250K, "44.49381", "11.33875"),
    DemoCity("Brno", "CZ", B.FROM_250K, "49.19522", "16.60796"),
    DemoCity("Brussels", "BE", B.OVER_1M, "50.85045", "4.34878"),
    DemoCity("Budapest", "HU", B.OVER_1M, "47.49801", "19.03991"),
    DemoCity("Copenhagen", "DK", B.FROM_500K, "55.67594", "12.56553"),
    DemoCity("Fuenlabrada", "ES", B.FROM_100K, "40.28419", "-3.79415"),
    DemoCity("Heerenveen", "NL", B.FROM_50K, "52.95929", "5.91854"),
    DemoCity("Helsinki", "FI", B.FROM_500K, "60.16952", "24.93545"),
    DemoCity("Konin", "PL", B.FROM_50K, "52.22338", "18.25121"),
    DemoCity("L'Hospitalet de Llobregat", "ES", B.FROM_250K, "41.35967", "2.10028"),
    DemoCity("Lille", "FR", B.FROM_100K, "50.63297", "3.05858"),
    DemoCity("Mechelen", "BE", B.FROM_50K, "51.02574", "4.47762"),
    DemoCity("Milan", "IT", B.OVER_1M, "45.46427", "9.18951"),
    DemoCity("Prato", "IT", B.FROM_100K, "43.88425", "11.09699"),
    DemoCity("Rome", "IT", B.OVER_1M, "41.89193", "12.51133"),
    DemoCity("Rotterdam", "NL", B.FROM_500K, "51.92250", "4.47917"),
    DemoCity("Roubaix", "FR", B.FROM_50K, "50.69421", "3.17456"),
    DemoCity("Sofia", "BG", B.OVER_1M, "42.69751", "23.32415"),
    DemoCity("Stockholm", "SE", B.FROM_500K, "59.32938", "18.06871"),
    DemoCity("Timișoara", "RO", B.FROM_250K, "45.75372", "21.22571"),
    DemoCity("Varna", "BG", B.FROM_250K, "43.21667", "27.91667"),
    DemoCity("Warsaw", "PL", B.OVER_1M, "52.22977", "21.01178"),
]
del B

# Member States that take part in the partnerships as national governments, beyond the
# countries of the cities above.
EXTRA_COUNTRIES = ["IE", "MT", "PT"]

# --- Partnerships and actions ------------------------------------------------------------------


@dataclass(frozen=True)
class DemoPartnership:
    name: str
    description: str
    website: str = ""
    year_started: int | None = None


PARTNERSHIPS: list[DemoPartnership] = [
    DemoPartnership(
        "Inclusion of Migrants and Refugees",
        "One of the first partnerships of the Urban Agenda for the EU, launched in 2016 and "
        "coordinated by the City of Amsterdam and the European Commission's Directorate-General "
        "for Migration and Home Affairs (DG HOME). Its members are cities, regions, national "
        "governments, EU bodies, networks, NGOs and universities working on the integration of "
        "migrants. Earlier actions created the European Migrant Advisory Board and the Urban "
        "Academy on integration, both since taken up by DG HOME. The work plan 2024-2027 has "
        "four actions: inclusive integration into quality jobs, inclusive education, combating "
        "migration disinformation and hate speech, and coherence between EU funds on "
        "integration. The current phase ends in March 2027.",
        website="https://futurium.ec.europa.eu/en/urban-agenda/inclusion-migrants-and-refugees",
        year_started=2016,
    ),
    DemoPartnership(
        "Urban Poverty",
        "Established in 2016 to reduce poverty and improve the inclusion of people living in "
        "poverty. Its 12 actions focused on four priorities: child poverty, the regeneration of "
        "deprived neighbourhoods, homelessness and the vulnerability of Roma people. The two "
        "actions on child poverty, led by Belgium's Federal Public Planning Service for Social "
        "Integration, advocated a European Child Guarantee, which the Council adopted in June "
        "2021.",
        website="https://futurium.ec.europa.eu/en/urban-agenda/urban-poverty",
        year_started=2016,
    ),
    DemoPartnership(
        "Cities of Equality",
        "Launched on 31 January 2024 and coordinated by France's National Agency for "
        "Territorial Cohesion (ANCT) and the Metropolitan City of Rome Capital. It works on two "
        "topics: tackling spatial segregation at city and neighbourhood level, and engaging "
        "communities for fair and open access to services in a meaningful democracy. Its "
        "members are national authorities, cities and metropolitan areas, networks such as "
        "Eurocities, ICLEI and CEMR, and European institutions.",
        year_started=2024,
    ),
]


@dataclass(frozen=True)
class DemoAction:
    partnership: str
    number: int
    title: str
    objective: str
    co_leaders: str  # as the document's section "Which members ... are involved" names them
    deadline: date | None
    state_of_play: str = ""


MIGRANTS = "Inclusion of Migrants and Refugees"
# The work plan gives "March 2027" as every deadline: stored as the month's last day.
MARCH_2027 = date(2027, 3, 31)

ACTIONS: list[DemoAction] = [
    DemoAction(
        MIGRANTS,
        1,
        "Inclusive integration into quality jobs",
        "Improve awareness of existing practices that support the early labour-market "
        "integration of refugees and asylum seekers, through knowledge sharing and co-learning, "
        "and develop capacity-building activities so that local and regional service providers "
        "can support it. The action holds virtual exchanges, each followed by an outcomes "
        "report, draws recommendations from good practices and disseminates its capacity-"
        "building output through the Urban Academy; a study visit is to be confirmed.",
        "Ashoka Hello Europe, Flanders Region",
        MARCH_2027,
        "Planning first activity: Virtual Exchange on first labour market integration arrival "
        "measures",
    ),
    DemoAction(
        MIGRANTS,
        2,
        "Inclusive education from early childhood to higher education",
        "Better support the integration and inclusion of newly arrived children with a "
        "migration background, and of racialised children, by addressing how local and "
        "regional authorities provide educational services. The action maps good practices, "
        "collects resources on local and regional competences, writes recommendations for "
        "national policymakers and presents its findings in a webinar.",
        "Committee of the Regions and Council of Europe Development Bank",
        MARCH_2027,
        "Planning the first and second activities",
    ),
    DemoAction(
        MIGRANTS,
        3,
        "Combating migration disinformation, hate speech and discrimination",
        "Understand and address the impact of disinformation and hate speech on local, "
        "regional and national institutions. The action runs an institutional self-assessment "
        "questionnaire, turns the results into recommendations and guidelines, and tests them "
        "in capacity building such as an Urban Academy edition.",
        "Assembly of the Regions and Region of Flanders",
        MARCH_2027,
        "Planning the first and second activities",
    ),
    DemoAction(
        MIGRANTS,
        4,
        "Increasing coherence between EU funds on integration to better align funding support "
        "with the reality on the ground",
        "Explore how local governments can use existing funding programmes (AMIF, ESF+ and "
        "EaSI, ERDF) for the needs on the ground, also with a view to the next multiannual "
        "financial framework, 2028-2034. The action offers tailored support from the Council of "
        "Europe Development Bank, collects practices from 2021-2027, organises a study visit "
        "and holds ad-hoc exchanges with the European Commission.",
        "Eurocities and Council of Europe Development Bank",
        MARCH_2027,
        "Planning the second, third and fourth activities",
    ),
]


# --- Loader ------------------------------------------------------------------------------------


def load_demo_taxonomy() -> None:
    """Create or update the demo taxonomy. Running it again changes nothing."""
    for position, (name, description) in enumerate(GOVERNANCE_LEVELS, start=1):
        sync(
            GovernanceLevel,
            {"slug": slugify(name)},
            {"name": name, "description": description, "sort_order": position},
        )
    for model, terms in ((Theme, THEMES), (TargetGroup, TARGET_GROUPS)):
        for name, description in terms:
            sync(model, {"slug": slugify(name)}, {"name": name, "description": description})
    for fund in FUNDS:
        sync(
            Fund,
            {"slug": slugify(fund.name)},
            {
                "name": fund.name,
                "full_name": fund.full_name,
                "description": fund.description,
                "is_eu_fund": fund.is_eu_fund,
                "website": fund.website,
            },
        )
    _load_places()
    _load_partnerships()


def _load_places() -> None:
    country_names = dict(EUROPEAN_COUNTRIES)
    codes = sorted({city.country for city in CITIES} | set(EXTRA_COUNTRIES))
    countries = {}
    # Country names are stored text: store them in the site's main language, whatever language
    # the command happens to run in.
    with translation.override("en"):
        for code in codes:
            countries[code] = sync(Country, {"code": code}, {"name": str(country_names[code])})
    for city in CITIES:
        sync(
            City,
            {"slug": slugify(city.name)},
            {
                "name": city.name,
                "country": countries[city.country],
                "population_band": city.population_band,
                "latitude": Decimal(city.latitude),
                "longitude": Decimal(city.longitude),
            },
        )


def _load_partnerships() -> None:
    partnerships = {}
    for partnership in PARTNERSHIPS:
        partnerships[partnership.name] = sync(
            Partnership,
            {"slug": slugify(partnership.name)},
            {
                "name": partnership.name,
                "description": partnership.description,
                "website": partnership.website,
                "year_started": partnership.year_started,
            },
        )
    for action in ACTIONS:
        sync(
            Action,
            {"partnership": partnerships[action.partnership], "number": action.number},
            {
                "title": action.title,
                "slug": slugify(action.title),
                "objective": action.objective,
                "co_leaders": action.co_leaders,
                "deadline": action.deadline,
                "state_of_play": action.state_of_play,
            },
        )
