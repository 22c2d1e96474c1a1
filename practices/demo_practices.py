"""Demo practices for the library, taken from the seed documents in shared/seeds/.

Each practice says only what its document says; a field the document says nothing about stays
empty. The sources:

- ARTICLE: "Breaking the cycle of poverty for a more social and inclusive Europe", an article
  on the Urban Poverty and Inclusion of Migrants and Refugees partnerships and on projects
  funded by Urban Innovative Actions and URBACT (Lille, Bergamo, Brno, L'Hospitalet), and on
  the partnership's Migrant Advisory Board and Urban Academy;
- WORK_PLAN: the work plan 2024-2027 of the Inclusion of Migrants and Refugees partnership;
- ORIENTATION_PAPER: the orientation paper of the Cities of Equality partnership (Rome and
  Heerenveen);
- EUROCITIES: Eurocities' page "Inclusive cities" (UNITES, the partnership with UNICEF);
- ACTIVE_INCLUSION: the Cities for Active Inclusion presentation, Barcelona, 7 June 2013.

A practice must have a status and the documents never say that one has ended: each has the
status its document gives it at the document's date ("running" for what is described in the
present tense, "now a regular service" for what the European Commission has taken up).

`load_demo_practices` creates the library below the home page and publishes each practice
through a revision, unless a page with its slug is there already: a second run writes nothing,
and a practice an editor has changed keeps their changes.
"""

from dataclasses import dataclass

from django.core.management.base import CommandError
from django.db import models
from wagtail.models import Page

from accounts.demo import DEMO_PEOPLE

from .models import (
    City,
    Fund,
    GovernanceLevel,
    Partnership,
    PracticeFund,
    PracticeIndexPage,
    PracticeLink,
    PracticePage,
    PracticeStatus,
    TargetGroup,
    Theme,
)

LIBRARY = {
    "title": "Practice library",
    "slug": "practices",
    "introduction": (
        "What cities and regions across Europe have tried, told by them for other cities: "
        "what they did and for whom, with which money, what was hard, and what another city "
        "needs to reuse it. Write to the people behind a practice through the form on its "
        "page."
    ),
}

# Messages that visitors write to a demo practice reach the demo member, who can read them.
DEMO_CONTACT_EMAIL = next(person.email for person in DEMO_PEOPLE if person.role == "member")

MIGRANTS = "inclusion-of-migrants-and-refugees"
EQUALITY = "cities-of-equality"
UIA = ("Urban Innovative Actions", "https://uia-initiative.eu/en")
URBACT = ("URBACT", "https://urbact.eu/")
MIGRANTS_PARTNERSHIP = (
    "Urban Agenda Partnership on Inclusion of Migrants and Refugees",
    "https://futurium.ec.europa.eu/en/urban-agenda/inclusion-migrants-and-refugees",
)
MIGRANTS_LEAD = (
    "Urban Agenda Partnership on Inclusion of Migrants and Refugees, coordinated by the City "
    "of Amsterdam and the European Commission (DG HOME)"
)


@dataclass(frozen=True)
class DemoPractice:
    """One practice. Taxonomy terms are named by slug, as in practices/demo.py."""

    title: str
    slug: str
    city: str
    summary: str
    lead_organisation: str
    partners: str = ""
    status: str = PracticeStatus.RUNNING
    themes: tuple[str, ...] = ()
    governance_levels: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    funds: tuple[str, ...] = ()  # amounts: no document gives one
    partnership: str = ""
    problem: str = ""
    approach: str = ""
    results: str = ""
    resources: str = ""
    difficulties: str = ""
    transferability: str = ""
    links: tuple[tuple[str, str], ...] = ()  # (title, address)
    #: Transfer lineage: the slug of the demo practice this one was adapted from, and the
    #: three texts about the transfer, only where a seed says so.
    adapted_from: str = ""
    transfer_taken_over: str = ""
    transfer_changed: str = ""
    transfer_help: str = ""


PRACTICES: list[DemoPractice] = [
    # ARTICLE, "Lessons from Lille's TAST'in FIVES".
    DemoPractice(
        title="TAST'in FIVES",
        slug="tastin-fives",
        city="lille",
        summary=(
            "In Lille's Fives neighbourhood, a collective kitchen, food workshops and help into "
            "jobs in the food sector use food as leverage against urban poverty."
        ),
        lead_organisation="City of Lille",
        partners="14 partners, from public institutions to NGOs and private companies.",
        themes=("neighbourhood-regeneration", "labour-market-integration", "health"),
        governance_levels=("local",),
        target_groups=("long-term-unemployed", "young-people"),
        funds=("uia-eui",),
        problem=(
            "<p>TAST’in FIVES stands for Transforming Areas with Social Talents: Feed, Include, "
            "Value, Educate, Share. In Fives, the closure of the metallurgic company "
            "Fives-Cail-Babcock in 2001 led to a dramatic decline of the neighbourhood. The "
            "long-term unemployment rate is more than 20%, there are few job opportunities for "
            "young people, and half of the population is at risk of poverty.</p>"
        ),
        approach=(
            "<p>The City of Lille proposed food-related activities as leverage against urban "
            "poverty, as a project of Urban Innovative Actions, the EU initiative that gives "
            "urban areas resources to test new and unproven solutions.</p>"
            "<ul>"
            "<li>A collective kitchen: a shared space where people can cook, eat, socialise "
            "and make new experiences.</li>"
            "<li>Workshops against waste and malnutrition.</li>"
            "<li>Training and job opportunities, and meetings with employers.</li>"
            "<li>Restaurants and food processing activities.</li>"
            "</ul>"
            "<p>The kitchen is run by collective governance and is financially autonomous, "
            "while receiving part of the benefits from private activity operating in the "
            "vicinity.</p>"
        ),
        results=(
            "<p>The physical space, L’Avant-goût, has provided a meeting and socialising area "
            "with possible cultural encounters, where participants can learn more about each "
            "other. The project also has health benefits, from eating cooked rather than "
            "processed food and from general tips on ‘lighter food’. Some of the workshops "
            "focused on reducing food waste and making the most of existing products, to "
            "improve family budgeting. Visitors who wish to set up a professional activity in "
            "the food sector get help in finding job opportunities.</p>"
        ),
        difficulties=(
            "<p>‘One of the biggest challenges and, at the same time, biggest successes has "
            "been the collaboration of 14 different partners within the project, ranging from "
            "public institutions to NGOs and private companies,’ says Cécilie Dagmey, project "
            "manager of TAST’in FIVES at the City Council of Lille. The partners experienced "
            "new ways of working, in a new space, using food as an entry point to a wide array "
            "of issues.</p>"
        ),
        links=(UIA,),
    ),
    # ARTICLE, "Lessons from Bergamo's CAPACITyES".
    DemoPractice(
        title="CAPACITyES: Children Against Poverty Awake the CITy Education System",
        slug="capacityes",
        city="bergamo",
        summary=(
            "Bergamo tackles educational poverty in its most deprived peri-urban areas with "
            "co-housing for low-income families with children and a creative hub for children, "
            "both co-designed with the families."
        ),
        lead_organisation="Municipality of Bergamo",
        partners="Several municipal administration services and local partners.",
        themes=("child-poverty", "housing", "inclusive-education", "participation"),
        governance_levels=("local",),
        target_groups=("children", "low-income-families"),
        funds=("uia-eui",),
        problem=(
            "<p>Bergamo, a North Italian city of about 121 000 inhabitants, has been affected "
            "by urban poverty, particularly after the economic crisis of 2008. The city set out "
            "to address it mainly in its most deprived peri-urban areas, with children, the "
            "most vulnerable group, and educational poverty as the focus.</p>"
        ),
        approach=(
            "<p>An integrated approach focused on the child’s perspective, funded by Urban "
            "Innovative Actions:</p>"
            "<ul>"
            "<li>A temporary co-housing facility for families with children, with private and "
            "shared spaces to live in.</li>"
            "<li>The HubForKids, a creative hub that works on children’s cognitive and "
            "non-cognitive skills through artistic, sports, musical and cultural activities and "
            "performances for different age groups.</li>"
            "</ul>"
            "<p>Both facilities are co-designed and co-managed by the project’s beneficiaries "
            "in cooperation with the neighbourhood, to enhance social participation, "
            "integration and cohesion.</p>"
        ),
        results=(
            "<p>The project meant working with several municipal administration services and "
            "local partners at the same time. ‘Normally, we are used to working separately, but "
            "the project has helped us to work together. It might even be that bringing "
            "together local partners has helped them to appreciate the European value more,’ "
            "says Manuela Armati of the European Project Management Office at the Municipality "
            "of Bergamo.</p>"
        ),
        difficulties=(
            "<ul>"
            "<li>The low-income families in the co-housing facility are very different from "
            "each other, in religion or culture for example, so co-designing a common space "
            "was an important challenge, built into the design of the project.</li>"
            "<li>The COVID-19 pandemic, which nobody could foresee: ‘The families that were "
            "chosen at the beginning of the project are very different from who they are now, "
            "two years after the pandemic. For example, their economic situation has changed "
            "and often worsened, as some of them lost their jobs.’</li>"
            "<li>Finding a place for children of different ages: a space shared by mothers with "
            "babies, young children and teenagers.</li>"
            "</ul>"
        ),
        links=(UIA,),
    ),
    # ARTICLE, "Lessons from Brno's OnStage (Music Schools for Social Change) project".
    DemoPractice(
        title="OnStage: group music lessons in Brno's primary schools",
        slug="onstage-brno",
        city="brno",
        summary=(
            "Following L'Hospitalet's music school EMMCA, Brno runs group music activities in "
            "primary schools in its disadvantaged areas, so that children from vulnerable "
            "backgrounds take part in music classes."
        ),
        lead_organisation="Brno City Council",
        partners=(
            "The OnStage Action Planning Network (Music Schools for Social Change), led by "
            "L'Hospitalet de Llobregat; primary schools in Brno's disadvantaged areas."
        ),
        themes=("inclusive-education", "desegregation"),
        governance_levels=("local",),
        target_groups=("children", "roma"),
        funds=("urbact",),
        problem=(
            "<p>Brno, the second largest city in Czechia with 370 000 inhabitants, in the "
            "South Moravia Region, has sought new methods and tools for social cohesion. Early "
            "leaving from education and training is relatively low in the region, but it is "
            "estimated at around 78% for Roma children, the city’s largest minority, against "
            "a 2.7% regional average.</p>"
            "<p>Music education in Brno is generally very accessible, yet children from "
            "vulnerable backgrounds do not usually enrol in it, possibly because traditional "
            "music institutions, although open to everyone, are seen as rigorous institutions "
            "that prepare their pupils for music school or a professional career. They also "
            "only offer individual lessons.</p>"
        ),
        approach=(
            "<p>Brno became a partner in the OnStage Action Planning Network, led by "
            "L’Hospitalet de Llobregat and financed by the URBACT programme. The network gives "
            "everyone equal opportunities to access music courses, provides group music "
            "lessons, involves primary schools and creates a space for social cohesion, to "
            "tackle exclusion, youth unemployment and school dropout.</p>"
            "<p>Following the good practice of the music school EMMCA (Municipal School of "
            "Music and Arts Centre) in L’Hospitalet, Brno launched its own group music "
            "activities in primary schools in its disadvantaged areas, to tackle social "
            "exclusion and encourage disadvantaged children to take part in music classes. "
            "Teaching music to enhance social cohesion is a little known and explored concept "
            "in Czechia so far.</p>"
        ),
        results=(
            "<p>‘Even on this little scale we saw big results. The kids were so excited that "
            "they are good at something. Suddenly, they could see that they can play the guitar "
            "and show it to their classmates and parents. They felt success, maybe for the "
            "first time in their life,’ says Pavla Lukešová of Brno City Council, coordinator "
            "of the OnStage project.</p>"
        ),
        transferability=(
            "<p>OnStage is itself a transfer: Brno adapted the practice of L’Hospitalet’s "
            "EMMCA. Building on it, Brno started a collaboration to make future teachers aware "
            "of the methodology and its possibilities.</p>"
        ),
        links=(URBACT,),
        adapted_from="emmca-lhospitalet",
        transfer_taken_over=(
            "The good practice of the music school EMMCA (Municipal School of Music and Arts "
            "Centre) in L'Hospitalet: group music lessons in primary schools, open to everyone, "
            "as a space for social cohesion, unlike traditional music schools that only offer "
            "individual lessons."
        ),
        transfer_changed=(
            "Brno launched its own group music activities in primary schools in its "
            "disadvantaged areas, to tackle social exclusion and encourage disadvantaged "
            "children to take part in music classes: children from vulnerable backgrounds do "
            "not usually enrol in music education in Brno, and early leaving from education "
            "is estimated at around 78% for Roma children, against a 2.7% regional average. "
            "Teaching music to enhance social cohesion is a little known concept in Czechia."
        ),
        transfer_help=(
            "L'Hospitalet de Llobregat leads the OnStage Action Planning Network (Music Schools "
            "for Social Change), financed by the URBACT programme, in which Brno is a partner."
        ),
    ),
    # ARTICLE, the good practice that Brno's OnStage followed.
    DemoPractice(
        title="EMMCA: L'Hospitalet's municipal school of music and arts",
        slug="emmca-lhospitalet",
        city="lhospitalet-de-llobregat",
        summary=(
            "The Municipal School of Music and Arts Centre of L'Hospitalet de Llobregat, whose "
            "good practice Brno followed to bring group music lessons into its primary schools."
        ),
        lead_organisation="EMMCA (Municipal School of Music and Arts Centre), L'Hospitalet",
        themes=("inclusive-education",),
        governance_levels=("local",),
        approach=(
            "<p>L’Hospitalet de Llobregat leads OnStage (Music Schools for Social Change), an "
            "Action Planning Network financed by the URBACT programme. The network gives "
            "everyone equal opportunities to access music courses, provides group music "
            "lessons, involves primary schools and creates a space for social cohesion. It "
            "takes a different approach from traditional music schools, to tackle local issues "
            "such as exclusion, youth unemployment and school dropout.</p>"
        ),
        transferability=(
            "<p>Brno, a partner in the network, followed the good practice of EMMCA and "
            "launched its own group music activities in primary schools in its disadvantaged "
            "areas: see the practice “OnStage: group music lessons in Brno’s primary "
            "schools”.</p>"
        ),
        links=(URBACT,),
    ),
    # ARTICLE ("Inclusion of Migrants and Refugees") and WORK_PLAN (section 1.2.3).
    DemoPractice(
        title="European Migrant Advisory Board",
        slug="european-migrant-advisory-board",
        city="amsterdam",
        summary=(
            "Migrant and refugee advisors from all over Europe advised the Urban Agenda "
            "partnership on its actions; the European Commission has since made the idea its "
            "own expert group."
        ),
        lead_organisation=MIGRANTS_LEAD,
        status=PracticeStatus.REGULAR_SERVICE,
        themes=("participation",),
        governance_levels=("local", "eu"),
        target_groups=("refugees",),
        partnership=MIGRANTS,
        approach=(
            "<p>An action of the partnership’s first phase, 2016-2019: the first European "
            "Migrant Advisory Board, made up of individual migrant and refugee advisors from "
            "all over Europe. The board advised the partnership on its actions, produced a "
            "report, and gave feedback to the cities where its members were based.</p>"
        ),
        results=(
            "<p>The board was so successful that DG HOME now uses it as its own policy "
            "instrument: in 2020 the European Commission established its Expert Group on the "
            "Views of Migrants in the field of migration, asylum and integration. ‘This means "
            "that one of the outcomes of our partnership is now embedded and is a success,’ "
            "said Mark Boekwijt, Representative to the EU of the City of Amsterdam and "
            "coordinator of the partnership.</p>"
            "<p>The Expert Group is now represented in the partnership, and the work plan "
            "2024-2027 involves it and migrant-led organisations in the actions, to increase "
            "the migrants’ voice in them.</p>"
        ),
        links=(MIGRANTS_PARTNERSHIP,),
    ),
    # ARTICLE ("Another successful action was the Urban Academy") and WORK_PLAN (actions 1, 3).
    DemoPractice(
        title="Urban Academy on integration",
        slug="urban-academy-on-integration",
        city="amsterdam",
        summary=(
            "A three-day thematic expert workshop: cities present policy dilemmas on "
            "integration, and the selected cities receive feedback on them from experts in the "
            "field."
        ),
        lead_organisation=MIGRANTS_LEAD,
        status=PracticeStatus.REGULAR_SERVICE,
        themes=("labour-market-integration", "disinformation-and-hate-speech"),
        governance_levels=("local", "eu"),
        partnership=MIGRANTS,
        approach=(
            "<p>An action of the partnership’s first phase, 2016-2019. Cities had the "
            "opportunity to present relevant policy dilemmas; those selected took part in "
            "thematic workshop lectures, where they received feedback on their specific "
            "dilemmas from experts in the field.</p>"
        ),
        results=(
            "<p>The Urban Academy has become a structural instrument of the European "
            "Commission’s Directorate-General for Migration and Home Affairs (DG HOME).</p>"
            "<p>The partnership’s work plan 2024-2027 relies on it again: the action on "
            "inclusive integration into quality jobs will disseminate its capacity-building "
            "output through the Urban Academy, and the action on combating migration "
            "disinformation, hate speech and discrimination will test its guidelines in an "
            "Urban Academy edition or another online or hybrid format.</p>"
        ),
        links=(MIGRANTS_PARTNERSHIP,),
    ),
    # ACTIVE_INCLUSION. The presentation was Barcelona's; the nine cities each run an
    # observatory of their own.
    DemoPractice(
        title="Cities for Active Inclusion: Barcelona's Local Authority Observatory",
        slug="cities-for-active-inclusion-barcelona",
        city="barcelona",
        summary=(
            "Barcelona is one of nine cities that each set up a Local Authority Observatory in "
            "their administration, to share information, learn from each other and research how "
            "active inclusion strategies are implemented locally."
        ),
        lead_organisation="City of Barcelona",
        partners=(
            "EUROCITIES, which coordinates the observatories; the observatories of Birmingham, "
            "Bologna, Brno, Copenhagen, Lille Métropole-Roubaix, Rotterdam, Sofia and "
            "Stockholm; the European Commission (DG Employment, Social Affairs and Inclusion)."
        ),
        themes=("active-inclusion", "data-and-evidence"),
        governance_levels=("local", "eu"),
        problem=(
            "<p>The challenges the observatories found: budget cuts and financial constraints; "
            "an increasing number and new profiles of people at risk of social exclusion and "
            "poverty; and ineffective governance.</p>"
        ),
        approach=(
            "<p>Active inclusion combines inclusive labour markets, minimum income support and "
            "access to quality social services, in an integrated and coordinated approach. At "
            "political level the strategy is part of the Social Investment Package.</p>"
            "<p>Cities for Active Inclusion is a partnership of nine European cities: "
            "Barcelona, Birmingham, Bologna, Brno, Copenhagen, Lille Métropole-Roubaix, "
            "Rotterdam, Sofia and Stockholm. Each has set up a Local Authority Observatory "
            "within its administration, to share information, promote mutual learning and "
            "carry out research on how active inclusion strategies are implemented at local "
            "level. It builds on a pilot phase in five European cities between March 2009 and "
            "August 2010.</p>"
            "<p>Its activities in 2013:</p>"
            "<ul>"
            "<li>informing, disseminating and raising awareness: a website and a high-level "
            "event;</li>"
            "<li>researching and analysing policy;</li>"
            "<li>mutual learning: national workshops on active inclusion, and study "
            "visits.</li>"
            "</ul>"
        ),
        results=(
            "<p>Why cities matter, according to the observatories’ main findings. Cities:</p>"
            "<ul>"
            "<li>are responsible for providing and commissioning social services and labour "
            "market activation support;</li>"
            "<li>provide welfare services;</li>"
            "<li>use regulatory powers to promote social inclusion and an inclusive labour "
            "market;</li>"
            "<li>can award social services to social economy organisations;</li>"
            "<li>can influence national policies;</li>"
            "<li>have access to information and know the actual trends in poverty and social "
            "exclusion;</li>"
            "<li>are best placed to deal with urban poverty.</li>"
            "</ul>"
        ),
        resources=(
            "<p>The observatories are supported through a partnership between the European "
            "Commission (DG Employment, Social Affairs and Inclusion) and EUROCITIES. The 2013 "
            "conference in Barcelona was commissioned under PROGRESS, the European Union "
            "Programme for Employment and Social Solidarity (2007-2013).</p>"
        ),
        transferability=(
            "<p>The elements of success the observatories found:</p>"
            "<ul>"
            "<li>good policy coordination and integrated approaches;</li>"
            "<li>area-based approaches to urban regeneration;</li>"
            "<li>working in partnership with all relevant stakeholders;</li>"
            "<li>promoting social innovation;</li>"
            "<li>bottom-up approaches: involving citizens, users and NGOs in planning for "
            "active inclusion;</li>"
            "<li>a framework for improving and measuring the quality of social services;</li>"
            "<li>prevention and early intervention;</li>"
            "<li>Social Return on Investment (SROI).</li>"
            "</ul>"
        ),
        links=(("Cities for Active Inclusion (2013)", "http://www.eurocities-nlao.eu"),),
    ),
    # ORIENTATION_PAPER, section 3.2: the paper names it as an example of co-design and says no
    # more about it.
    DemoPractice(
        title="Metropolitan Table of Coexistence",
        slug="metropolitan-table-of-coexistence",
        city="rome",
        summary=(
            "Named by the Cities of Equality partnership as an example of co-design: "
            "institutions and civil society working together to offer tailor-made services that "
            "benefit the community."
        ),
        lead_organisation="Metropolitan City of Rome Capital",
        themes=("participation",),
        governance_levels=("local",),
        partnership=EQUALITY,
        approach=(
            "<p>The orientation paper of the Cities of Equality partnership (September 2024) "
            "names the Metropolitan Table of Coexistence as an example of co-design, the common "
            "foundation of two sub-themes of its work: access to services, and democracy, "
            "elections and participation in local life. Co-design involves collaboration "
            "between institutions and civil society to offer tailor-made services that benefit "
            "the community.</p>"
            "<p>The Metropolitan City of Rome Capital coordinates the partnership with France’s "
            "National Agency for Territorial Cohesion (ANCT), and leads its working group on "
            "engaging communities for fair and open access to services in a meaningful "
            "democracy.</p>"
        ),
    ),
    # ORIENTATION_PAPER, section 3.2, as above.
    DemoPractice(
        title="Advisory Councils in Heerenveen",
        slug="advisory-councils-heerenveen",
        city="heerenveen",
        summary=(
            "Named by the Cities of Equality partnership as an example of co-design: "
            "institutions and civil society working together to offer tailor-made services that "
            "benefit the community."
        ),
        lead_organisation="Municipality of Heerenveen",
        themes=("participation",),
        governance_levels=("local",),
        partnership=EQUALITY,
        approach=(
            "<p>The orientation paper of the Cities of Equality partnership (September 2024) "
            "names the Advisory Councils of the Municipality of Heerenveen as an example of "
            "co-design, the common foundation of two sub-themes of its work: access to "
            "services, and democracy, elections and participation in local life. Co-design "
            "involves collaboration between institutions and civil society to offer tailor-made "
            "services that benefit the community.</p>"
            "<p>Heerenveen is a member of the partnership’s working group on engaging "
            "communities for fair and open access to services in a meaningful democracy.</p>"
        ),
    ),
    # EUROCITIES. Eurocities does its policy work in Brussels, hence the city.
    DemoPractice(
        title="UNITES: UrbaN InTEgration Strategies through co-design",
        slug="unites",
        city="brussels",
        summary=(
            "Eurocities trains and accompanies local authorities to co-design integration "
            "strategies with other stakeholders and migrants."
        ),
        lead_organisation="Eurocities",
        themes=("participation",),
        governance_levels=("local", "eu"),
        funds=("amif",),
        problem=(
            "<p>Successful integration and inclusion policies need to ensure that the host "
            "society’s services and policies are adapted and accessible to a diverse "
            "population.</p>"
        ),
        approach=(
            "<p>UNITES, a project funded by the Asylum, Migration and Integration Fund, trains "
            "and accompanies local authorities to co-design integration strategies with other "
            "stakeholders and migrants. It is one of the European projects through which "
            "Eurocities, the network of major European cities, supports cities more "
            "extensively on selected topics, beside its Integrating Cities Process and its "
            "mutual learning programme.</p>"
        ),
    ),
    # EUROCITIES, as above; the Child Guarantee's adoption is from the ARTICLE.
    DemoPractice(
        title="Eurocities and UNICEF: cities and the European Child Guarantee",
        slug="eurocities-unicef-child-guarantee",
        city="brussels",
        summary=(
            "Eurocities and UNICEF mobilise cities and build local capacities for the European "
            "Pillar of Social Rights and the European Child Guarantee, for the social inclusion "
            "of vulnerable children, including refugee children."
        ),
        lead_organisation="Eurocities",
        partners="UNICEF",
        themes=("child-poverty",),
        governance_levels=("local",),
        target_groups=("children", "refugees"),
        approach=(
            "<p>The Eurocities partnership with UNICEF aims to mobilise cities and build "
            "local-level capacities for implementing the European Pillar of Social Rights and "
            "the European Child Guarantee, in support of the social inclusion of vulnerable "
            "children, including refugee children.</p>"
            "<p>The Council adopted the recommendation establishing the European Child "
            "Guarantee in June 2021: an EU-level instrument that helps uphold children’s rights "
            "by combating child poverty and fostering equal opportunities.</p>"
        ),
    ),
]


def load_demo_practices(home: Page) -> PracticeIndexPage:
    """Create the practice library below `home` if there is none, and publish the demo
    practices in it that are missing. Returns the library."""
    library = _library(home)
    existing = set(library.get_children().values_list("slug", flat=True))
    for practice in PRACTICES:
        if practice.slug not in existing:
            _publish(library, practice)
    _link_originals(library)
    return library


def _link_originals(library: PracticeIndexPage) -> None:
    """Publish each demo practice's original (transfer lineage) where it is not set yet.

    After every practice is published: an original may come later in the list, and it must
    be live (`PracticePage.clean`). Only a practice as the demo published it (one revision,
    no original) gets its original: one that an editor changed keeps its edits, and loading
    the demo again changes nothing.
    """
    pages = {page.slug: page for page in PracticePage.objects.child_of(library)}
    for practice in PRACTICES:
        page, original = pages.get(practice.slug), pages.get(practice.adapted_from)
        if page is None or original is None or page.adapted_from_id or page.original_url:
            continue
        if page.revisions.count() > 1:
            continue
        draft = page.get_latest_revision_as_object()
        draft.adapted_from = original
        draft.transfer_taken_over = practice.transfer_taken_over
        draft.transfer_changed = practice.transfer_changed
        draft.transfer_help = practice.transfer_help
        draft.full_clean()
        draft.save_revision().publish()


def _library(home: Page) -> PracticeIndexPage:
    # There can be only one library (max_count = 1): wherever an editor put it, use it.
    library = PracticeIndexPage.objects.first()
    if library is not None:
        return library
    if home.get_children().filter(slug=LIBRARY["slug"]).exists():
        raise CommandError(
            f"The home page has a page at /{LIBRARY['slug']}/ that is not the practice "
            "library: load_demo leaves it alone. Rename its slug, or start from a fresh "
            "database."
        )
    library = PracticeIndexPage(**LIBRARY, live=False, show_in_menus=True)
    home.add_child(instance=library)
    library.save_revision().publish()  # through a revision, as an editor would
    # publish() saved a copy made from the revision: this instance still says "draft".
    return PracticeIndexPage.objects.get(pk=library.pk)


def _publish(library: PracticeIndexPage, practice: DemoPractice) -> None:
    page = PracticePage(
        title=practice.title,
        slug=practice.slug,
        summary=practice.summary,
        city=City.objects.get(slug=practice.city),
        lead_organisation=practice.lead_organisation,
        partners=practice.partners,
        status=practice.status,
        partnership=(
            Partnership.objects.get(slug=practice.partnership) if practice.partnership else None
        ),
        problem=practice.problem,
        approach=practice.approach,
        results=practice.results,
        resources=practice.resources,
        difficulties=practice.difficulties,
        transferability=practice.transferability,
        contact_email=DEMO_CONTACT_EMAIL,
        live=False,
    )
    page.themes = _terms(Theme, practice.themes)
    page.governance_levels = _terms(GovernanceLevel, practice.governance_levels)
    page.target_groups = _terms(TargetGroup, practice.target_groups)
    page.practice_funds = [PracticeFund(fund=fund) for fund in _terms(Fund, practice.funds)]
    page.links = [PracticeLink(title=title, url=url) for title, url in practice.links]
    library.add_child(instance=page)
    page.save_revision().publish()


def _terms(model: type[models.Model], slugs: tuple[str, ...]) -> list:
    """The terms with these slugs, in this order. A slug that is not in the demo taxonomy is a
    mistake in the data above: say which."""
    terms = {term.slug: term for term in model._default_manager.filter(slug__in=slugs)}
    missing = [slug for slug in slugs if slug not in terms]
    if missing:
        raise LookupError(f"No {model._meta.verbose_name} with slug {', '.join(missing)}.")
    return [terms[slug] for slug in slugs]
