"""The taxonomy snippets: rules on the data, and who may manage them in the admin."""

import datetime

import pytest
from django.db import IntegrityError
from django.urls import reverse

from core import roles
from practices.models import (
    Action,
    City,
    Country,
    Fund,
    GovernanceLevel,
    Partnership,
    TargetGroup,
    Theme,
)
from tests.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def belgium():
    return Country.objects.create(code="BE", name="Belgium")


def test_city_names_its_country(belgium):
    city = City.objects.create(name="Mechelen", slug="mechelen", country=belgium)
    assert str(city) == "Mechelen (BE)"


def test_city_coordinates_must_be_on_earth(belgium):
    with pytest.raises(IntegrityError):
        City.objects.create(name="Nowhere", slug="nowhere", country=belgium, latitude=123)


def test_a_city_name_is_unique_within_its_country(belgium):
    City.objects.create(name="Ghent", slug="ghent", country=belgium)
    with pytest.raises(IntegrityError):
        City.objects.create(name="Ghent", slug="ghent-2", country=belgium)


def test_action_numbers_are_unique_within_a_partnership():
    partnership = Partnership.objects.create(
        name="Inclusion of Migrants and Refugees", slug="inclusion"
    )
    action = Action.objects.create(
        partnership=partnership,
        number=1,
        title="Inclusive integration into quality jobs",
        slug="quality-jobs",
        co_leaders="Ashoka Hello Europe, Flanders Region",
        deadline=datetime.date(2027, 3, 31),
    )
    assert str(action) == "Action 1: Inclusive integration into quality jobs"
    with pytest.raises(IntegrityError):
        Action.objects.create(partnership=partnership, number=1, title="Again", slug="again")


def test_governance_levels_run_from_local_to_eu():
    for order, name in enumerate(["EU", "national", "local", "regional"]):
        GovernanceLevel.objects.create(
            name=name,
            slug=name.lower(),
            sort_order={"local": 1, "regional": 2}.get(name, order + 3),
        )
    assert [level.name for level in GovernanceLevel.objects.all()][:2] == ["local", "regional"]


@pytest.mark.parametrize(
    ("groups", "allowed"),
    [([roles.EDITORS], True), ([roles.MODERATORS], True), ([roles.EXPERTS], False)],
)
def test_taxonomy_admin_is_for_editors_and_moderators(client, groups, allowed):
    belgium = Country.objects.create(code="BE", name="Belgium")
    inclusion = Partnership.objects.create(name="Inclusion of Migrants", slug="inclusion")
    # One term of every taxonomy in the admin menu, which its own listing must show.
    names = {
        "theme": Theme.objects.create(name="Labour-market integration", slug="labour").name,
        "fund": Fund.objects.create(name="AMIF", slug="amif").name,
        "governancelevel": GovernanceLevel.objects.create(name="Regional", slug="regional").name,
        "targetgroup": TargetGroup.objects.create(name="Unaccompanied minors", slug="minors").name,
        "country": belgium.name,
        "city": City.objects.create(name="Mechelen", slug="mechelen", country=belgium).name,
        "partnership": inclusion.name,
        "action": Action.objects.create(
            partnership=inclusion, number=1, title="Quality jobs", slug="quality-jobs"
        ).title,
    }
    client.force_login(make_member("staff@urbanexchange.test", groups=groups))
    for model, name in names.items():
        response = client.get(reverse(f"wagtailsnippets_practices_{model}:list"))
        if allowed:
            assert response.status_code == 200, model
            assert name in response.content.decode(), model
        else:
            # Wagtail's admin sends people without the permission to its dashboard.
            assert response.status_code == 302, model
            assert response["Location"] == reverse("wagtailadmin_home"), model


def test_editor_adds_a_theme_in_the_admin(client):
    client.force_login(make_member("editor@urbanexchange.test", groups=[roles.EDITORS]))
    response = client.post(
        reverse("wagtailsnippets_practices_theme:add"),
        {"name": "Inclusive education", "slug": "inclusive-education", "description": ""},
    )
    assert response.status_code == 302
    assert Theme.objects.filter(slug="inclusive-education").exists()
