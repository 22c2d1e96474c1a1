"""Who owns which address: the library's pages and routes, the member's forms, old links."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import PageViewRestriction

from practices.models import PracticeIndexPage, PracticePage, Theme
from tests.factories import add_practice

pytestmark = pytest.mark.django_db

#: Slugs that name the library's routes or the member's old forms.
CLASHING_SLUGS = ["submit", "map", "feed", "export"]


def test_every_route_of_the_library_pages_has_its_view():
    assert PracticeIndexPage.views.missing() == []
    assert PracticePage.views.missing() == []


def test_the_members_forms_live_under_my_urban_exchange():
    assert reverse("practices:submit") == "/my/practices/new/"
    assert reverse("practices:edit", args=[7, "about"]) == "/my/practices/7/about/"
    assert reverse("practices:preview", args=[7]) == "/my/practices/7/preview/"
    assert reverse("practices:withdraw", args=[7]) == "/my/practices/7/withdraw/"


@pytest.mark.parametrize("slug", CLASHING_SLUGS)
def test_a_practice_named_like_a_route_is_reachable_with_its_contact_form(
    client, library, mechelen, slug
):
    practice = add_practice(library, mechelen, title=f"The {slug} practice", slug=slug)
    assert practice.url == f"/practices/{slug}/"

    response = client.get(practice.url)
    assert response.status_code == 200
    assert response.context["page"] == practice
    html = response.content.decode()
    assert f'action="/practices/{slug}/contact/"' in html
    # The contact route answers for this practice: a GET goes back to its page.
    contact = client.get(f"/practices/{slug}/contact/")
    assert (contact.status_code, contact["Location"]) == (302, practice.url)


def test_the_librarys_own_routes_work_beside_practices_named_like_them(client, library, mechelen):
    for slug in ["submit", "feed", "export"]:
        practice = add_practice(library, mechelen, title=f"The {slug} practice", slug=slug)
        practice.themes.add(Theme.objects.get_or_create(name="Housing", slug="housing")[0])
        practice.save()

    listing = client.get("/practices/")
    assert listing.status_code == 200 and listing.context["library"].total == 3
    assert client.get("/practices/map/").context["library_view"] == "map"
    for url, content_type in [
        ("/practices/feed/rss/", "application/rss+xml"),
        ("/practices/feed/atom/", "application/atom+xml"),
        ("/practices/feed/housing/rss/", "application/rss+xml"),
        ("/practices/feed/housing/atom/", "application/atom+xml"),
        ("/practices/export/csv/", "text/csv"),
        ("/practices/export/json/", "application/json"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith(content_type), url


def test_the_contact_route_of_a_private_practice_is_as_private_as_the_page(
    client, library, mechelen
):
    practice = add_practice(library, mechelen)
    PageViewRestriction.objects.create(page=practice, restriction_type=PageViewRestriction.LOGIN)

    response = client.post(f"{practice.url}contact/", {"name": "Eve", "message": "Hello"})

    assert response.status_code == 302
    assert "login/?next=/practices/practice-1/contact/" in response["Location"]
    assert mail.outbox == []


def test_a_practice_called_map_keeps_its_address(client, library, mechelen):
    # One-part paths go to the library's practices first; the library's map gives way.
    practice = add_practice(library, mechelen, title="Map of services", slug="map")
    response = client.get("/practices/map/")
    assert response.context["page"] == practice


# --- Old addresses of the member's forms ------------------------------------------------------


@pytest.mark.parametrize(
    "old, new",
    [
        ("/practices/submit/", "/my/practices/new/"),
        ("/practices/submit/12/about/", "/my/practices/12/about/"),
        ("/practices/submit/12/review/", "/my/practices/12/review/"),
        ("/practices/submit/12/preview/", "/my/practices/12/preview/"),
        ("/practices/submit/12/withdraw/", "/my/practices/12/withdraw/"),
    ],
)
def test_old_links_to_the_members_forms_are_redirected(client, library, old, new):
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (302, new)


def test_old_links_give_way_to_a_practice_that_lives_there_now(client, library, mechelen):
    practice = add_practice(library, mechelen, title="Submit your ideas", slug="submit")

    response = client.get("/practices/submit/")
    assert response.status_code == 200
    assert response.context["page"] == practice
    # Deeper old addresses are no page of this practice: they still lead to the forms.
    response = client.get("/practices/submit/12/about/")
    assert (response.status_code, response["Location"]) == (302, "/my/practices/12/about/")
