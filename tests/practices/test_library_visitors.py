"""The library as a visitor and a crawler meet it: facets, the sort box, an empty search, and
what tells search engines which address to index."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from practices.models import City, Country, Theme
from tests.factories import add_practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(library, mechelen):
    """Ten themes and ten cities, each with one practice: long facets."""
    themes = [Theme.objects.create(name=f"Theme {n:02}", slug=f"theme-{n:02}") for n in range(10)]
    belgium = Country.objects.get(code="BE")
    cities = [mechelen] + [
        City.objects.create(name=f"Town {n:02}", slug=f"town-{n:02}", country=belgium)
        for n in range(1, 10)
    ]
    for number, (theme, city) in enumerate(zip(themes, cities, strict=True), start=1):
        add_practice(library, city, number, themes=[theme], title=f"Practice on housing {number}")
    return {"themes": themes, "cities": cities}


def _facet(html: str, legend: str) -> str:
    start = html.index(f'<legend class="facet__legend">{legend}</legend>')
    return html[start : html.index("</fieldset>", start)]


def _filters_form(html: str) -> str:
    start = html.index('<form class="library__filters')
    return html[start : html.index("</form>", start)]


def test_each_value_is_one_checkbox_in_its_label_and_no_link(client, library, shelf):
    html = client.get(library.url).content.decode()
    form = _filters_form(html)
    boxes = re.findall(r'<input type="checkbox" name="theme" value="([^"]+)"', form)
    labels = re.findall(r'<label class="facet__option"><input type="checkbox" name="theme"', form)
    assert len(boxes) == len(labels) == 10
    # One tab stop per value: no second, focusable link beside the box.
    assert not re.search(r'<a [^>]*href="\?[^"]*theme=', form)


def test_a_long_facet_shows_the_rest_behind_show_more_not_in_a_scroll_box(client, library, shelf):
    html = client.get(library.url).content.decode()
    theme = _facet(html, "Theme")
    shown, more = theme.split('<details class="facet__more"')
    assert len(re.findall(r'type="checkbox"', shown)) == 6
    assert len(re.findall(r'type="checkbox"', more)) == 4
    assert re.search(r'<summary><span class="facet__more-closed">Show 4 more', more)
    assert '<span class="facet__more-open">Show fewer' in more
    assert more.startswith(">")  # closed: nothing in it is ticked
    assert "facet__options--long" not in html


def test_a_ticked_value_among_the_rest_keeps_them_open(client, library, shelf):
    html = client.get(library.url, {"theme": "theme-09"}).content.decode()
    theme = _facet(html, "Theme")
    assert '<details class="facet__more" open>' in theme
    assert 'value="theme-09" checked' in theme.split("<details")[1]


def test_the_apply_bar_is_sticky_only_with_the_script_that_keeps_focus_clear_of_it():
    css = Path(finders.find("css/site.css")).read_text(encoding="utf-8")
    options = re.findall(r"\.facet__options[^{]*\{([^}]*)\}", css)
    assert options and not any("overflow" in rule for rule in options)
    # The bar sticks only where site.js keeps focused values clear of it.
    plain = re.search(r"\n\.library-facets__actions\s*\{([^}]*)\}", css)
    assert plain and "sticky" not in plain.group(1)
    sticky = re.search(r"\.has-sticky-actions \.library-facets__actions\s*\{([^}]*)\}", css)
    assert sticky and "position: sticky" in sticky.group(1)
    script = Path(finders.find("js/site.js")).read_text(encoding="utf-8")
    assert 'classList.add("has-sticky-actions")' in script


# --- The sort box --------------------------------------------------------------------------


def _sort_options(html: str) -> list[tuple[str, str, bool]]:
    select = html[html.index('<select id="library-sort"') : html.index("</select>")]
    return [
        (value, label, bool(selected))
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]+)</option>', select
        )
    ]


def test_the_sort_box_sends_nothing_for_the_default_order(client, library, shelf):
    # Without words the default is newest; it sends "" so that a search then gets best match.
    assert _sort_options(client.get(library.url).content.decode()) == [
        ("", "Newest first", True),
        ("title", "Title (A to Z)", False),
        ("reused", "Most reused", False),
    ]
    assert _sort_options(client.get(library.url, {"q": "housing"}).content.decode()) == [
        ("newest", "Newest first", False),
        ("title", "Title (A to Z)", False),
        ("reused", "Most reused", False),
        ("", "Best match", True),
    ]
    chosen = client.get(library.url, {"q": "housing", "sort": "newest"}).content.decode()
    assert ("newest", "Newest first", True) in _sort_options(chosen)


def test_a_search_sent_with_the_default_order_is_ranked_by_best_match(client, library, shelf):
    response = client.get(library.url, {"q": "housing", "sort": ""})
    assert response.context["library"].query.effective_sort == "relevance"


# --- A search that finds nothing -----------------------------------------------------------


def test_an_empty_search_with_filters_offers_the_same_words_without_them(client, library, shelf):
    html = client.get(library.url, {"q": "housing", "theme": "theme-01", "city": "mechelen"})
    html = html.content.decode()
    assert "0 practices match" in html
    assert "No practice matches “housing” with these filters" in html
    link = re.search(r'<a rel="nofollow" href="([^"]+)">Search all practices for “housing”', html)
    assert link is not None and link.group(1) == "?q=housing"
    assert client.get(library.url + link.group(1)).context["library"].total == 10


def test_an_empty_search_without_filters_suggests_other_words(client, library, shelf):
    html = client.get(library.url, {"q": "zeppelin"}).content.decode()
    assert "No practice matches “zeppelin”. Try other or fewer words." in html
    assert "Search all practices for" not in html


# --- Crawlers ------------------------------------------------------------------------------

ROBOTS = '<meta name="robots" content="noindex, follow">'


@pytest.mark.parametrize(
    "query",
    [
        {"theme": "theme-01"},
        {"q": "housing"},
        {"sort": "title"},
        {"page": "2"},
        {"city": "mechelen"},
    ],
)
def test_every_filtered_address_is_noindex_with_the_plain_library_as_canonical(
    client, library, shelf, query
):
    html = client.get(library.url, query).content.decode()
    assert ROBOTS in html
    assert '<link rel="canonical" href="http://testserver/practices/">' in html


def test_the_plain_library_is_indexed_and_its_own_canonical(client, library, shelf):
    html = client.get(library.url).content.decode()
    assert ROBOTS not in html
    assert '<link rel="canonical" href="http://testserver/practices/">' in html


def test_the_canonical_names_the_host_the_site_is_served_on(client, library, shelf, settings):
    settings.ALLOWED_HOSTS = ["urbanexchange.example"]
    html = client.get(library.url, {"theme": "theme-01"}, HTTP_HOST="urbanexchange.example")
    assert '<link rel="canonical" href="http://urbanexchange.example/practices/">' in (
        html.content.decode()
    )


def test_the_map_of_a_filter_points_to_the_plain_map(client, library, shelf):
    html = client.get(library.url + "map/", {"theme": "theme-01"}).content.decode()
    assert ROBOTS in html
    assert '<link rel="canonical" href="http://testserver/practices/map/">' in html


def test_links_that_add_or_remove_filters_are_nofollow(client, library, shelf):
    html = client.get(library.url, {"theme": "theme-01", "q": "housing"}).content.decode()
    results = html[html.index('id="library-results"') :]
    filter_links = re.findall(r'<a ([^>]*)href="(\?[^"]*)"', results)
    assert filter_links, "the active filters have remove links"
    for attributes, href in filter_links:
        if "page=" in href:
            continue  # page links: rel="next"/"prev"
        assert 'rel="nofollow"' in attributes, href
    practice_links = re.findall(r'<h3 class="card__title"><a ([^>]*)href=', results)
    assert practice_links and all("nofollow" not in attrs for attrs in practice_links)


def test_the_map_links_to_cities_are_nofollow(client, library, shelf):
    html = client.get(library.url + "map/").content.decode()
    city_links = re.findall(r'<a ([^>]*)href="/practices/\?city=', html)
    assert city_links
    assert all('rel="nofollow"' in attributes for attributes in city_links)
