"""Demo pages: the home page, two content pages written from the seed documents, and the four
pages of the footer (legal notice, privacy notice, accessibility statement, contact).

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

from core.addresses import is_local_hostname

from .models import HomePage, StandardPage

HOME_SLUG = "home"

HOME_PAGE = {
    "title": "Urban Exchange",
    "slug": HOME_SLUG,
    "statement": "Where European cities learn from each other",
    "introduction": (
        "Urban Exchange is for the people who make integration and inclusion work on the "
        "ground: city and regional officers, NGOs and ministries. It follows the "
        "partnerships of the Urban Agenda for the EU on the inclusion of migrants and "
        "refugees, urban poverty and equality in cities: browse the practices other cities "
        "have tried, share what your own city did, join the partnerships' virtual "
        "exchanges, webinars and study visits, and bring your city's policy dilemmas to the "
        "Urban Academy."
    ),
}


@dataclass(frozen=True)
class DemoPage:
    title: str
    slug: str
    introduction: str
    body: list[tuple[str, object]]
    menu_title: str = ""
    show_in_menus: bool = True
    show_in_footer: bool = False


def heading(text: str, level: str = "h2") -> tuple[str, dict]:
    return ("heading", {"text": text, "level": level})


def paragraph(html: str) -> tuple[str, str]:
    return ("paragraph", html)


def quote(text: str, attribution: str) -> tuple[str, dict]:
    return ("quote", {"text": text, "attribution": attribution})


ABOUT = DemoPage(
    title="About Urban Exchange",
    slug="about",
    menu_title="About",
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
            "<li><b>Share your city's practice.</b> Sign up with your work address, describe "
            "what you did, and a moderator reviews it before it is published.</li>"
            "<li><b>Come to the events.</b> Register for virtual exchanges, webinars and study "
            "visits, get the invite in your calendar, and read the outcome report of each "
            "exchange afterwards.</li>"
            "<li><b>Bring a dilemma to the Urban Academy.</b> Submit the policy choice your "
            "city faces to an edition's call; experts review it, and the selected cities work "
            "on theirs in a three-day workshop and receive written feedback that points them "
            "to practices in the library.</li>"
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
    menu_title="Urban Agenda",
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

# The footer pages say what this software really does with people's data and how far its
# accessibility goes. What only the organisation running a site can know (its name, address and
# the person responsible) is marked for the editors to fill in, never made up.

LEGAL_NOTICE = DemoPage(
    title="Legal notice",
    slug="legal-notice",
    introduction="Who publishes Urban Exchange, and on what terms its content may be used.",
    show_in_menus=False,
    show_in_footer=True,
    body=[
        heading("Publisher"),
        paragraph(
            "<p>Urban Exchange is published by the organisation that runs this installation of "
            "the site. <b>Editors: replace this paragraph with its full name, postal address, "
            "registration or VAT number where it has one, and the person responsible for the "
            "content.</b></p>"
        ),
        heading("Content from cities"),
        paragraph(
            "<p>Practices are written by the cities, regions and organisations that share "
            "them. Moderators check every practice before it is published, but the city or "
            "organisation that submitted a practice remains responsible for what it says. If "
            "you find something wrong in a practice, use the form on its page to write to the "
            "people behind it, or write to us through the contact page.</p>"
        ),
        heading("Links to other sites"),
        paragraph(
            "<p>Practices and pages link to other websites. We are not responsible for their "
            "content, and a link is not an endorsement.</p>"
        ),
        heading("Reuse"),
        paragraph(
            "<p>You may reuse the descriptions of practices, for example in a report or a "
            "presentation, if you name the city or organisation that shared the practice and "
            "link to its page on Urban Exchange. Images belong to the people who uploaded them "
            "and need their permission.</p>"
        ),
    ],
)

PRIVACY_NOTICE = DemoPage(
    title="Privacy notice",
    slug="privacy",
    introduction=(
        "Which personal data Urban Exchange stores, why, for how long, and the rights you have "
        "over it under the General Data Protection Regulation (GDPR)."
    ),
    show_in_menus=False,
    show_in_footer=True,
    body=[
        heading("Who is responsible"),
        paragraph(
            "<p>The controller of your data is the organisation that publishes Urban Exchange "
            "(see the legal notice). <b>Editors: add its data protection officer's contact "
            "details here.</b></p>"
        ),
        heading("When you browse"),
        paragraph(
            "<p>You can read the library, follow its feeds and download its lists without an "
            "account. The site sets no advertising or tracking cookies and loads nothing from "
            "other sites. It sets a cookie that protects its forms against forgery, and, when "
            "you sign in, a session cookie that keeps you signed in. To stop people guessing "
            "passwords or flooding the contact forms, the site counts recent attempts per IP "
            "address, for an hour or a day.</p>"
        ),
        heading("When you create an account"),
        paragraph(
            "<p>When you sign up we store your name, e-mail address, organisation, type of "
            "organisation, city, country, job title and preferred language, and a securely "
            "hashed password. We use them to let you sign in, to show moderators who submitted "
            "a practice, and to send you the e-mails that belong to what you do on the site "
            "(verifying your address, the progress of your submissions). The legal basis is "
            "your consent and the service you asked for (GDPR Article 6(1)(a) and (b)). You can "
            "change these details at any time under <i>Your account</i>.</p>"
        ),
        heading("When you share a practice"),
        paragraph(
            "<p>A published practice shows the city and organisation behind it, never the "
            "contact person's name or e-mail address: those stay visible to moderators "
            "only.</p>"
        ),
        heading("When you write to the people behind a practice"),
        paragraph(
            "<p>The contact form on a practice page sends your name, e-mail address and message "
            "by e-mail to the practice's contact address, with your address as the one to reply "
            "to. You do not see their address unless they answer. A copy of every e-mail the "
            "site sends is kept for 30 days, so that one that fails can be sent again, and is "
            "then deleted. Only the site's administrators can see these copies.</p>"
        ),
        heading("Your rights"),
        paragraph(
            "<p>You may ask to see the data we hold about you, to correct it, to have it "
            "deleted or to receive it in a portable form, and you may object to its use. Write "
            "to us through the contact page. You also have the right to complain to your "
            "national data protection authority.</p>"
        ),
    ],
)

ACCESSIBILITY_STATEMENT = DemoPage(
    title="Accessibility statement",
    slug="accessibility",
    introduction=(
        "Urban Exchange should be usable by everyone. This statement says how far it meets "
        "the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA, the level that the "
        "Web Accessibility Directive (EU) 2016/2102 and the standard EN 301 549 ask of public "
        "sector sites."
    ),
    show_in_menus=False,
    show_in_footer=True,
    body=[
        heading("How accessible the site is"),
        paragraph(
            "<p>The site is built to WCAG 2.2 AA: every page works with a keyboard alone and "
            "without JavaScript, has a link to skip to the content, headings in order, and "
            "colours checked for contrast. Every form field has a label, and errors are "
            "listed at the top of the form and next to each field. The pages work from a "
            "320 pixel wide screen up and when text is enlarged to 200%. Automated tests in a "
            "real browser check the main journeys at each release.</p>"
        ),
        heading("Status of compliance"),
        paragraph(
            "<p>The site is <b>partially compliant</b> with WCAG 2.2 AA: it has not yet been "
            "audited by an independent expert, so we cannot claim full compliance.</p>"
        ),
        heading("What we know is not accessible"),
        paragraph(
            "<ul>"
            "<li>The map of the practices is a picture: its circles can be reached with a "
            "keyboard, but the table under it is the way to read it with a screen reader.</li>"
            "<li>Images that members upload with their practices may lack a useful text "
            "description; moderators ask for one, but cannot always check it.</li>"
            "<li>Documents that cities link to from their practices are not ours, and may not "
            "be accessible.</li>"
            "</ul>"
        ),
        heading("Tell us about a problem"),
        paragraph(
            "<p>If something on the site is hard for you to use, or you need its content in "
            "another format, write to us through the contact page. We answer within 10 working "
            "days. If our answer does not satisfy you, you can turn to the body that enforces "
            "the Web Accessibility Directive in your country.</p>"
        ),
        paragraph(
            "<p><b>Editors: add the date of this statement and of its last review, and the "
            "national enforcement body.</b></p>"
        ),
    ],
)

CONTACT = DemoPage(
    title="Contact",
    slug="contact",
    introduction="How to reach the team behind Urban Exchange.",
    show_in_menus=False,
    show_in_footer=True,
    body=[
        heading("About a practice"),
        paragraph(
            "<p>To ask the people behind a practice about it, use the form at the end of the "
            "practice's page: it reaches them directly.</p>"
        ),
        heading("About the site"),
        paragraph(
            "<p>For questions about the site, your account, your personal data or its "
            "accessibility, write to the team that runs it. <b>Editors: add the team's e-mail "
            "address and, if you have one, a postal address and telephone number.</b></p>"
        ),
        heading("Sharing your city's practice"),
        paragraph(
            "<p>Sign up with your work e-mail address, then choose <i>Share your city's "
            "practice</i> in the practice library. A moderator reviews it before it is "
            "published.</p>"
        ),
    ],
)

FOOTER_PAGES: list[DemoPage] = [LEGAL_NOTICE, PRIVACY_NOTICE, ACCESSIBILITY_STATEMENT, CONTACT]

STANDARD_PAGES: list[DemoPage] = [ABOUT, URBAN_AGENDA, *FOOTER_PAGES]


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
                menu_title=page.menu_title,
                show_in_menus=page.show_in_menus,
                show_in_footer=page.show_in_footer,
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
    if is_local_hostname(site.hostname) and base.hostname:
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
