"""The library's engine: stemmed and quoted search on both databases, the in-memory index
against a plain reading of the data, and the cost of a cache miss whatever the library's size.

The whole file runs on SQLite and on PostgreSQL (`DATABASE_URL=postgres://...`).
"""

import datetime
import random
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from practices.demo import load_demo_taxonomy
from practices.library import LibraryQuery, bump_library_version, search_library
from practices.library.facets import FACETS, get_vocabulary
from practices.library.index import library_index
from practices.library.search import ranked_ids
from practices.models import ExpertOpinion, PracticePage, Theme
from tests.factories import add_practice, make_expert

pytestmark = pytest.mark.django_db


def ask(library, querystring: str = ""):
    return search_library(library, LibraryQuery.from_querydict(QueryDict(querystring)))


def titles(result) -> list[str]:
    return [practice.title for practice in result.practices]


def published(days_ago: int):
    return timezone.now() - datetime.timedelta(days=days_ago)


# --- Search that finds what people type ----------------------------------------------------


@pytest.fixture
def texts(library, mechelen):
    """Practices whose words differ by their endings and by their order."""

    def practice(number, title, summary, days_ago):
        return add_practice(
            library,
            mechelen,
            number=number,
            title=title,
            summary=summary,
            first_published_at=published(days_ago),
        )

    return {
        "one": practice(1, "Welcome desk", "A desk where each migrant gets advice.", 5),
        "many": practice(2, "Job fair", "Employers meet migrants and refugees.", 4),
        "phrase": practice(3, "Poverty map", "A plan against urban poverty in Lille.", 3),
        "apart": practice(4, "Green roofs", "Poverty falls where urban gardens grow.", 2),
        "other": practice(5, "Bike repair", "Volunteers repair bicycles for newcomers.", 1),
    }


def test_a_word_finds_its_plural_and_the_plural_finds_the_word(library, texts):
    assert sorted(titles(ask(library, "q=migrant"))) == ["Job fair", "Welcome desk"]
    assert sorted(titles(ask(library, "q=migrants"))) == ["Job fair", "Welcome desk"]
    assert titles(ask(library, "q=refugee")) == ["Job fair"]


def test_a_quoted_phrase_matches_the_words_side_by_side_only(library, texts):
    assert sorted(titles(ask(library, "q=urban+poverty"))) == ["Green roofs", "Poverty map"]
    assert titles(ask(library, 'q="urban poverty"')) == ["Poverty map"]
    # A phrase and a loose word together: both must be there.
    assert titles(ask(library, 'q="urban poverty" lille')) == ["Poverty map"]
    assert ask(library, 'q="urban poverty" gardens').total == 0
    # An unclosed quote is a phrase to the end; quotes around one word are that word.
    assert titles(ask(library, 'q="urban poverty')) == ["Poverty map"]
    assert titles(ask(library, 'q="bicycles"')) == ["Bike repair"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's FTS5 keeps every word")
def test_words_that_postgresql_drops_do_not_empty_a_search(library, texts):
    assert sorted(titles(ask(library, "q=the+migrants"))) == ["Job fair", "Welcome desk"]
    assert ask(library, "q=the+of").total == 5  # nothing but stop words: everything, as Wagtail


def test_best_match_is_the_order_while_searching(library, texts):
    # "Poverty map" has the word in its title: first, although "Green roofs" is newer.
    result = ask(library, "q=poverty")
    assert result.query.effective_sort == "relevance"
    assert titles(result) == ["Poverty map", "Green roofs"]
    assert titles(ask(library, "q=poverty&sort=newest")) == ["Green roofs", "Poverty map"]
    # The engine's own order, filtered by the library, is what the page shows.
    engine = PracticePage.objects.in_bulk(ranked_ids(("poverty",)))
    assert [engine[pk].title for pk in ranked_ids(("poverty",))] == titles(result)


def test_the_engine_answers_ids_only_in_one_query(library, texts):
    # The worker learns which practice each index row is (SQLite) and which words the text
    # search configuration drops (PostgreSQL): once, not on each search.
    ranked_ids(("migrant", "advice"))
    with CaptureQueriesContext(connection) as captured:
        ids = ranked_ids(("migrant", "advice"))
    assert ids == [texts["one"].pk]
    assert len(captured.captured_queries) == 1


def test_a_practice_indexed_later_is_found_at_once(library, texts, mechelen):
    assert ranked_ids(("ferry",)) == []
    practice = add_practice(library, mechelen, number=30, title="Ferry school")
    assert ranked_ids(("ferry",)) == [practice.pk]
    practice.delete()
    assert ranked_ids(("ferry",)) == []
    again = add_practice(library, mechelen, number=31, title="Ferry crossing")
    # SQLite may give the new index row the id of the deleted one.
    assert ranked_ids(("ferry",)) == [again.pk]


def test_a_search_page_costs_one_query_for_the_hits_and_one_for_the_cards(library, texts):
    ask(library, "q=migrants")  # the index is built, the index rows and the word known
    with CaptureQueriesContext(connection) as captured:
        result = ask(library, "q=migrants")
        assert len(result.practices) == 2
    # The version (cache, no SQL), the hits, the cards (their themes come from the index).
    assert len(captured.captured_queries) == 2


# --- The index against a plain reading of the data -----------------------------------------


def _values_of(practice: PracticePage) -> dict[str, set]:
    """What each facet sees in a practice, read the slow way."""
    return {
        "theme": {t.slug for t in practice.themes.all()},
        "level": {t.slug for t in practice.governance_levels.all()},
        "fund": {f.fund.slug for f in practice.practice_funds.all()},
        "country": {practice.city.country.code} if practice.city else set(),
        "city": {practice.city.slug} if practice.city else set(),
        "group": {t.slug for t in practice.target_groups.all()},
        "partnership": {practice.partnership.slug} if practice.partnership else set(),
        "year": {practice.year} if practice.year else set(),
        "status": {practice.status} if practice.status else set(),
        "reused": {"yes"} if practice.reused_by.live().exists() else set(),
        "opinion": {"yes"} if practice.published_opinions.exists() else set(),
    }


def _expected(practices, filters) -> tuple[list[int], dict[str, Counter]]:
    def passes(values, without=None):
        return all(values[key] & set(wanted) for key, wanted in filters.items() if key != without)

    ids = [pk for pk, values in practices if passes(values)]
    counts = {}
    for facet in FACETS:
        counter = Counter()
        for _pk, values in practices:
            if passes(values, without=facet.key):
                counter.update(values[facet.key])
        counts[facet.key] = counter
    return ids, counts


def test_the_index_matches_and_counts_as_a_plain_reading_of_the_data(library, mechelen):
    load_demo_taxonomy()
    call_command("generate_practices", "80", "--seed", "7", stdout=StringIO())
    add_practice(library, mechelen, number=900, live=False, title="Draft")
    expert = make_expert("expert@urbanexchange.test")
    for number, practice in enumerate(PracticePage.objects.live().order_by("pk")[:30]):
        # Every third published; the others in states the public never sees.
        state = ["published", "submitted", "draft"][number % 3]
        ExpertOpinion.objects.create(practice=practice, expert=expert, state=state)
    practices = [
        (practice.pk, _values_of(practice))
        for practice in PracticePage.objects.live()
        .child_of(library)
        .select_related("city__country", "partnership")
        .prefetch_related("themes", "governance_levels", "target_groups", "practice_funds__fund")
        .order_by("-first_published_at", "-pk")
    ]
    assert len(practices) == 80
    vocabulary = get_vocabulary()
    rng = random.Random(7)
    keys = ["theme", "level", "fund", "country", "city", "group", "partnership", "year", "status"]
    keys.append("opinion")
    for _ in range(25):
        filters = {}
        for key in rng.sample(keys, 2):
            pool = sorted({v for _pk, values in practices for v in values[key]}, key=str)
            filters[key] = tuple(sorted(rng.sample(pool, min(len(pool), rng.choice([1, 2])))))
        querystring = "&".join(f"{key}={v}" for key, values in filters.items() for v in values)
        result = ask(library, querystring)
        ids, counts = _expected(practices, filters)
        assert list(result.ids) == ids, querystring
        for group in result.facets:
            shown = {value.slug: value.count for value in group.values if value.count}
            assert shown == dict(counts[group.key]), (querystring, group.key)
    assert vocabulary  # every slug above came from the vocabulary's own terms


def test_title_order_and_pages_come_from_the_index(library, mechelen):
    housing = Theme.objects.create(name="Housing", slug="housing")
    for number, title in enumerate(["delta", "Alpha", "charlie", "Bravo", "echo"], start=1):
        add_practice(library, mechelen, number=number, title=title, themes=[housing])
    by_title = search_library(
        library, LibraryQuery.from_querydict(QueryDict("sort=title")), page_size=2
    )
    assert titles(by_title) == ["Alpha", "Bravo"]
    second = search_library(
        library, LibraryQuery.from_querydict(QueryDict("sort=title&page=3")), page_size=2
    )
    assert titles(second) == ["echo"]


def test_the_index_is_built_once_per_library_version(library, mechelen):
    add_practice(library, mechelen, number=1)
    first = library_index(library)
    assert library_index(library) is first
    bump_library_version()
    assert library_index(library) is not first


# --- A cache miss costs the same queries for a small and a large library -------------------


def _miss_queries(client, url, params) -> int:
    bump_library_version()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"theme": "housing", "level": "local", "page": "2"},
        {"q": "city", "fund": "esf"},
        {"q": '"language cafés" volunteers', "sort": "title"},
    ],
)
def test_a_cache_miss_costs_the_same_queries_for_100_or_2000_practices(client, library, params):
    """2,000 rather than 100,000 to keep the suite quick; benchmarks/library_speed.py runs
    100,000. Every query of a miss is counted: the index's build, the hits and the cards."""
    load_demo_taxonomy()
    call_command("generate_practices", "100", "--seed", "1", stdout=StringIO())
    client.get("/")  # Wagtail's site cache, as a running server has it
    client.get(library.url, params)  # the words a worker learns once (PostgreSQL's stop words)
    small = _miss_queries(client, library.url, params)
    call_command("generate_practices", "1900", "--seed", "2", stdout=StringIO())
    assert PracticePage.objects.live().count() == 2000
    large = _miss_queries(client, library.url, params)
    assert small == large
    assert large < 25


# --- After a publication the index is updated, not read again -------------------------------


def _answers(index, querystrings):
    vocabulary = index.vocabulary
    answers = []
    for querystring in querystrings:
        query = LibraryQuery.from_querydict(QueryDict(querystring)).resolve(vocabulary)
        ids, counts = index.match(query, None)
        answers.append((list(ids), counts))
    return answers


QUERIES = [
    "",
    "sort=title",
    "theme=housing",
    "theme=housing&sort=title",
    "year=2021&status=running",
]


def test_a_publication_updates_the_index_in_place_as_a_new_reading_would(library, mechelen):
    housing = Theme.objects.create(name="Housing", slug="housing")
    health = Theme.objects.create(name="Health", slug="health")
    pages = [
        add_practice(
            library,
            mechelen,
            number=number,
            title=title,
            themes=[housing if number % 2 else health],
            start_date=datetime.date(2019 + number % 3, 1, 1),
            first_published_at=published(30 - number),
        )
        for number, title in enumerate(["Mango", "apple", "Kiwi", "cherry", "Banana"], start=1)
    ]
    before = library_index(library)
    # Published: a new practice with a title in the middle, a new year and an older date.
    fresh = add_practice(
        library,
        mechelen,
        number=20,
        live=False,
        title="Date palm",
        themes=[housing],
        start_date=datetime.date(2021, 6, 1),
    )
    fresh.save_revision().publish()
    # Changed and published again: another theme and title.
    pages[0].themes = [health]
    pages[0].title = "Zucchini"
    pages[0].save_revision().publish()
    # Unpublished.
    pages[2].unpublish()

    with CaptureQueriesContext(connection) as captured:
        after = library_index(library)
    assert after is not before and after.capacity == before.capacity  # updated, not read again
    assert len(captured.captured_queries) <= 8
    reread = type(before)(library, "reread", before.vocabulary)
    assert _answers(after, QUERIES) == _answers(reread, QUERIES)
    titles_now = [
        PracticePage.objects.get(pk=pk).title for pk in _answers(after, ["sort=title"])[0][0]
    ]
    assert titles_now == ["apple", "Banana", "cherry", "Date palm", "Zucchini"]
    # The old index is left as it was, for a request still reading it.
    assert len(before.ids[: before.used]) == 5 and pages[2].pk in before.ids


def test_a_new_theme_reads_the_index_again(library, mechelen):
    add_practice(library, mechelen, number=1)
    before = library_index(library)
    Theme.objects.create(name="Water", slug="water")
    assert (
        library_index(library).capacity != before.capacity or library_index(library) is not before
    )
    assert "water" in library_index(library).vocabulary["theme"]


def test_cards_show_their_themes_from_the_index_in_name_order(client, library, mechelen):
    work = Theme.objects.create(name="Work", slug="work")
    housing = Theme.objects.create(name="Housing", slug="housing")
    practice = add_practice(library, mechelen, number=1, themes=[work, housing])
    html = client.get(library.url).content.decode()
    assert '<li class="tag">Housing</li><li class="tag">Work</li>' in html
    practice.themes = [work]
    practice.save_revision().publish()
    html = client.get(library.url).content.decode()
    assert '<li class="tag">Work</li>' in html and '<li class="tag">Housing</li>' not in html
