"""The Academy's public pages: /academy/ and an edition's page. They show the call, the criteria
and the experts, and never a dilemma that is not selected and published."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from academy import services
from academy.models import AcademyEditionPage, Decision, ProgrammeSession
from practices.models import Theme
from tests.factories import (
    add_edition,
    add_practice,
    make_city,
    make_library,
    make_member,
)
from tests.factories import submitted_dilemma as submitted

pytestmark = pytest.mark.django_db

SELECTED = "Rumours about newcomers"
DECLINED = "Which schools take the newcomers"


def _close_call(edition):
    AcademyEditionPage.objects.filter(pk=edition.pk).update(
        call_closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    return AcademyEditionPage.objects.get(pk=edition.pk)


def _session(edition, title, *, day=0, dilemmas=(), experts=(), practices=(), starts=(9, 30)):
    session = ProgrammeSession.objects.create(
        edition=edition,
        day=edition.start_date + datetime.timedelta(days=day),
        starts=datetime.time(*starts),
        title=title,
    )
    # A session is a child of the page: its many-to-many fields wait for a commit, which
    # publishing the page does (modelcluster); here, directly.
    for name, items in (("dilemmas", dilemmas), ("experts", experts), ("practices", practices)):
        getattr(session, name).set(list(items))
        getattr(session, name).commit()
    return session


@pytest.fixture
def decided(edition, city_member, editor):
    """Two submitted dilemmas of the edition: one to be selected, one declined (undecided
    until `publish` is called)."""
    other = make_member("anne@gent.test", city="Gent", organisation="City of Gent")
    chosen = submitted(edition, city_member, title=SELECTED, city="Mechelen")
    declined = submitted(edition, other, title=DECLINED, city="Gent")
    services.decide(chosen, Decision.SELECTED, actor=editor)
    services.decide(declined, Decision.DECLINED, actor=editor)
    return chosen, declined


# --- The index ---------------------------------------------------------------------------------


def test_the_index_lists_open_calls_first_then_upcoming_then_past(client, academy_index):
    now = timezone.now()
    today = timezone.localdate()
    open_one = add_edition(academy_index, 1, title="Open edition")
    soon = add_edition(
        academy_index,
        2,
        title="Later edition",
        call_opens_at=now + datetime.timedelta(days=30),
        call_closes_at=now + datetime.timedelta(days=40),
    )
    add_edition(
        academy_index,
        3,
        title="Old edition",
        start_date=today - datetime.timedelta(days=400),
        end_date=today - datetime.timedelta(days=398),
        call_opens_at=now - datetime.timedelta(days=500),
        call_closes_at=now - datetime.timedelta(days=450),
    )

    response = client.get(academy_index.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Open edition") < html.index("Later edition") < html.index("Old edition")
    assert reverse("academy:start", args=[open_one.pk]) in html
    assert reverse("academy:start", args=[soon.pk]) not in html
    assert "Submit a dilemma" in html and "Call open until" in html
    assert "The call for dilemmas opens on" in html


def test_an_empty_index_says_so(client, academy_index):
    assert "No edition of the Urban Academy" in client.get(academy_index.url).content.decode()


# --- The edition page --------------------------------------------------------------------------


def test_the_edition_page_shows_the_call_criteria_and_experts(client, edition):
    response = client.get(edition.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Countering disinformation about migrants" in html
    assert "The call for dilemmas" in html and "Open" in html
    assert "Relevance for other cities" in html and "<td>2</td>" in html
    assert "Clarity" in html and "<td>1</td>" in html
    assert "The experts and editors select 3 dilemmas." in html
    assert "Anonymous" in html
    assert "Jonas Expert" in html and "University of Lisbon" in html
    # A visitor is asked to sign in; registration is the events app's.
    assert "Sign in to submit a dilemma" in html
    assert 'id="registration-title"' in html


def test_a_member_sees_the_button_and_their_own_dilemmas(client, edition, city_member):
    services.start_dilemma(edition, city_member)
    submitted(edition, city_member, title="My own dilemma")
    client.force_login(city_member)

    html = client.get(edition.url).content.decode()

    assert f'href="{reverse("academy:start", args=[edition.pk])}"' in html
    assert "Sign in to submit a dilemma" not in html
    assert "Your dilemmas for this edition" in html
    assert "My own dilemma" in html and "Untitled dilemma" in html and "Submitted" in html


def test_no_button_once_the_call_closed(client, edition, city_member):
    edition = _close_call(edition)
    client.force_login(city_member)
    html = client.get(edition.url).content.decode()
    assert "closed on" in html
    assert reverse("academy:start", args=[edition.pk]) not in html


def test_the_programme_names_selected_dilemmas_only_once_published(
    client, edition, decided, editor, experts, home_page, run
):
    chosen, declined = decided
    library = make_library(home_page)
    practice = add_practice(library, make_city(), title="Myth busters", slug="myth-busters")
    draft = add_practice(library, make_city("Lille", "FR", "France"), 2, live=False)
    expert = edition.experts.get(user=experts[0])
    _session(
        edition,
        "Working on the dilemmas",
        dilemmas=[chosen, declined],
        experts=[expert],
        practices=[practice, draft],
    )
    _session(edition, "Closing", day=2)

    html = client.get(edition.url).content.decode()
    assert "Working on the dilemmas" in html and "Closing" in html
    assert "Jonas Expert" in html
    assert f'href="{practice.url}"' in html and draft.title not in html
    assert SELECTED not in html and DECLINED not in html

    edition = _close_call(edition)
    run(services.publish_decisions, edition, actor=editor)
    html = client.get(edition.url).content.decode()
    assert f"{SELECTED} (Mechelen)" in html
    assert DECLINED not in html and "Gent" not in html


def test_a_withdrawn_selected_dilemma_is_not_named(client, edition, decided, city_member):
    chosen, declined = decided
    _session(edition, "Working on the dilemmas", dilemmas=[chosen])
    services.withdraw(chosen, city_member)
    AcademyEditionPage.objects.filter(pk=edition.pk).update(decisions_published_at=timezone.now())
    assert SELECTED not in client.get(edition.url).content.decode()


def test_the_edition_page_runs_the_same_queries_for_a_small_and_a_big_programme(
    client, edition, decided, experts, home_page, editor, run, django_assert_max_num_queries
):
    chosen, _declined = decided
    edition = _close_call(edition)
    run(services.publish_decisions, edition, actor=editor)
    library = make_library(home_page)
    city = make_city()
    practices = [add_practice(library, city, n, slug=f"p-{n}") for n in range(3)]
    expert_rows = list(edition.experts.all())
    _session(edition, "First", dilemmas=[chosen], experts=expert_rows, practices=practices)
    client.get(edition.url)
    with django_assert_max_num_queries(45) as few:
        assert client.get(edition.url).status_code == 200
    for n in range(20):
        _session(
            edition,
            f"Session {n}",
            day=n % 3,
            starts=(10, n),
            dilemmas=[chosen],
            experts=expert_rows,
            practices=practices,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(edition.url).content.decode()
    assert "Session 19" in html


# --- Nowhere public ----------------------------------------------------------------------------


def test_dilemmas_are_not_in_the_api_the_sitemap_or_the_search(client, edition, decided, home_page):
    make_library(home_page)
    for url in (
        "/api/v2/pages/?search=Rumours",
        "/api/v2/pages/?search=newcomers&type=academy.AcademyEditionPage&fields=*",
        f"/api/v2/pages/{edition.pk}/",
        "/sitemap.xml",
        "/practices/?q=Rumours",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert SELECTED not in body and DECLINED not in body, url
        assert "neighbourhood group" not in body, url


def test_a_programme_published_through_a_revision_keeps_its_experts_and_practices(
    client, edition, experts, home_page
):
    practice = add_practice(make_library(home_page), make_city(), title="Myth busters", slug="mb")
    page = AcademyEditionPage.objects.get(pk=edition.pk)
    session = ProgrammeSession(day=page.start_date, starts=datetime.time(11), title="Peer review")
    session.experts = list(page.experts.filter(user=experts[1]))
    session.practices = [practice]
    page.programme.add(session)
    page.save_revision().publish()

    html = client.get(edition.url).content.decode()

    assert "Peer review" in html
    assert "With Ines Expert" in html
    assert f'href="{practice.url}"' in html


def test_an_experts_themes_survive_publishing_through_a_revision(edition, experts):
    # The automatic assignment reads them: a revision must keep a child's many-to-many fields
    # (EditionExpert and ProgrammeSession are clusterable for this reason).
    housing = Theme.objects.create(name="Housing", slug="housing")
    page = AcademyEditionPage.objects.get(pk=edition.pk)
    expert = page.experts.get(user=experts[0])
    expert.themes = [housing]
    page.experts.add(expert)
    page.save_revision().publish()

    assert list(edition.experts.get(user=experts[0]).themes.all()) == [housing]


def test_a_call_not_open_yet_gives_its_dates_and_no_button(client, academy_index, city_member):
    now = timezone.now()
    later = add_edition(
        academy_index,
        7,
        anonymous_review=False,
        call_opens_at=now + datetime.timedelta(days=3),
        call_closes_at=now + datetime.timedelta(days=20),
    )
    client.force_login(city_member)
    html = client.get(later.url).content.decode()
    assert "Not open yet" in html and "Not anonymous" in html
    assert reverse("academy:start", args=[later.pk]) not in html
