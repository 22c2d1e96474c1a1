"""Demo pages: the home page and two content pages, written from the seed documents.

A fresh Wagtail database has a placeholder "Welcome to your new Wagtail site!" page as the
default site's root. `load_demo_pages` puts the Urban Exchange home page in its place, then adds
the content pages below it. A page that exists already (found by its slug) is left as it is:
editors may have changed it, and a second run must not add revisions.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction
from wagtail.models import Page, Site

from .models import HomePage, StandardPage

HOME_SLUG = "home"

HOME_PAGE = {
    "title": "Urban Exchange",
    "slug": HOME_SLUG,
    "statement": "Where European cities learn from each other",
    "introduction": (
        "Urban Exchange is for the people who make integration and inclusion work on the "
        "ground: city and regional officers, NGOs and ministries. It follows the way the "
        "partnerships of the Urban Agenda for the EU work, on the inclusion of migrants and "
        "refugees, urban poverty and equality in cities: browse the practices other cities "
        "have tried, join virtual exchanges, webinars and study visits, and bring a policy "
        "dilemma to the Urban Academy, where experts give you feedback on it."
    ),
}


@dataclass(frozen=True)
class DemoPage:
    title: str
    slug: str
    introduction: str
    body: list[tuple[str, object]]


def heading(text: str, level: str = "h2") -> tuple[str, dict]:
    return ("heading", {"text": text, "level": level})


def paragraph(html: str) -> tuple[str, str]:
    return ("paragraph", html)


def quote(text: str, attribution: str) -> tuple[str, dict]:
    return ("quote", {"text": text, "attribution": attribution})


ABOUT = DemoPage(
    title="About Urban Exchange",
    slug="about",
    introduction=(
        "Cities across Europe face the same questions about integration, poverty and "
        "equality. Urban Exchange is where they share what worked, and what did not."
    ),
    body=[
        heading("Who it is for"),
        paragraph(
            "<p>Urban Exchange is for city and regional officers, staff of national ministries, "
            "NGOs and networks who work on the inclusion of migrants and refugees, on urban "
            "poverty and on equality. Local and regional authorities are on the front line of "
            "migrant inclusion: they provide essential services and foster social cohesion, "
            "while responsibility for integration policy often lies at national level.</p>"
        ),
        quote(
            "Integration happens at the local level and cities have a crucial role in building "
            "inclusive and welcoming communities, where no one is left behind.",
            "Eurocities",
        ),
        heading("What you can do here"),
        paragraph(
            "<ul>"
            "<li><b>Browse the practice library.</b> Practices that cities and regions submit, "
            "reviewed by moderators and tagged by theme, governance level and EU fund.</li>"
            "<li><b>Join events.</b> Virtual exchanges, each followed by an outcome report, "
            "study visits to see a practice where it runs, and webinars.</li>"
            "<li><b>Bring a dilemma to the Urban Academy.</b> A three-day thematic expert "
            "workshop: cities submit policy dilemmas, and the selected cities present theirs and "
            "receive feedback on them from experts in the field.</li>"
            "</ul>"
        ),
        heading("Where the idea comes from"),
        paragraph(
            "<p>The Urban Academy began as an action of the Urban Agenda Partnership on "
            "Inclusion of Migrants and Refugees and has become a structural instrument of the "
            "European Commission's Directorate-General for Migration and Home Affairs. The "
            "partnership's work plan for 2024-2027 again relies on virtual exchanges, outcome "
            "reports, study visits and Urban Academy editions to share what its members "
            "learn.</p>"
            "<p>City networks work the same way. Through its mutual learning programme, "
            "Eurocities brings cities together to exchange challenges, transfer good practices "
            "and test innovative approaches to integration, and the nine cities of Cities for "
            "Active Inclusion, from Barcelona to Stockholm, shared information and carried out "
            "research through local observatories.</p>"
        ),
        quote(
            "Even on this little scale we saw big results. The kids were so excited that they "
            "are good at something.",
            "Pavla Lukešová, Brno City Council, coordinator of the OnStage project",
        ),
    ],
)

URBAN_AGENDA = DemoPage(
    title="The Urban Agenda for the EU",
    slug="urban-agenda",
    introduction=(
        "The Urban Agenda for the EU, initiated by the Pact of Amsterdam in 2016, involves "
        "urban authorities in achieving Better Regulation, Better Funding and Better "
        "Knowledge. In each of its partnerships, cities, Member States, the European Commission "
        "and other stakeholders work together on one priority theme."
    ),
    body=[
        heading("How the partnerships work"),
        paragraph(
            "<p>Each partnership brings together cities, regions, national governments, EU "
            "institutions, networks and NGOs. Its members agree an action plan; co-leaders "
            "steer each action, and an action group of members carries it out. Twelve "
            "partnerships were set up in 2016, on areas such as air quality, housing and "
            "energy transition, and more have been added since.</p>"
        ),
        heading("Inclusion of Migrants and Refugees", "h3"),
        paragraph(
            "<p>Launched in 2016 and coordinated by the City of Amsterdam and the European "
            "Commission's DG HOME. Its first actions created the European Migrant Advisory "
            "Board and the Urban Academy on integration. The work plan for 2024-2027 has four "
            "actions, each due by March 2027:</p>"
            "<ol>"
            "<li>Inclusive integration into quality jobs</li>"
            "<li>Inclusive education from early childhood to higher education</li>"
            "<li>Combating migration disinformation, hate speech and discrimination</li>"
            "<li>Increasing coherence between EU funds on integration to better align funding "
            "support with the reality on the ground</li>"
            "</ol>"
        ),
        heading("Urban Poverty", "h3"),
        paragraph(
            "<p>Established in 2016 to reduce poverty and improve the inclusion of people "
            "living in poverty. Its 12 actions focused on child poverty, the regeneration of "
            "deprived neighbourhoods, homelessness and the vulnerability of Roma people. Its "
            "work on child poverty advocated the European Child Guarantee, which the Council "
            "adopted in June 2021.</p>"
        ),
        heading("Cities of Equality", "h3"),
        paragraph(
            "<p>Launched in January 2024 and coordinated by France's National Agency for "
            "Territorial Cohesion (ANCT) and the Metropolitan City of Rome Capital. It works on "
            "tackling spatial segregation at city and neighbourhood level, and on engaging "
            "communities for fair and open access to services in a meaningful democracy.</p>"
        ),
        heading("The just city"),
        paragraph(
            "<p>The New Leipzig Charter describes the just city as one that provides equal "
            "opportunities and environmental justice for all, regardless of gender, "
            "socioeconomic status, age and origin, and leaves no one behind. Cities help build "
            "it by fighting poverty and the spatial segregation of marginalised groups, "
            "together with the regional, national and European levels.</p>"
        ),
    ],
)

STANDARD_PAGES: list[DemoPage] = [ABOUT, URBAN_AGENDA]


def load_demo_pages() -> HomePage:
    """Make the Urban Exchange home page the default site's root and add the demo pages below
    it. Returns the home page, the parent for the pages that other apps add."""
    site = _default_site()
    home = _home_page(site)
    _name_and_address(site)
    for page in STANDARD_PAGES:
        add_child_page(
            home,
            StandardPage(
                title=page.title,
                slug=page.slug,
                introduction=page.introduction,
                body=page.body,
                show_in_menus=True,
            ),
        )
    return home


def add_child_page(parent: Page, page: Page) -> Page:
    """Publish `page` below `parent`, unless `parent` has a child with its slug already.

    Returns the page that is there afterwards: the existing one, untouched, or the new one.
    """
    existing = parent.get_children().filter(slug=page.slug).first()
    if existing is not None:
        return existing.specific
    page.live = False  # published below, through a revision, as an editor would
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _default_site() -> Site:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise CommandError("There is no default site. Run `manage.py migrate` first.")
    return site


def _home_page(site: Site) -> HomePage:
    current = site.root_page.specific
    if isinstance(current, HomePage):
        return current
    if not _is_welcome_page(site.root_page):
        raise CommandError(
            f"The default site's root page is “{current.title}” ({current.specific_class.__name__}"
            "), not Wagtail's welcome page: load_demo leaves it alone. Make a home page the "
            "site's root page in the admin, or start from a fresh database."
        )
    welcome = site.root_page
    with transaction.atomic():
        home = HomePage.objects.first()  # there can be only one
        if home is None:
            # Sibling slugs are unique, and the welcome page holds "home" until it goes.
            Page.objects.filter(pk=welcome.pk).update(slug=f"{welcome.slug}-welcome")
            home = HomePage(**HOME_PAGE, live=False)
            Page.get_first_root_node().add_child(instance=home)
            home.save_revision().publish()
        # The site must let go of the welcome page first: deleting a site's root page
        # deletes the site.
        site.root_page = home
        site.site_name = site.site_name or HOME_PAGE["title"]
        site.save(update_fields=["root_page", "site_name"])
        Page.objects.get(pk=welcome.pk).delete()
    return home


# Where Wagtail's migration and a developer's machine put a site: never a real address.
LOCAL_HOSTNAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}


def _name_and_address(site: Site) -> None:
    """Give the site its name, and a site on a local address the one it is served on.

    The name is what e-mails greet people from; the address (BASE_URL, which `make run` sets
    from PORT) is what Wagtail puts in full page URLs, as in the sitemap. A real host name that
    someone gave the site is theirs and stays.
    """
    values = {}
    if not site.site_name:
        values["site_name"] = HOME_PAGE["title"]
    base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    if site.hostname in LOCAL_HOSTNAMES and base.hostname:
        port = base.port or (443 if base.scheme == "https" else 80)
        taken = Site.objects.exclude(pk=site.pk).filter(hostname=base.hostname, port=port)
        if not taken.exists():
            values.update(hostname=base.hostname, port=port)
    changed = [name for name, value in values.items() if getattr(site, name) != value]
    if changed:
        for name in changed:
            setattr(site, name, values[name])
        site.save(update_fields=changed)


def _is_welcome_page(page: Page) -> bool:
    """Wagtail's placeholder: a plain Page right below the tree root, with nothing below it."""
    return page.specific_class is Page and page.depth == 2 and page.numchild == 0
