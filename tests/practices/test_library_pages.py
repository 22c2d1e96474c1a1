"""The practice library's pages: tree rules, what the public sees, and what it never sees."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from practices.models import PracticeIndexPage, PracticePage, Theme

from .conftest import add_practice


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
    practice = add_practice(library, mechelen, approach="<p>Job coaches meet newcomers weekly.</p>")
    theme = Theme.objects.create(name="Labour-market integration", slug="labour")
    practice.themes.add(theme)
    practice.save()
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
