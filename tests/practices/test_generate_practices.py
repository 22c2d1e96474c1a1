"""`manage.py generate_practices N`: bulk-made practices that behave like published ones."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page, Revision
from wagtail.search.models import IndexEntry

from practices.demo import load_demo_taxonomy
from practices.models import PracticeFund, PracticePage
from tests.factories import add_practice

pytestmark = pytest.mark.django_db


def generate(*args: str) -> str:
    out = StringIO()
    call_command("generate_practices", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def taxonomy():
    load_demo_taxonomy()


@pytest.fixture
def library_with_one(library, mechelen, taxonomy):
    """The library with a practice an editor made, which the generator must leave alone."""
    add_practice(library, mechelen, title="Made by hand", slug="made-by-hand")
    return library


def generated():
    return PracticePage.objects.filter(slug__startswith="generated-")


def test_generated_practices_are_published_pages_in_the_tree(library_with_one, client):
    library = library_with_one
    output = generate("25", "--seed", "3")

    library.refresh_from_db()
    assert "Created 25 published practices" in output
    assert library.get_children().count() == 26
    assert library.numchild == 26
    assert generated().count() == 25
    assert Page.find_problems() == ([], [], [], [], [])
    for practice in generated().select_related("city"):
        assert practice.live and not practice.has_unpublished_changes
        assert practice.first_published_at and practice.last_published_at
        assert practice.url_path == f"{library.url_path}{practice.slug}/"
        assert practice.get_parent().pk == library.pk
        assert practice.live_revision_id == practice.latest_revision_id
        assert practice.year == practice.start_date.year
        assert 2008 <= practice.year <= 2026
        assert 1 <= practice.themes.count() <= 3
        assert 1 <= practice.governance_levels.count() <= 2
        assert 1 <= practice.target_groups.count() <= 3
        assert 0 <= practice.practice_funds.count() <= 2
    practice = generated().first()
    assert client.get(practice.url).status_code == 200
    # The revision restores the practice as it is, relations included, as editing needs.
    restored = practice.live_revision.as_object()
    assert restored.title == practice.title
    assert set(restored.themes.all()) == set(practice.themes.all())


def test_generated_practices_are_found_by_search(library_with_one):
    generate("25")

    for practice in generated()[:5]:
        word = max(practice.title.split(), key=len)
        found = {page.pk for page in PracticePage.objects.live().search(word)}
        assert practice.pk in found, word


def test_the_same_seed_writes_the_same_text(library_with_one):
    generate("5", "--seed", "11")
    first = list(generated().order_by("path").values_list("title", "summary", "approach"))
    generate("--clear", "5", "--seed", "11")
    again = list(generated().order_by("path").values_list("title", "summary", "approach"))

    assert first == again


def test_a_second_run_adds_below_the_first(library_with_one):
    generate("10")
    generate("10", "--seed", "99")

    library_with_one.refresh_from_db()
    assert generated().count() == 20
    assert library_with_one.numchild == 21
    assert Page.find_problems() == ([], [], [], [], [])


def test_clear_removes_generated_practices_and_what_hangs_from_them(library_with_one, client):
    index_entries, revisions = IndexEntry.objects.count(), Revision.objects.count()
    generate("25")
    assert IndexEntry.objects.count() == index_entries + 25

    output = generate("--clear")

    library_with_one.refresh_from_db()
    assert "Deleted 25 generated practices" in output
    assert not generated().exists()
    assert library_with_one.numchild == 1
    assert PracticePage.objects.get().slug == "made-by-hand"
    assert IndexEntry.objects.count() == index_entries
    assert Revision.objects.count() == revisions
    assert not PracticeFund.objects.exists()
    assert Page.find_problems() == ([], [], [], [], [])
    assert client.get("/practices/made-by-hand/").status_code == 200


def test_without_a_library_it_says_to_load_the_demo(home_page, taxonomy):
    with pytest.raises(CommandError, match="load_demo"):
        generate("5")


def test_without_a_taxonomy_it_says_to_load_the_demo(library):
    with pytest.raises(CommandError, match="load_demo"):
        generate("5")


def test_a_number_or_clear_is_needed(library, taxonomy):
    with pytest.raises(CommandError, match="how many"):
        generate()
