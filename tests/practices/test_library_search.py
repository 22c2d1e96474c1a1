"""The library's facets, search, order and pages; what it shows after changes; what it costs."""

import datetime

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from practices.library import LibraryQuery, bump_library_version, library_version, search_library
from practices.library.matching import pk_in_list
from practices.library.query import MAX_QUERY_LENGTH
from practices.models import (
    Fund,
    GovernanceLevel,
    Partnership,
    PracticePage,
    PracticeStatus,
    TargetGroup,
    Theme,
)
from tests.factories import add_practice, make_city

pytestmark = pytest.mark.django_db


def titles(result) -> list[str]:
    return [practice.title for practice in result.practices]


def counts(result) -> dict[str, dict]:
    return {
        group.key: {value.slug: value.count for value in group.values} for group in result.facets
    }


def ask(library, querystring: str = ""):
    return search_library(library, LibraryQuery.from_querydict(QueryDict(querystring)))


def published(days_ago: int):
    return timezone.now() - datetime.timedelta(days=days_ago)


@pytest.fixture
def catalogue(library, mechelen):
    """Four published practices and a draft, tagged so that the facets cross."""
    housing = Theme.objects.create(name="Housing", slug="housing")
    education = Theme.objects.create(name="Inclusive education", slug="education")
    health = Theme.objects.create(name="Health", slug="health")
    esf = Fund.objects.create(name="ESF+", slug="esf-plus")
    amif = Fund.objects.create(name="AMIF", slug="amif")
    local = GovernanceLevel.objects.create(name="Local", slug="local", sort_order=1)
    refugees = TargetGroup.objects.create(name="Refugees", slug="refugees")
    inclusion = Partnership.objects.create(name="Inclusion of Migrants", slug="inclusion")
    lille = make_city("Lille", "FR", "France")

    def practice(number, city, themes, funds=(), **fields):
        return add_practice(
            library,
            city,
            number=number,
            themes=themes,
            governance_levels=[local],
            funds=[(fund, 1000) for fund in funds],
            **fields,
        )

    pages = {
        "mentoring": practice(
            1,
            mechelen,
            [housing],
            [esf],
            title="Housing mentors",
            summary="Mentors help newcomers find a flat.",
            start_date=datetime.date(2021, 3, 1),
            partnership=inclusion,
            first_published_at=published(4),
        ),
        "schools": practice(
            2,
            mechelen,
            [education],
            [esf],
            title="Bridge classes",
            summary="Newcomers learn Dutch before joining a class.",
            start_date=datetime.date(2020, 9, 1),
            status=PracticeStatus.COMPLETED,
            first_published_at=published(3),
        ),
        "flats": practice(
            3,
            lille,
            [housing, education],
            [amif],
            title="Arrival flats",
            summary="Flats with a caseworker for families who have just arrived.",
            start_date=datetime.date(2021, 1, 1),
            first_published_at=published(2),
        ),
        "clinic": practice(
            4,
            lille,
            [health],
            title="Street clinic",
            summary="Nurses visit people sleeping rough.",
            start_date=datetime.date(2019, 5, 1),
            first_published_at=published(1),
            target_groups=[refugees],
        ),
        "draft": practice(
            5, mechelen, [housing], [esf], live=False, title="Secret draft", summary="Newcomers."
        ),
    }
    return pages


# --- Facets -------------------------------------------------------------------------------


def test_values_of_one_facet_widen_the_list(library, catalogue):
    result = ask(library, "theme=housing&theme=education")
    assert sorted(titles(result)) == ["Arrival flats", "Bridge classes", "Housing mentors"]


def test_facets_narrow_each_other(library, catalogue):
    result = ask(library, "theme=housing&fund=esf-plus")
    assert titles(result) == ["Housing mentors"]
    assert ask(library, "theme=housing&country=FR").total == 1
    assert ask(library, "theme=health&country=BE").total == 0


def test_a_facet_counts_without_its_own_filter(library, catalogue):
    result = ask(library, "theme=housing&fund=esf-plus")
    facet_counts = counts(result)
    # Themes are counted among the ESF+ practices, whatever theme is selected...
    assert facet_counts["theme"] == {"housing": 1, "education": 1}
    # ...and funds among the housing practices, whatever fund is selected.
    assert facet_counts["fund"] == {"esf-plus": 1, "amif": 1}
    # Other facets see both filters.
    assert facet_counts["city"] == {"mechelen": 1}
    assert facet_counts["country"] == {"BE": 1}
    assert facet_counts["year"] == {2021: 1}


def test_counts_leave_out_drafts_and_empty_values(library, catalogue):
    facet_counts = counts(ask(library))
    assert facet_counts["theme"] == {"health": 1, "housing": 2, "education": 2}
    assert facet_counts["fund"] == {"esf-plus": 2, "amif": 1}  # the draft's ESF+ is not counted
    assert facet_counts["level"] == {"local": 4}
    assert facet_counts["group"] == {"refugees": 1}
    assert facet_counts["partnership"] == {"inclusion": 1}
    assert facet_counts["status"] == {"running": 3, "completed": 1}
    assert list(facet_counts["year"]) == [2021, 2020, 2019]  # newest first


def test_a_selected_value_with_nothing_left_still_shows_so_it_can_be_removed(library, catalogue):
    result = ask(library, "country=BE&theme=health")
    theme_values = {value.slug: value for value in result.facets[0].values}
    assert theme_values["health"].active and theme_values["health"].count == 0
    assert result.total == 0


def test_filters_combine_year_status_group_and_partnership(library, catalogue):
    assert titles(ask(library, "year=2021&status=running")) == ["Arrival flats", "Housing mentors"]
    assert titles(ask(library, "group=refugees")) == ["Street clinic"]
    assert titles(ask(library, "partnership=inclusion&level=local")) == ["Housing mentors"]


def test_the_page_shows_facets_as_a_form_with_counts_and_active_filters(client, library, catalogue):
    response = client.get(library.url, {"theme": "housing", "country": "BE"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'method="get"' in html
    assert "<legend" in html and "Apply filters" in html
    # Each value is one checkbox inside its label: the box and the words do the same thing.
    assert (
        '<label class="facet__option"><input type="checkbox" name="theme" value="housing" checked>'
        ' <span>Housing <span class="facet__count">(1)</span></span></label>'
    ) in html
    assert 'name="theme" value="education">' in html
    assert "Street clinic" not in html
    # Removing one filter keeps the other; "clear all" removes both.
    assert 'href="?country=BE">remove' in html
    assert 'href="?theme=housing">remove' in html
    assert "Clear all filters" in html
    assert 'name="robots" content="noindex, follow"' in html


def test_the_country_filter_takes_the_iso_code_in_any_case(library, catalogue):
    assert ask(library, "country=fr").total == 2
    assert ask(library, "country=FR").query.filters == {"country": ("FR",)}


# --- Search, order, pages -----------------------------------------------------------------


def test_search_combines_with_facets(library, catalogue):
    assert sorted(titles(ask(library, "q=newcomers"))) == ["Bridge classes", "Housing mentors"]
    assert titles(ask(library, "q=newcomers&theme=housing")) == ["Housing mentors"]
    result = ask(library, "q=newcomers&theme=housing")
    assert counts(result)["theme"] == {"housing": 1, "education": 1}
    assert ask(library, "q=caseworker&country=BE").total == 0


def test_search_finds_words_of_the_theme_and_the_city(library, catalogue):
    assert "Street clinic" in titles(ask(library, "q=lille"))
    assert "Street clinic" in titles(ask(library, "q=health"))


def test_search_never_finds_drafts(client, library, catalogue):
    response = client.get(library.url, {"q": "secret"})
    assert "Secret draft" not in response.content.decode()
    assert response.context["library"].total == 0


def test_newest_first_by_default_and_title_on_request(library, catalogue):
    assert titles(ask(library)) == [
        "Street clinic",
        "Arrival flats",
        "Bridge classes",
        "Housing mentors",
    ]
    assert titles(ask(library, "sort=title")) == [
        "Arrival flats",
        "Bridge classes",
        "Housing mentors",
        "Street clinic",
    ]


def test_relevance_is_the_default_and_only_offered_when_searching(client, library, catalogue):
    searching = ask(library, "q=flats")
    assert searching.query.effective_sort == "relevance"
    assert titles(searching)[0] == "Arrival flats"
    assert ask(library, "q=flats&sort=newest").query.effective_sort == "newest"
    assert ask(library, "sort=relevance").query.effective_sort == "newest"
    assert 'value="relevance"' not in client.get(library.url).content.decode()
    # Best match is the default while searching: the sort box sends "" for it.
    searching_html = client.get(library.url, {"q": "flats"}).content.decode()
    assert '<option value="" selected>Best match</option>' in searching_html


def test_pages_of_twenty_keep_the_filters(client, library, mechelen):
    housing = Theme.objects.create(name="Housing", slug="housing")
    for number in range(1, 26):
        add_practice(library, mechelen, number=number, themes=[housing])
    add_practice(library, mechelen, number=99, title="Not about housing")
    first = client.get(library.url, {"theme": "housing", "sort": "title"})
    assert len(first.context["library"].practices) == 20
    assert first.context["library"].total == 25
    html = first.content.decode()
    assert 'href="?theme=housing&amp;sort=title&amp;page=2" rel="next"' in html
    second = client.get(library.url, {"theme": "housing", "sort": "title", "page": "2"})
    assert len(second.context["library"].practices) == 5
    assert "Page 2 of 2" in second.content.decode()
    assert 'href="?theme=housing&amp;sort=title" rel="prev"' in second.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"theme": "no-such-theme"},
        {"theme": "<script>alert(1)</script>"},
        {"page": "abc"},
        {"page": "-3"},
        {"page": "99999999999999999999999"},
        {"year": "xyz"},
        {"year": "20211"},
        {"status": "sleeping"},
        {"country": "Belgium"},
        {"sort": "'; drop table"},
        {"q": "newcomers " * 800},
        {"q": '"unbalanced quote OR ('},
        {"q": "AND OR NOT * ^ : -"},
        {"q": "%_\\'"},
        {"city": "x" * 5000},
    ],
)
def test_bad_parameters_are_ignored_never_an_error(client, library, catalogue, params):
    response = client.get(library.url, params)
    assert response.status_code == 200
    assert "Secret draft" not in response.content.decode()


def test_unknown_values_are_dropped_from_the_query(library, catalogue):
    result = ask(library, "theme=housing&theme=nope&year=xyz&page=abc&fund=esf-plus")
    assert result.query.filters == {"theme": ("housing",), "fund": ("esf-plus",)}
    assert result.page.number == 1
    assert len(LibraryQuery.from_querydict(QueryDict("q=" + "a" * 5000)).q) == MAX_QUERY_LENGTH


def test_many_values_of_one_facet_are_capped(library, catalogue):
    querystring = "&".join(f"theme=t{number}" for number in range(500))
    assert len(LibraryQuery.from_querydict(QueryDict(querystring)).filters["theme"]) == 30


# --- Changes show at once -----------------------------------------------------------------


def test_a_newly_published_practice_appears_at_once(client, library, catalogue, mechelen):
    assert client.get(library.url).context["library"].total == 4  # now cached
    assert client.get(library.url, {"q": "ferry"}).context["library"].total == 0
    practice = add_practice(library, mechelen, number=10, live=False, title="Ferry school")
    practice.summary = "Lessons on the ferry."
    practice.save_revision().publish()
    listing = client.get(library.url)
    assert listing.context["library"].total == 5
    assert "Ferry school" in listing.content.decode()
    assert client.get(library.url, {"q": "ferry"}).context["library"].total == 1


def test_an_unpublished_practice_disappears_at_once(client, library, catalogue):
    assert "Street clinic" in client.get(library.url).content.decode()
    catalogue["clinic"].unpublish()
    response = client.get(library.url)
    assert "Street clinic" not in response.content.decode()
    assert counts(response.context["library"])["theme"].get("health") is None


def test_a_deleted_practice_disappears_at_once(client, library, catalogue):
    assert client.get(library.url).context["library"].total == 4
    catalogue["clinic"].delete()
    assert client.get(library.url).context["library"].total == 3


def test_a_renamed_theme_shows_its_new_name_at_once(client, library, catalogue):
    assert "Inclusive education" in client.get(library.url).content.decode()
    theme = Theme.objects.get(slug="education")
    theme.name = "Schools for all"
    theme.save()
    html = client.get(library.url).content.decode()
    assert "Schools for all" in html and "Inclusive education" not in html


# --- Cost ---------------------------------------------------------------------------------


def _request_queries(client, url, params=None) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def _add_tagged(library, city, theme, fund, numbers):
    for number in numbers:
        add_practice(
            library,
            city,
            number=number,
            summary="Newcomers find work.",
            themes=[theme],
            funds=[fund],
        )


@pytest.mark.parametrize("params", [{}, {"theme": "work", "fund": "esf-plus", "q": "newcomers"}])
def test_a_library_request_costs_the_same_queries_for_3_or_30_practices(
    client, library, mechelen, params
):
    theme = Theme.objects.create(name="Work", slug="work")
    fund = Fund.objects.create(name="ESF+", slug="esf-plus")
    _add_tagged(library, mechelen, theme, fund, range(1, 4))
    client.get("/")  # warm Wagtail's site cache, as a running server has

    bump_library_version()
    cold_few = _request_queries(client, library.url, params)
    warm_few = _request_queries(client, library.url, params)

    _add_tagged(library, mechelen, theme, fund, range(4, 31))
    bump_library_version()
    cold_many = _request_queries(client, library.url, params)
    warm_many = _request_queries(client, library.url, params)

    assert len(cold_few) == len(cold_many) < 25
    assert len(warm_few) == len(warm_many) <= 8
    # A read never writes: no search hits recorded, no sessions, nothing.
    for sql in cold_many + warm_many:
        assert sql.lstrip(" (").upper().startswith(("SELECT", "WITH")), sql


def test_a_warm_library_request_is_as_cheap_as_a_content_page(
    client, library, mechelen, django_assert_max_num_queries
):
    theme = Theme.objects.create(name="Work", slug="work")
    fund = Fund.objects.create(name="ESF+", slug="esf-plus")
    _add_tagged(library, mechelen, theme, fund, range(1, 6))
    params = {"theme": "work", "country": "BE"}
    client.get(library.url, params)
    # Wagtail's routing and the menu (7) and nothing of the library itself.
    with django_assert_max_num_queries(7):
        assert client.get(library.url, params).status_code == 200


def test_pages_of_one_query_share_the_cached_counts(client, library, catalogue):
    client.get(library.url, {"theme": "housing"})
    with CaptureQueriesContext(connection) as captured:
        client.get(library.url, {"theme": "housing", "page": "2"})
    facet_queries = [q for q in captured.captured_queries if "COUNT(" in q["sql"]]
    assert facet_queries == []


def test_a_draft_saved_again_leaves_the_cache_alone(library, catalogue):
    before = library_version()
    catalogue["draft"].save_revision()
    assert library_version() == before


@pytest.mark.django_db
def test_a_list_of_ids_longer_than_the_databases_parameter_cap_is_one_parameter(library, mechelen):
    practice = add_practice(library, mechelen)
    ids = [practice.pk, *range(10**6, 10**6 + 70_000)]
    assert list(PracticePage.objects.filter(pk_in_list(ids)).values_list("pk", flat=True)) == [
        practice.pk
    ]
