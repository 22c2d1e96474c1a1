"""Who owns which address: the library's pages and routes, the member's forms, old links."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import PageViewRestriction

from practices.models import PracticeIndexPage, PracticePage, Theme
from tests.factories import add_practice

pytestmark = pytest.mark.django_db

#: Slugs that name the library's routes or the member's old forms.
# Slugs that once clashed with the member's forms (`submit`) or that name a route of the
# library: the first is an ordinary slug now, the others are made for a practice's title.
CLASHING_SLUGS = ["submit", "map-practice", "feed-practice", "export-practice"]


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
    for title in ["Submit", "Feed", "Export", "Map"]:
        practice = add_practice(library, mechelen, title=title, slug="")
        practice.themes.add(Theme.objects.get_or_create(name="Housing", slug="housing")[0])
        practice.save()

    listing = client.get("/practices/")
    assert listing.status_code == 200 and listing.context["library"].total == 4
    assert sorted(PracticePage.objects.values_list("slug", flat=True)) == [
        "export-practice",
        "feed-practice",
        "map-practice",
        "submit",
    ]
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


def test_no_practice_can_take_the_address_of_the_librarys_map(library, mechelen):
    # A practice called "map" would hide the library's map from everyone.
    with pytest.raises(ValidationError) as refused:
        add_practice(library, mechelen, title="Map of services", slug="map")
    assert "slug" in refused.value.message_dict


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
