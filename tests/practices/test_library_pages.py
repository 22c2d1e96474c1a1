"""The practice library's pages: tree rules, what the public sees, and what it never sees."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from practices.library import bump_library_version, related_practices
from practices.models import (
    Fund,
    GovernanceLevel,
    Partnership,
    PracticeIndexPage,
    PracticePage,
    TargetGroup,
    Theme,
)
from tests.factories import add_practice


class PracticeTreeRules(WagtailPageTestCase):
    def test_library_lives_under_the_home_page(self):
        self.assertCanCreateAt(HomePage, PracticeIndexPage)
        self.assertCanNotCreateAt(Page, PracticeIndexPage)
        self.assertAllowedSubpageTypes(PracticeIndexPage, {PracticePage})

    def test_practices_live_in_the_library_only(self):
        self.assertAllowedParentPageTypes(PracticePage, {PracticeIndexPage})
        self.assertAllowedSubpageTypes(PracticePage, set())


@pytest.mark.django_db
def test_visitor_reads_a_published_practice_without_the_contact_address(client, library, mechelen):
    theme = Theme.objects.create(name="Labour-market integration", slug="labour")
    practice = add_practice(
        library, mechelen, approach="<p>Job coaches meet newcomers weekly.</p>", themes=[theme]
    )
    response = client.get(practice.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Job coaches meet newcomers weekly." in html
    assert "Labour-market integration" in html
    assert "owner@mechelen.test" not in html


@pytest.mark.django_db
def test_a_draft_is_not_served_and_not_listed(client, library, mechelen):
    draft = add_practice(library, mechelen, number=2, live=False, title="Secret draft")
    assert client.get(draft.url_path.replace("/urban-exchange", "")).status_code == 404
    listing = client.get(library.url).content.decode()
    assert "Secret draft" not in listing


@pytest.mark.django_db
def test_library_lists_practices_with_a_bounded_number_of_queries(client, library, mechelen):
    def queries_for_listing():
        bump_library_version()  # each time as if the library had just changed
        with CaptureQueriesContext(connection) as captured:
            assert client.get(library.url).status_code == 200
        return len(captured)

    add_practice(library, mechelen, number=1)
    client.get(library.url)  # warm the site cache, as a running server has
    few = queries_for_listing()
    for number in range(2, 31):
        add_practice(library, mechelen, number=number)
    assert queries_for_listing() == few
    page_two = client.get(library.url + "?page=2").content.decode()
    assert "Page 2 of 2" in page_two
    assert client.get(library.url + "?page=99").status_code == 200  # last page, not an error


@pytest.fixture
def tagged(library, mechelen):
    """A practice with two themes and a fund, and others sharing some of them."""
    housing = Theme.objects.create(name="Housing", slug="housing")
    work = Theme.objects.create(name="Labour-market integration", slug="labour")
    health = Theme.objects.create(name="Health", slug="health")
    esf = Fund.objects.create(name="ESF+", slug="esf-plus")
    local = GovernanceLevel.objects.create(name="Local", slug="local")
    refugees = TargetGroup.objects.create(name="Refugees", slug="refugees")
    partnership = Partnership.objects.create(name="Inclusion of Migrants", slug="inclusion")

    def practice(number, themes, funds=(), **fields):
        funds = [(fund, 250000) for fund in funds]
        return add_practice(library, mechelen, number=number, themes=themes, funds=funds, **fields)

    main = practice(
        1,
        [housing, work],
        [esf],
        title="Housing and jobs",
        start_date=datetime.date(2021, 3, 1),
        partnership=partnership,
        contact_name="Jan Janssens",
        governance_levels=[local],
        target_groups=[refugees],
    )
    return {
        "main": main,
        "all_three": practice(2, [housing, work], [esf], title="Shares three"),
        "two": practice(3, [housing], [esf], title="Shares two"),
        "one": practice(4, [work], title="Shares one"),
        "none": practice(5, [health], title="Shares nothing"),
        "draft": practice(6, [housing, work], [esf], live=False, title="Draft sharing all"),
    }


@pytest.mark.django_db
def test_practice_page_links_its_taxonomy_into_the_library(client, library, tagged):
    html = client.get(tagged["main"].url).content.decode()
    for link, label in [
        ("?theme=housing", "Housing"),
        ("?theme=labour", "Labour-market integration"),
        ("?level=local", "Local"),
        ("?group=refugees", "Refugees"),
        ("?city=mechelen", "Mechelen"),
        ("?country=BE", "Belgium"),
        ("?partnership=inclusion", "Inclusion of Migrants"),
        ("?year=2021", "2021"),
        ("?status=running", "Running"),
    ]:
        assert f'href="{library.url}{link}">{label}</a>' in html
    assert f'href="{library.url}?fund=esf-plus">ESF+ (EUR 250,000)</a>' in html
    assert "Jan Janssens" not in html and "owner@mechelen.test" not in html


@pytest.mark.django_db
def test_related_practices_are_ranked_by_what_they_share(client, library, tagged):
    related = related_practices(tagged["main"], library)
    assert [page.title for page in related] == ["Shares three", "Shares two", "Shares one"]
    html = client.get(tagged["main"].url).content.decode()
    assert "Related practices" in html
    assert "Shares two" in html and "Shares nothing" not in html and "Draft sharing all" not in html
    assert html.index("Shares three") < html.index("Shares two") < html.index("Shares one")


@pytest.mark.django_db
def test_related_practices_are_at_most_four_and_follow_publication(client, library, tagged):
    for number in range(10, 16):
        practice = add_practice(library, tagged["main"].city, number=number)
        practice.themes.add(Theme.objects.get(slug="housing"))
        practice.save()
    assert len(related_practices(tagged["main"], library)) == 4
    tagged["all_three"].unpublish()
    titles = [page.title for page in related_practices(tagged["main"], library)]
    assert "Shares three" not in titles


@pytest.mark.django_db
def test_practice_page_costs_the_same_queries_with_more_related_practices(client, library, tagged):
    url = tagged["main"].url
    client.get(url)

    def cost():
        bump_library_version()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = cost()
    for number in range(20, 40):
        practice = add_practice(library, tagged["main"].city, number=number)
        practice.themes.add(Theme.objects.get(slug="housing"))
        practice.save()
    assert cost() == few


@pytest.mark.django_db
def test_api_lists_published_practices_without_contact_data_or_drafts(client, library, mechelen):
    practice = add_practice(library, mechelen, number=1, contact_name="Jan Janssens")
    add_practice(library, mechelen, number=2, live=False, title="Secret draft")
    listing = client.get("/api/v2/pages/", {"type": "practices.PracticePage", "fields": "*"})
    assert listing.status_code == 200
    body = listing.content.decode()
    assert practice.title in body
    assert "Secret draft" not in body
    detail = client.get(f"/api/v2/pages/{practice.pk}/").json()
    assert detail["summary"] == practice.summary
    assert "contact_email" not in detail and "contact_name" not in detail
    assert "owner@mechelen.test" not in str(detail) and "Jan Janssens" not in str(detail)
