"""`manage.py generate_practices N`: many realistic, published practices, for load and search tests.

Wagtail's own way to publish a page (add_child, save_revision, publish) took 62 ms a page on
SQLite here: over ten minutes for 10,000. This command writes the same rows in bulk instead, a
batch at a time inside one transaction, and takes about 22 s for 10,000 on SQLite and 49 s on
PostgreSQL, most of it building the search index entries:

- the tree paths below the library are computed the way treebeard computes them, and the
  library's `numchild` is raised once at the end;
- the `wagtailcore_page` rows are inserted with `bulk_create`, and the `PracticePage` rows
  (multi-table inheritance: Django's bulk_create refuses them) with one `executemany`;
- each page gets a revision that is both its latest and its live revision, with the content
  Wagtail itself would store;
- the practices are added to the search index in bulk, and the library's cache version is
  bumped once after the commit.

What is left out, because no signals run: audit log entries ("created", "published") and
Wagtail's reference index ("usage" counts of cities and themes in the admin; rebuild it with
`manage.py rebuild_references_index` if you need them). Everything a visitor sees is there.

Generated practices have slugs starting with "generated-"; `--clear` deletes them and nothing
else.
"""

import logging
import random
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.models import get_all_child_relations
from wagtail.models import Page, ReferenceIndex, Revision
from wagtail.search.backends import get_search_backends
from wagtail.signal_handlers import disable_reference_index_auto_update

from practices.library import bump_library_version
from practices.models import (
    Action,
    City,
    Fund,
    GovernanceLevel,
    Partnership,
    PracticeFund,
    PracticeIndexPage,
    PracticePage,
    PracticeStatus,
    TargetGroup,
    Theme,
)

SLUG_PREFIX = "generated-"
BATCH_SIZE = 500
IN_CLAUSE_SIZE = 5000
FIRST_START_YEAR = 2008
LAST_START_YEAR = 2026

# --- Vocabulary ---------------------------------------------------------------------------------
# (what it is called, what it does): the first goes into titles, the second into summaries.
INTERVENTIONS: list[tuple[str, str]] = [
    ("Neighbourhood job coaches", "sends job coaches to meet residents where they live"),
    ("One-stop shop", "brings housing, work, health and language advice under one roof"),
    ("Language cafés", "runs informal conversation groups with volunteers"),
    ("Peer mentoring", "pairs participants with mentors who went through the same"),
    ("Buddy programme", "matches residents with local volunteers for their first year"),
    ("Skills assessment on arrival", "maps skills and qualifications in the first weeks"),
    ("Community kitchen", "opens a shared kitchen for cooking, training and meeting"),
    ("Housing First", "offers a permanent home first and support around it"),
    ("Homework clubs", "runs homework clubs with teachers and student volunteers"),
    ("Intercultural mediators", "trains intercultural mediators for schools and services"),
    ("Digital skills workshops", "teaches digital skills for work and public services"),
    ("Social enterprise incubator", "helps social enterprises start and hire locally"),
    ("Welcome desk", "gives practical information in many languages at the town hall"),
    ("Early school leaving prevention", "follows pupils at risk of leaving school early"),
    ("Fast-track recognition of qualifications", "speeds up the recognition of diplomas"),
    ("Micro-credit scheme", "lends small sums to people who want to start a business"),
    ("Community health navigators", "guides people through the health system"),
    ("Anti-rumour network", "trains residents to answer rumours and hate speech"),
    ("Participatory budgeting", "lets residents decide how part of the budget is spent"),
    ("Youth outreach teams", "meets young people on the street and in sports clubs"),
    ("Intergenerational co-housing", "lets students and older residents share housing"),
    ("Tenant support teams", "helps tenants keep their homes and avoid eviction"),
    ("Trauma-informed counselling", "offers counselling by staff trained in trauma care"),
    ("Mobile social workers", "brings social workers to neighbourhoods by van"),
    ("Music lessons in primary schools", "gives free group music lessons in schools"),
    ("Urban gardening", "turns vacant plots into gardens run by residents"),
    ("Vocational language courses", "combines language classes with work placements"),
    ("Childcare during courses", "looks after children while their parents learn"),
    ("Local integration strategy", "co-designs the city's integration strategy"),
    ("Neighbourhood data observatory", "collects data on poverty at neighbourhood level"),
]

GROUP_PHRASES: dict[str, str] = {
    "refugees": "refugees",
    "asylum-seekers": "asylum seekers",
    "unaccompanied-minors": "unaccompanied minors",
    "migrant-women": "migrant women",
    "children": "children at risk of poverty",
    "young-people": "young people not in work or training",
    "roma": "Roma families",
    "long-term-unemployed": "long-term unemployed residents",
    "single-parent-families": "single-parent families",
    "low-income-families": "low-income families",
    "homeless-people": "homeless people",
    "lgbtiq-people": "LGBTIQ refugees",
    "migrant-entrepreneurs": "migrant entrepreneurs",
}

PLACES = [
    "",
    " in deprived neighbourhoods",
    " in public libraries",
    " in social housing estates",
    " across the metropolitan area",
    " in primary schools",
    " at community centres",
]

GOALS = [
    "so that they find quality jobs sooner",
    "to prevent early school leaving",
    "to reduce the spatial segregation of the city",
    "so that no one is left behind",
    "to improve access to social services",
    "to build trust between residents and the city",
    "to break the cycle of poverty",
    "to make services accessible to a diverse population",
]

LEAD_ORGANISATIONS = [
    "City of {city}",
    "Municipality of {city}",
    "{city} social services department",
    "{city} employment and economy department",
    "{city} education department",
    "Metropolitan area of {city}",
]

PARTNERS = [
    "the public employment service",
    "local employers' associations",
    "secondary schools",
    "the regional government",
    "migrant-led organisations",
    "the Red Cross",
    "a social housing company",
    "the university",
    "neighbourhood associations",
    "the public library",
    "NGOs working with refugees",
    "the chamber of commerce",
    "health centres",
    "sports clubs",
]

PROBLEMS = [
    "In {city}, {pct}% of {group} were out of work or training two years after arrival.",
    "Language barriers and mismatches between skills and jobs kept {group} from work.",
    "Services were spread over many offices, and {group} did not know where to start.",
    "Waiting lists for language courses were over {months} months long.",
    "Poverty is concentrated in a few neighbourhoods, where {pct}% of children live in "
    "low-income households.",
    "Foreign qualifications were rarely recognised, so skilled people took unskilled jobs.",
    "Disinformation about migration fed hostility towards newcomers in local debates.",
    "Early school leaving among {group} was {times} times the city average.",
    "Housing costs rose faster than incomes, and evictions doubled in five years.",
    "Case workers saw the same families in several departments, with no one coordinating.",
]

ACTIVITIES = [
    "weekly drop-in hours in the neighbourhood",
    "individual plans agreed with each participant",
    "training for front-line staff on intercultural communication",
    "a shared case file across departments, with the participant's consent",
    "meetings with employers who commit to interviews",
    "volunteers recruited and trained by a local NGO",
    "information in the ten most spoken languages",
    "childcare during activities",
    "a steering group with residents and migrant-led organisations",
    "outreach in schools, mosques, churches and sports clubs",
    "co-design workshops with the people the service is for",
    "follow-up calls three and six months later",
]

RESULTS = [
    "{n} people took part in the first {years} years.",
    "{pct}% of participants found a job or training within {months} months.",
    "An external evaluation found that waiting times fell by {pct}%.",
    "Early school leaving among participants fell from {pct}% to {low}%.",
    "{n} families kept their home with the help of the team.",
    "Participants rated the service {score} out of 10 on average.",
    "The city made the pilot a regular service after {years} years.",
    "Staff from {n} departments now meet monthly to coordinate cases.",
]

RESOURCES = [
    "{fte} full-time staff and about {volunteers} volunteers.",
    "A yearly budget of about EUR {budget}, most of it staff costs.",
    "A room in a community centre, provided by the city free of charge.",
    "Two years of preparation before the first participants joined.",
]

DIFFICULTIES = [
    "Keeping volunteers for more than a year was hard.",
    "Sharing data between departments needed a new legal agreement.",
    "The project funding ended before the service was part of the city budget.",
    "Reaching women with young children took longer than planned.",
    "Employers were willing but had little time for interviews.",
    "Some residents saw the project as favouring newcomers, and we had to explain it better.",
]

TRANSFERABILITY = [
    "Any city with a public employment service willing to share desk space can start small.",
    "The approach needs a legal basis for sharing data between services.",
    "It works best where NGOs and the city already work together.",
    "The training material is available in English and can be adapted.",
    "A smaller city can run it with one coordinator and volunteers.",
]


@dataclass(frozen=True)
class Taxonomy:
    """The terms a generated practice is tagged with: everything that exists."""

    cities: list[City]
    themes: list[Theme]
    levels: list[GovernanceLevel]
    groups: list[TargetGroup]
    funds: list[Fund]
    partnerships: list[Partnership]
    actions: dict[int, list[Action]]

    @classmethod
    def load(cls) -> "Taxonomy":
        actions: dict[int, list[Action]] = {}
        for action in Action.objects.all():
            actions.setdefault(action.partnership_id, []).append(action)
        return cls(
            cities=list(City.objects.select_related("country")),
            themes=list(Theme.objects.all()),
            levels=list(GovernanceLevel.objects.all()),
            groups=list(TargetGroup.objects.all()),
            funds=list(Fund.objects.all()),
            partnerships=list(Partnership.objects.all()),
            actions=actions,
        )

    def missing(self) -> list[str]:
        wanted = {
            "cities": self.cities,
            "themes": self.themes,
            "governance levels": self.levels,
            "target groups": self.groups,
            "funds": self.funds,
        }
        return [name for name, terms in wanted.items() if not terms]


class PracticeFactory:
    """Builds one unsaved practice at a time, from the vocabulary above and a seeded random."""

    def __init__(self, rng: random.Random, taxonomy: Taxonomy, library: PracticeIndexPage):
        self.rng = rng
        self.taxonomy = taxonomy
        self.library = library
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.content_type = ContentType.objects.get_for_model(PracticePage)
        self.empty_relations = [
            relation.get_accessor_name()
            for relation in get_all_child_relations(PracticePage)
            if relation.get_accessor_name() != "practice_funds"
        ]

    def build(self, step: int) -> PracticePage:
        rng, taxonomy = self.rng, self.taxonomy
        city = rng.choice(taxonomy.cities)
        groups = rng.sample(taxonomy.groups, rng.randint(1, min(3, len(taxonomy.groups))))
        group = GROUP_PHRASES.get(groups[0].slug, groups[0].name.lower())
        intervention, does = rng.choice(INTERVENTIONS)
        place = rng.choice(PLACES)
        title = f"{intervention} for {group}{place}"
        slug = f"{SLUG_PREFIX}{step}-{slugify(title)}"[:100].rstrip("-")
        summary = f"{city.name} {does}, for {group}{place}, {rng.choice(GOALS)}."[:300]
        start, end, status = self._period()
        published = self.now - timedelta(seconds=rng.randint(0, 3 * 365 * 24 * 3600))
        partnership = rng.choice(taxonomy.partnerships) if rng.random() < 0.25 else None
        actions = taxonomy.actions.get(partnership.pk, []) if partnership else []
        words = {"city": city.name, "group": group}

        practice = PracticePage(
            # Page
            title=title,
            draft_title=title,
            slug=slug,
            content_type=self.content_type,
            path=PracticePage._get_path(self.library.path, self.library.depth + 1, step),
            depth=self.library.depth + 1,
            numchild=0,
            url_path=f"{self.library.url_path}{slug}/",
            locale_id=self.library.locale_id,
            translation_key=uuid.uuid4(),
            live=True,
            has_unpublished_changes=False,
            first_published_at=published,
            last_published_at=published,
            latest_revision_created_at=published,
            show_in_menus=False,
            # PracticePage, and what its save() would compute (year): save() is not called.
            summary=summary,
            city=city,
            lead_organisation=rng.choice(LEAD_ORGANISATIONS).format(city=city.name),
            partners=self._sentence_list(rng.sample(PARTNERS, rng.randint(0, 3))),
            start_date=start,
            end_date=end,
            status=status,
            year=start.year,
            partnership=partnership,
            action=rng.choice(actions) if actions and rng.random() < 0.5 else None,
            problem=self._paragraph(PROBLEMS, 2, 3, words),
            approach=(
                f"<p>{city.name} {does}.</p><ul>"
                + "".join(
                    f"<li>{activity.capitalize()}</li>"
                    for activity in rng.sample(ACTIVITIES, rng.randint(2, 4))
                )
                + "</ul>"
            ),
            results=self._paragraph(RESULTS, 1, 3, words),
            resources=self._paragraph(RESOURCES, 0, 2, words),
            difficulties=self._paragraph(DIFFICULTIES, 0, 2, words),
            transferability=self._paragraph(TRANSFERABILITY, 0, 2, words),
        )
        # In memory until inserted (modelcluster): the revision's content is made from these.
        practice.themes = rng.sample(taxonomy.themes, rng.randint(1, min(3, len(taxonomy.themes))))
        practice.governance_levels = sorted(
            rng.sample(taxonomy.levels, rng.randint(1, min(2, len(taxonomy.levels)))),
            key=lambda level: level.sort_order,
        )
        practice.target_groups = groups
        for relation in self.empty_relations:
            # Known to be empty: said so, the revision's content is made without a query.
            setattr(practice, relation, [])
        practice.practice_funds = [
            PracticeFund(fund=fund, amount_eur=self._amount(), sort_order=position)
            for position, fund in enumerate(
                rng.sample(taxonomy.funds, rng.randint(0, min(2, len(taxonomy.funds))))
            )
        ]
        return practice

    def _period(self) -> tuple[date, date | None, str]:
        rng = self.rng
        start = date(rng.randint(FIRST_START_YEAR, LAST_START_YEAR), rng.randint(1, 12), 1)
        if start > self.today:
            return start, None, PracticeStatus.PLANNED
        status = rng.choices(
            [PracticeStatus.RUNNING, PracticeStatus.REGULAR_SERVICE, PracticeStatus.COMPLETED],
            weights=[45, 25, 30],
        )[0]
        if status == PracticeStatus.COMPLETED:
            end = date(start.year + rng.randint(1, 4), start.month, 1) - timedelta(days=1)
            if end < self.today:
                return start, end, status
            status = PracticeStatus.RUNNING
        return start, None, status

    def _amount(self) -> Decimal | None:
        if self.rng.random() < 0.2:
            return None  # "Leave empty if you do not know": cities often do not
        return Decimal(self.rng.randrange(20, 5000) * 1000)

    def _numbers(self) -> dict[str, int]:
        rng = self.rng
        return {
            "n": rng.randint(12, 2400),
            "pct": rng.randint(12, 78),
            "low": rng.randint(3, 11),
            "months": rng.randint(3, 18),
            "years": rng.randint(2, 6),
            "times": rng.randint(2, 5),
            "score": rng.randint(6, 9),
            "fte": rng.randint(1, 12),
            "volunteers": rng.randint(5, 120),
            "budget": f"{rng.randrange(40, 2000) * 1000:,}",
        }

    def _paragraph(self, sentences: Sequence[str], least: int, most: int, words: dict) -> str:
        chosen = self.rng.sample(sentences, self.rng.randint(least, most))
        if not chosen:
            return ""
        values = {**self._numbers(), **words}
        return "<p>" + " ".join(sentence.format(**values) for sentence in chosen) + "</p>"

    @staticmethod
    def _sentence_list(items: list[str]) -> str:
        if not items:
            return ""
        text = "; ".join(items) + "."
        return text[0].upper() + text[1:]


class Command(BaseCommand):
    help = (
        "Create N published practices with realistic, varied text and random (seeded) themes, "
        "levels, funds, target groups and cities, below the practice library, fast enough for "
        "10,000. Needs the library and the taxonomy (manage.py load_demo). Each practice gets "
        "a live revision and a search index entry; no audit log entries and no reference index "
        "entries are written. Their slugs start with 'generated-'; --clear deletes them."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, nargs="?", default=0, help="How many to create.")
        parser.add_argument(
            "--seed", type=int, default=2024, help="Random seed: the same seed, the same text."
        )
        parser.add_argument(
            "--clear", action="store_true", help="Delete the generated practices first."
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="Rows per insert.")

    def handle(self, *args, count: int, seed: int, clear: bool, batch_size: int, **options):
        if count < 0 or batch_size < 1:
            raise CommandError("N must be 0 or more, and --batch-size 1 or more.")
        if not count and not clear:
            raise CommandError("Say how many practices to create, or pass --clear.")
        library = PracticeIndexPage.objects.first()
        if library is None:
            raise CommandError(
                "There is no practice library to put practices in. Run `manage.py load_demo` "
                "first, or create the library in the admin."
            )
        taxonomy = Taxonomy.load()
        if count and taxonomy.missing():
            raise CommandError(
                f"There are no {', '.join(taxonomy.missing())} to tag practices with. Run "
                "`manage.py load_demo` first, or add them in the admin."
            )
        self.verbosity = options.get("verbosity", 1)
        started = time.perf_counter()
        with transaction.atomic():
            if clear:
                self._clear(library, started)
            if count:
                self._generate(library, taxonomy, count, seed, batch_size, started)
            # One new library version for everything, once the rows are visible to others.
            transaction.on_commit(bump_library_version)

    def _clear(self, library: PracticeIndexPage, started: float) -> None:
        generated = PracticePage.objects.child_of(library).filter(slug__startswith=SLUG_PREFIX)
        ids = list(generated.values_list("pk", flat=True))
        object_ids = [str(pk) for pk in ids]
        page_type = ContentType.objects.get_for_model(Page)
        # Before deleting a live page, Wagtail unpublishes it and removes its reference index
        # rows, one page and several queries at a time (55 s for 10,000 on SQLite). Taken
        # offline and out of the reference index in bulk first, they go in 14 s.
        for start in range(0, len(ids), IN_CLAUSE_SIZE):  # SQLite limits a query's parameters
            some_ids = ids[start : start + IN_CLAUSE_SIZE]
            some_object_ids = object_ids[start : start + IN_CLAUSE_SIZE]
            Page.objects.filter(pk__in=some_ids).update(live=False)
            ReferenceIndex.objects.filter(
                base_content_type=page_type, object_id__in=some_object_ids
            ).delete()
            ReferenceIndex.objects.filter(
                to_content_type=page_type, to_object_id__in=some_object_ids
            ).delete()
        with disable_reference_index_auto_update(), _quiet("wagtail"):
            # treebeard's queryset delete keeps the tree right (the library's numchild
            # included); Django's collector takes the revisions, funds and search index entries
            # with the pages.
            generated.delete()
        elapsed = time.perf_counter() - started
        self._say(f"Deleted {len(ids)} generated practices ({elapsed:.1f} s).")

    def _generate(
        self,
        library: PracticeIndexPage,
        taxonomy: Taxonomy,
        count: int,
        seed: int,
        batch_size: int,
        started: float,
    ) -> None:
        # Locked so that two runs (or an editor adding a practice) cannot take the same paths.
        library = PracticeIndexPage.objects.select_for_update().get(pk=library.pk)
        last = library.get_last_child()
        first_step = PracticePage._str2int(last.path[-PracticePage.steplen :]) + 1 if last else 1
        if first_step + count > len(PracticePage.alphabet) ** PracticePage.steplen:
            raise CommandError("The library has no room for that many more pages in its tree.")
        factory = PracticeFactory(random.Random(seed), taxonomy, library)
        backends = list(get_search_backends(with_auto_update=True))
        done = 0
        for steps in _batches(range(first_step, first_step + count), batch_size):
            practices = [factory.build(step) for step in steps]
            _insert_pages(practices)
            _insert_relations(practices)
            _insert_revisions(practices)
            for backend in backends:
                backend.add_bulk(PracticePage, practices)
            done += len(practices)
            self._say(f"  {done:>6}/{count} practices ({time.perf_counter() - started:.1f} s)")
        Page.objects.filter(pk=library.pk).update(numchild=F("numchild") + count)
        self._say(
            self.style.SUCCESS(
                f"Created {count} published practices in the library at {library.url} in "
                f"{time.perf_counter() - started:.1f} s (search index included)."
            )
        )

    def _say(self, message: str) -> None:
        if self.verbosity > 0:
            self.stdout.write(message)


@contextmanager
def _quiet(name: str) -> Iterator[None]:
    """Wagtail logs every page it deletes at INFO: 10,000 lines nobody reads."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _batches(items: range, size: int) -> Iterator[range]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


PAGE_FIELDS = [field for field in Page._meta.concrete_fields if not field.primary_key]


def _insert_pages(practices: list[PracticePage]) -> None:
    """Insert the `wagtailcore_page` rows, then the `practices_practicepage` rows."""
    pages = [
        Page(**{field.attname: getattr(practice, field.attname) for field in PAGE_FIELDS})
        for practice in practices
    ]
    Page.objects.bulk_create(pages)  # sets the ids, on SQLite and PostgreSQL alike
    for practice, page in zip(practices, pages, strict=True):
        practice.id = practice.page_ptr_id = page.pk
        practice._state.adding = False
        practice._state.db = page._state.db
    # Django's bulk_create refuses models with a concrete parent; the child table alone is a
    # plain insert of the model's own columns.
    fields = PracticePage._meta.local_concrete_fields
    table = connection.ops.quote_name(PracticePage._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    rows = [
        [field.get_db_prep_save(field.pre_save(practice, True), connection) for field in fields]
        for practice in practices
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608


def _insert_relations(practices: list[PracticePage]) -> None:
    for name in ("themes", "governance_levels", "target_groups"):
        field = PracticePage._meta.get_field(name)
        through = field.remote_field.through
        source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        through.objects.bulk_create(
            through(**{source: practice.pk, target: term.pk})
            for practice in practices
            for term in getattr(practice, name).all()
        )
    funds = []
    for practice in practices:
        for item in practice.practice_funds.all():
            item.page = practice  # now that the practice has its id
            funds.append(item)
    PracticeFund.objects.bulk_create(funds)


def _insert_revisions(practices: list[PracticePage]) -> None:
    """One revision per practice, its latest and its live one, as publishing would leave it."""
    page_type = ContentType.objects.get_for_model(Page)
    revisions = [
        Revision(
            content_type=practice.content_type,
            base_content_type=page_type,
            object_id=str(practice.pk),
            created_at=practice.first_published_at,
            object_str=str(practice),
            content=practice.serializable_data(),
        )
        for practice in practices
    ]
    Revision.objects.bulk_create(revisions)
    pages = []
    for practice, revision in zip(practices, revisions, strict=True):
        practice.latest_revision_id = practice.live_revision_id = revision.pk
        pages.append(
            Page(id=practice.pk, latest_revision_id=revision.pk, live_revision_id=revision.pk)
        )
    Page.objects.bulk_update(pages, ["latest_revision", "live_revision"])
