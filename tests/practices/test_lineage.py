"""Transfer lineage: a practice adapted from another, in the library or outside it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practices import services
from practices.library import LibraryQuery, bump_library_version, search_library
from practices.models import PracticePage
from tests.factories import add_practice, draft_practice, make_city, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def brno(db):
    return make_city("Brno", "CZ", "Czechia")


@pytest.fixture
def hospitalet(db):
    city = make_city("L'Hospitalet", "ES", "Spain")
    city.slug = "hospitalet"
    city.save()
    return city


def reuse_of(library, city, original, number, **fields):
    return add_practice(library, city, number=number, adapted_from=original, **fields)


def errors_of(practice) -> dict:
    with pytest.raises(ValidationError) as raised:
        practice.full_clean()
    return raised.value.message_dict


# --- The rules ------------------------------------------------------------------------------


def test_a_practice_adapted_from_a_practice_of_the_library(library, brno, hospitalet):
    emmca = add_practice(library, hospitalet, number=1, title="EMMCA")
    onstage = reuse_of(
        library,
        brno,
        emmca,
        2,
        title="OnStage",
        transfer_taken_over="Group music lessons in primary schools.",
    )
    onstage.full_clean()
    assert onstage.get_original() == emmca
    assert [practice.pk for practice in emmca.get_reused_by()] == [onstage.pk]


def test_a_practice_adapted_from_a_page_outside_the_library(library, brno):
    practice = add_practice(
        library,
        brno,
        number=1,
        original_url="https://urbact.eu/good-practices/emmca",
        original_title="EMMCA",
        original_city="L'Hospitalet",
        transfer_help="Study visits.",
    )
    practice.full_clean()
    assert practice.get_original() is None and practice.has_original


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://urbact.eu/file", "data:text/html,hi", "urbact"]
)
def test_an_outside_original_is_a_web_address_only(library, brno, url):
    practice = add_practice(library, brno, number=1)
    practice.original_url, practice.original_title = url, "EMMCA"
    assert "original_url" in errors_of(practice)


def test_an_outside_original_needs_its_name(library, brno):
    practice = add_practice(library, brno, number=1)
    practice.original_url = "https://urbact.eu/x"
    assert "original_title" in errors_of(practice)


def test_not_both_an_original_in_the_library_and_one_outside_it(library, brno, hospitalet):
    emmca = add_practice(library, hospitalet, number=1)
    practice = add_practice(library, brno, number=2)
    practice.adapted_from = emmca
    practice.original_url, practice.original_title = "https://urbact.eu/x", "EMMCA"
    assert "not both" in errors_of(practice)["adapted_from"][0]


def test_the_texts_need_an_original(library, brno):
    practice = add_practice(library, brno, number=1)
    practice.transfer_changed = "Smaller groups."
    assert "adapted_from" in errors_of(practice)


def test_an_original_in_the_library_must_be_published(library, brno, hospitalet):
    draft = add_practice(library, hospitalet, number=1, live=False)
    practice = add_practice(library, brno, number=2)
    practice.adapted_from = draft
    assert "published" in errors_of(practice)["adapted_from"][0]


def test_a_practice_is_not_its_own_original(library, brno):
    practice = add_practice(library, brno, number=1)
    practice.adapted_from = practice
    assert "itself" in errors_of(practice)["adapted_from"][0]


@pytest.mark.parametrize("depth", [1, 2, 5])
def test_cycles_are_refused_at_any_depth(library, brno, depth):
    first = add_practice(library, brno, number=1)
    chain = [first]
    for number in range(2, depth + 2):
        chain.append(reuse_of(library, brno, chain[-1], number))
    first.adapted_from = chain[-1]
    assert "own original" in errors_of(first)["adapted_from"][0]


def test_a_cycle_is_refused_in_wagtails_editor_next_to_the_field(
    admin_client, library, brno, hospitalet
):
    from tests.factories import editor_form, editor_url

    emmca = add_practice(library, hospitalet, number=1, title="EMMCA")
    reuse_of(library, brno, emmca, 2, title="OnStage")
    onstage = PracticePage.objects.get(title="OnStage")
    data = editor_form(admin_client, emmca)
    data["adapted_from"] = str(onstage.pk)
    response = admin_client.post(editor_url(emmca), data)
    assert response.status_code == 200
    assert "a practice cannot be the original of its own original" in response.content.decode()
    emmca.refresh_from_db()
    assert emmca.adapted_from_id is None


# --- The pages ------------------------------------------------------------------------------


def test_both_pages_show_the_link(client, library, brno, hospitalet):
    emmca = add_practice(library, hospitalet, number=1, title="EMMCA")
    reuse_of(
        library,
        brno,
        emmca,
        2,
        title="OnStage",
        transfer_taken_over="Lessons in groups.",
        transfer_changed="Fewer hours.",
        transfer_help="Coaching.",
    )
    reuse_of(library, brno, emmca, 3, title="Hidden draft", live=False)
    onstage = PracticePage.objects.get(title="OnStage")
    html = client.get(onstage.url).content.decode()
    assert "Adapted from" in html and f'href="{emmca.url}"' in html
    assert "Lessons in groups." in html and "Fewer hours." in html and "Coaching." in html
    original = client.get(emmca.url).content.decode()
    assert "Reused by" in original and f'href="{onstage.url}"' in original and "Brno" in original
    assert "Hidden draft" not in original


def test_the_page_shows_an_outside_original(client, library, brno):
    practice = add_practice(
        library,
        brno,
        number=1,
        original_url="https://urbact.eu/emmca",
        original_title="EMMCA music school",
        original_city="L'Hospitalet",
    )
    html = client.get(practice.url).content.decode()
    assert 'href="https://urbact.eu/emmca"' in html and "EMMCA music school" in html


def test_the_original_page_costs_the_same_queries_with_more_reuses(client, library, brno):
    emmca = add_practice(library, brno, number=1)
    reuse_of(library, brno, emmca, 2)

    def cost():
        bump_library_version()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(emmca.url).status_code == 200
        return len(captured)

    client.get(emmca.url)
    few = cost()
    for number in range(3, 13):
        reuse_of(library, make_city(f"City {number}"), emmca, number)
    assert cost() == few


# --- The library ----------------------------------------------------------------------------


def ask(library, querystring: str):
    from django.http import QueryDict

    return search_library(library, LibraryQuery.from_querydict(QueryDict(querystring)))


def test_the_reused_facet_and_the_most_reused_sort(library, brno, hospitalet):
    once = add_practice(library, hospitalet, number=1, title="Once")
    twice = add_practice(library, hospitalet, number=2, title="Twice")
    never = add_practice(library, hospitalet, number=3, title="Never")
    reuse_of(library, brno, once, 4, title="Reuse A")
    reuse_of(library, brno, twice, 5, title="Reuse B")
    reuse_of(library, brno, twice, 6, title="Reuse C")
    reuse_of(library, brno, never, 7, title="Draft reuse", live=False)

    result = ask(library, "reused=yes")
    assert [practice.title for practice in result.practices] == ["Twice", "Once"]
    group = next(group for group in result.facets if group.key == "reused")
    assert [(value.label, value.count) for value in group.values] == [("Reused in another city", 2)]
    assert [f.label for f in result.active_filters] == ["Reused in another city"]

    ordered = [practice.title for practice in ask(library, "sort=reused").practices]
    assert ordered[:2] == ["Twice", "Once"]
    assert set(ordered) == {"Twice", "Once", "Never", "Reuse A", "Reuse B", "Reuse C"}


def test_publishing_a_reuse_counts_for_its_original_at_once(library, brno, hospitalet):
    original = add_practice(library, hospitalet, number=1, title="Original")
    assert ask(library, "reused=yes").total == 0  # the index is built
    reuse = reuse_of(library, brno, original, 2, live=False)
    reuse.get_latest_revision().publish()
    assert [p.title for p in ask(library, "reused=yes").practices] == ["Original"]
    PracticePage.objects.get(pk=reuse.pk).unpublish()
    assert ask(library, "reused=yes").total == 0


def test_a_malformed_reused_value_is_ignored(client, library, brno):
    add_practice(library, brno, number=1)
    response = client.get(library.url, {"reused": ["no", "<b>", "yes" * 100], "sort": "nope"})
    assert response.status_code == 200


def test_a_cache_miss_costs_no_more_queries_with_lineage(client, library, brno):
    """Building the index reads the originals with the practices: no query of its own."""
    from practices.library import index as index_module

    plain = add_practice(library, brno, number=1)
    reuse_of(library, brno, plain, 2)

    def build_cost():
        index_module._indexes.clear()
        bump_library_version()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(library.url, {"reused": "yes", "sort": "reused"}).status_code == 200
        return len(captured)

    client.get(library.url)
    before = build_cost()
    for number in range(3, 13):
        original = add_practice(library, brno, number=number * 10)
        reuse_of(library, brno, original, number)
    assert build_cost() == before


# --- The member's form and the review screen ----------------------------------------------


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def story_data(**fields):
    data = {"problem": "Empty factory halls.", "approach": "A shared kitchen."}
    data.update(fields)
    return data


def test_the_member_finds_the_original_and_links_it(
    member_client, member, library, lille, terms, hospitalet
):
    emmca = add_practice(library, hospitalet, number=1, title="EMMCA music school")
    add_practice(library, hospitalet, number=2, title="Other practice")
    practice = draft_practice(member, lille, terms)
    url = reverse("practices:edit", args=[practice.pk, "story"])

    response = member_client.post(
        url, story_data(original_search="hospitalet music", after_saving="find")
    )
    assert response.status_code == 302 and "find=hospitalet+music" in response["Location"]
    html = member_client.get(response["Location"]).content.decode()
    assert "EMMCA music school (L&#x27;Hospitalet)" in html and 'type="radio"' in html
    assert "Other practice" not in html

    response = member_client.post(
        url,
        story_data(
            adapted_from=emmca.pk,
            transfer_taken_over="Group lessons.",
            transfer_changed="In primary schools.",
            transfer_help="Visits.",
        ),
    )
    assert response.status_code == 302
    draft = services.latest_draft(practice)
    assert draft.adapted_from_id == emmca.pk and draft.transfer_help == "Visits."
    # Saved again without a search, the chosen original is still offered and checked.
    html = member_client.get(url).content.decode()
    assert "EMMCA music school" in html


def test_the_form_refuses_a_draft_original_and_both_kinds(
    member_client, member, library, lille, terms, hospitalet
):
    hidden = add_practice(library, hospitalet, number=1, title="Unpublished", live=False)
    emmca = add_practice(library, hospitalet, number=2, title="EMMCA")
    practice = draft_practice(member, lille, terms)
    url = reverse("practices:edit", args=[practice.pk, "story"])
    response = member_client.post(url, story_data(adapted_from=hidden.pk))
    assert response.status_code == 400
    response = member_client.post(
        url,
        story_data(
            adapted_from=emmca.pk, original_url="https://urbact.eu/x", original_title="EMMCA"
        ),
    )
    assert response.status_code == 400
    assert "not both" in response.content.decode()
    response = member_client.post(url, story_data(original_url="javascript:alert(1)"))
    assert response.status_code == 400
    assert services.latest_draft(practice).adapted_from_id is None


def test_the_form_takes_an_outside_original(member_client, member, library, lille, terms):
    practice = draft_practice(member, lille, terms)
    url = reverse("practices:edit", args=[practice.pk, "story"])
    response = member_client.post(
        url,
        story_data(
            original_url="https://urbact.eu/good-practices/emmca",
            original_title="EMMCA",
            original_city="L'Hospitalet",
        ),
    )
    assert response.status_code == 302
    assert services.latest_draft(practice).original_url.endswith("/emmca")


def test_moderators_see_the_original_in_the_review_screen(
    member, moderator, library, lille, terms, hospitalet
):
    emmca = add_practice(library, hospitalet, number=1, title="EMMCA")
    practice = submitted(
        member, lille, terms, adapted_from=emmca, transfer_changed="Smaller groups."
    )
    client = Client()
    client.force_login(moderator)
    html = client.get(reverse("practices_review_submission", args=[practice.pk])).content.decode()
    assert "Adapted from" in html and "EMMCA (L&#x27;Hospitalet)" in html
    assert "Smaller groups." in html


def test_the_api_shows_a_published_original_only(client, library, brno, hospitalet):
    emmca = add_practice(library, hospitalet, number=1, title="EMMCA")
    onstage = reuse_of(library, brno, emmca, 2, title="OnStage", transfer_help="Visits.")
    detail = client.get(f"/api/v2/pages/{onstage.pk}/").json()
    assert detail["adapted_from"] == {"id": emmca.pk, "title": "EMMCA"}
    assert detail["transfer_help"] == "Visits."
    emmca.unpublish()
    assert client.get(f"/api/v2/pages/{onstage.pk}/").json()["adapted_from"] is None


# --- The demo -------------------------------------------------------------------------------


@pytest.fixture
def demo_library():
    from home.demo import load_demo_pages
    from practices.demo import load_demo_taxonomy
    from practices.demo_practices import load_demo_practices

    home = load_demo_pages()
    load_demo_taxonomy()
    return load_demo_practices(home)


def test_the_demo_onstage_is_adapted_from_emmca(demo_library, client):
    onstage = PracticePage.objects.get(slug="onstage-brno")
    emmca = PracticePage.objects.get(slug="emmca-lhospitalet")
    assert onstage.adapted_from_id == emmca.pk
    assert onstage.live and not onstage.has_unpublished_changes
    assert "EMMCA" in onstage.transfer_taken_over and "OnStage" in onstage.transfer_help
    assert "Reused by" in client.get(emmca.url).content.decode()
    assert "Adapted from" in client.get(onstage.url).content.decode()
    listing = client.get("/practices/", {"reused": "yes"}).content.decode()
    assert "EMMCA: L&#x27;Hospitalet" in listing and "OnStage: group" not in listing


def test_loading_the_demo_again_keeps_the_lineage_and_writes_nothing(demo_library):
    from practices.demo_practices import load_demo_practices

    rows = list(PracticePage.objects.order_by("pk").values())
    revisions = list(PracticePage.objects.order_by("pk").values_list("latest_revision_id"))
    load_demo_practices(demo_library.get_parent())
    assert list(PracticePage.objects.order_by("pk").values()) == rows
    assert list(PracticePage.objects.order_by("pk").values_list("latest_revision_id")) == revisions


def test_an_editor_who_removed_the_demo_link_keeps_it_removed(demo_library):
    from practices.demo_practices import load_demo_practices

    onstage = PracticePage.objects.get(slug="onstage-brno")
    onstage.adapted_from = None
    onstage.transfer_taken_over = onstage.transfer_changed = onstage.transfer_help = ""
    onstage.save_revision().publish()
    load_demo_practices(demo_library.get_parent())
    assert PracticePage.objects.get(slug="onstage-brno").adapted_from_id is None


# --- The transfer map -------------------------------------------------------------------------


def test_the_transfer_map_draws_an_arrow_with_its_table(client, library, brno, hospitalet):
    brno.latitude, brno.longitude = 49.195, 16.608
    brno.save()
    hospitalet.latitude, hospitalet.longitude = 41.36, 2.1
    hospitalet.save()
    emmca = add_practice(library, hospitalet, number=1, title="EMMCA")
    reuse_of(library, brno, emmca, 2, title="OnStage")
    bump_library_version()
    url = library.url + "transfers/"
    html = client.get(url).content.decode()
    assert html.count('class="transfer-map__arrow"') == 1
    assert "From L&#x27;Hospitalet to Brno: 1 practice" in html
    assert f'href="{emmca.url}"' in html and "OnStage" in html
    # Filterable like the library: a filter that leaves OnStage out leaves no transfer.
    filtered = client.get(url, {"city": "hospitalet"}).content.decode()
    assert 'class="transfer-map__arrow"' not in filtered
    assert "No matching practice says it was adapted" in filtered


def test_the_transfer_map_costs_the_same_queries_with_more_transfers(client, library, brno):
    first = add_practice(library, brno, number=1)
    reuse_of(library, make_city("Gent"), first, 2)
    url = library.url + "transfers/"

    def cost():
        bump_library_version()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    client.get(url)
    few = cost()
    for number in range(3, 13):
        reuse_of(library, make_city(f"City {number}"), first, number)
    assert cost() == few


def test_exports_carry_the_lineage(client, library, brno, hospitalet):
    import csv
    import io
    import json

    emmca = add_practice(library, hospitalet, number=1, title="EMMCA music school")
    reuse_of(library, brno, emmca, 2, title="OnStage Brno", transfer_taken_over="Group lessons.")
    add_practice(
        library,
        brno,
        number=3,
        title="From outside",
        original_url="https://urbact.eu/good-practices/example",
        original_title="An URBACT good practice",
        original_city="Porto",
    )
    data = json.loads(b"".join(client.get(library.url + "export/json/").streaming_content))
    by_title = {record["title"]: record for record in data}
    onstage = by_title["OnStage Brno"]
    assert onstage["adapted_from_title"] == "EMMCA music school"
    assert onstage["adapted_from_city"] == hospitalet.name
    assert onstage["adapted_from_url"].endswith(emmca.url)
    assert onstage["transfer_taken_over"] == "Group lessons."
    outside = by_title["From outside"]
    assert outside["adapted_from_url"] == "https://urbact.eu/good-practices/example"
    assert outside["adapted_from_city"] == "Porto"
    assert by_title["EMMCA music school"]["adapted_from_title"] is None
    text = b"".join(client.get(library.url + "export/csv/").streaming_content).decode()
    rows = {row["title"]: row for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}
    assert rows["OnStage Brno"]["adapted_from_title"] == "EMMCA music school"
    # A draft original is not public: it is not named.
    emmca.unpublish()
    data = json.loads(b"".join(client.get(library.url + "export/json/").streaming_content))
    assert {r["title"]: r for r in data}["OnStage Brno"]["adapted_from_title"] is None


def test_the_library_search_finds_the_words_of_a_transfer(library, brno, hospitalet):
    emmca = add_practice(library, hospitalet, number=1, title="EMMCA music school")
    reuse_of(
        library, brno, emmca, 2, title="OnStage Brno", transfer_changed="Glockenspiel ensembles."
    )
    found = ask(library, "q=glockenspiel")
    assert [practice.title for practice in found.practices] == ["OnStage Brno"]
