"""What starts a new library version, so that cached lists never outlive a change.

One test per receiver in `practices.signals`, each through the real path that sends the signal
(Wagtail's move, publish and privacy settings, the search index task, a taxonomy save), and
each failing if its receiver is disconnected.
"""

import pytest
from django.http import QueryDict
from modelsearch.tasks import insert_or_update_object_task
from wagtail.models import Page, PageViewRestriction

from practices.library import LibraryQuery, library_version, search_library
from practices.models import (
    Action,
    City,
    Country,
    Fund,
    GovernanceLevel,
    Partnership,
    PracticeIndexPage,
    TargetGroup,
    Theme,
)
from tests.factories import add_practice

pytestmark = pytest.mark.django_db


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def tasks_wait_for_the_worker(settings):
    """Tasks are queued and not run, as in production until the worker takes them.

    The search index task would otherwise start a new version at once and hide whether the
    receiver under test does.
    """
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def listed(client, library, **params) -> list[str]:
    """The titles the library page shows, cached or not, as a visitor gets them."""
    return [
        practice.title for practice in client.get(library.url, params).context["library"].practices
    ]


def test_a_practice_moved_to_another_library_leaves_the_first_at_once(client, library, mechelen):
    practice = add_practice(library, mechelen, title="Moving practice")
    add_practice(library, mechelen, number=2, title="Staying practice")
    # max_count keeps editors to one library; a script (or a later second site) may add one.
    other = library.get_parent().add_child(
        instance=PracticeIndexPage(title="Other library", slug="other-library")
    )
    assert listed(client, library) == ["Staying practice", "Moving practice"]  # now cached

    Page.objects.get(pk=practice.pk).move(other, pos="last-child")

    assert listed(client, library) == ["Staying practice"]
    assert listed(client, other) == ["Moving practice"]


def test_a_library_published_under_a_new_slug_links_its_practices_there(client, library, mechelen):
    practice = add_practice(library, mechelen, slug="job-coaches")
    assert 'href="/practices/job-coaches/"' in client.get(library.url).content.decode()

    library.slug = "library"
    library.save_revision().publish()

    html = client.get("/library/").content.decode()
    assert 'href="/library/job-coaches/"' in html
    assert 'href="/practices/job-coaches/"' not in html
    assert client.get("/library/job-coaches/").context["page"].pk == practice.pk


def test_a_live_practice_saved_without_a_revision_shows_the_change_at_once(
    client, library, mechelen, tasks_wait_for_the_worker
):
    practice = add_practice(library, mechelen, title="Old title")
    assert "Old title" in client.get(library.url).content.decode()  # the list's HTML is cached

    # What a data fix in a shell or a migration does: save the live row directly.
    practice.title = "New title"
    practice.save()

    html = client.get(library.url).content.decode()
    assert "New title" in html and "Old title" not in html


def test_a_practice_made_private_leaves_the_library_and_comes_back(client, library, mechelen):
    practice = add_practice(library, mechelen, title="Private for now")
    add_practice(library, mechelen, number=2, title="Public")
    assert listed(client, library) == ["Public", "Private for now"]

    restriction = PageViewRestriction.objects.create(
        page=practice, restriction_type=PageViewRestriction.PASSWORD, password="only-partners"
    )
    assert listed(client, library) == ["Public"]

    restriction.delete()
    assert listed(client, library) == ["Public", "Private for now"]


def test_a_search_cached_before_the_worker_indexed_a_practice_finds_it_afterwards(
    settings, library, mechelen, tasks_wait_for_the_worker
):
    def found() -> int:
        return search_library(library, LibraryQuery.from_querydict(QueryDict("q=ferry"))).total

    practice = add_practice(library, mechelen, title="Ferry school", summary="Lessons on a ferry.")
    assert found() == 0  # published, but not yet in the search index: now cached

    # The worker runs the index task that the publication queued.
    settings.TASKS = IMMEDIATE_TASKS
    insert_or_update_object_task.enqueue("practices", "practicepage", practice.pk)

    assert found() == 1


def test_indexing_a_draft_leaves_the_cache_alone(library, mechelen):
    draft = add_practice(library, mechelen, live=False, title="Ferry school draft")
    before = library_version()
    insert_or_update_object_task.enqueue("practices", "practicepage", draft.pk)
    assert library_version() == before


def _new_term(model):
    """A new, unsaved term of `model`; what it belongs to is saved already."""
    if model is Country:
        return Country(code="MT", name="Malta")
    if model is City:
        malta = Country.objects.create(code="MT", name="Malta")
        return City(name="Valletta", slug="valletta", country=malta)
    if model is Action:
        poverty = Partnership.objects.create(name="Urban Poverty", slug="urban-poverty")
        return Action(partnership=poverty, number=1, title="Child poverty", slug="child-poverty")
    return model(name=f"New {model.__name__}", slug=f"new-{model.__name__.lower()}")


@pytest.mark.parametrize(
    "model", [Theme, Fund, GovernanceLevel, TargetGroup, Country, City, Partnership, Action]
)
def test_every_taxonomy_term_saved_or_deleted_starts_a_new_version(library, model):
    # The facets, their labels and the search vocabulary come from every taxonomy model.
    term = _new_term(model)
    before = library_version()
    term.save()
    after_save = library_version()
    assert after_save != before

    term.delete()

    assert library_version() != after_save
