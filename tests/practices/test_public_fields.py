"""One list of a practice's public fields (practices.public), and what it keeps on the site."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from practices import public
from practices.models import Fund, PracticeFund, PracticeLink, PracticePage, Theme
from tests.factories import add_practice

pytestmark = pytest.mark.django_db

CONTACT_NAME = "Jan Janssens"
CONTACT_EMAIL = "jan.janssens@mechelen.test"


def test_every_field_of_a_practice_is_either_public_or_private():
    page_fields = {field.name for field in Page._meta.get_fields()}
    own = {
        field.name
        for field in PracticePage._meta.get_fields()
        if field.name not in page_fields and not field.auto_created
    }
    own |= {"practice_funds", "links", "images", "documents"}  # the page's child relations
    classified = set(public.PUBLIC_FIELDS) | set(public.PRIVATE_FIELDS)
    # Images and documents are shown on the page only; a new field must be placed on purpose.
    assert own - classified == {"images", "documents"}
    assert not set(public.PUBLIC_FIELDS) & set(public.PRIVATE_FIELDS)


def test_the_api_shows_the_public_fields_and_nothing_else():
    # The published expert opinions come after the practice's own fields (public.OPINION_FIELDS).
    names = [field.name for field in PracticePage.api_fields]
    assert names == [*public.PUBLIC_FIELDS, "opinions"]


def test_only_public_refuses_a_private_field():
    with pytest.raises(ValueError, match="contact_email"):
        public.only_public(PracticePage.objects.all(), "summary", "contact_email")


@pytest.fixture
def practice(library, mechelen):
    practice = add_practice(
        library,
        mechelen,
        title="Housing mentors",
        contact_name=CONTACT_NAME,
        contact_email=CONTACT_EMAIL,
    )
    practice.themes.add(Theme.objects.create(name="Housing", slug="housing"))
    practice.practice_funds.add(
        PracticeFund(fund=Fund.objects.create(name="ESF+", slug="esf-plus"), amount_eur=5000)
    )
    practice.links.add(PracticeLink(url="https://mentors.example.org/", title="Project site"))
    practice.save_revision().publish()
    return practice


def _body(response) -> str:
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/pages/?type=practices.PracticePage&fields=*",
        "/api/v2/pages/{pk}/",
        "/practices/export/csv/",
        "/practices/export/json/",
        "/practices/feed/rss/",
        "/practices/feed/atom/",
        "/practices/feed/housing/rss/",
    ],
)
def test_the_contact_person_and_address_leave_the_site_nowhere(client, practice, url):
    client.get("/")  # Wagtail's site cache, as a running server has it
    with CaptureQueriesContext(connection) as captured:
        body = _body(client.get(url.format(pk=practice.pk)))

    assert "Housing mentors" in body
    assert CONTACT_NAME not in body and CONTACT_EMAIL not in body
    if url.startswith("/practices/"):
        # The feeds and exports do not even read them: the columns are in none of the queries.
        for query in captured.captured_queries:
            assert "contact_name" not in query["sql"] and "contact_email" not in query["sql"]


def test_the_api_shows_the_funds_and_links_of_a_practice(client, practice):
    detail = client.get(f"/api/v2/pages/{practice.pk}/").json()

    assert detail["year"] is None
    assert [fund["amount_eur"] for fund in detail["practice_funds"]] == ["5000.00"]
    assert detail["links"][0]["url"] == "https://mentors.example.org/"
    assert detail["links"][0]["title"] == "Project site"
