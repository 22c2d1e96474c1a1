"""Fixtures for the practice library: the library page, cities and practices in any state."""

import pytest

from practices.models import City, Country, PracticeIndexPage, PracticePage


@pytest.fixture
def library(home_page):
    return home_page.add_child(instance=PracticeIndexPage(title="Practices", slug="practices"))


def make_city(name: str = "Mechelen", code: str = "BE", country_name: str = "Belgium", **fields):
    country, _ = Country.objects.get_or_create(code=code, defaults={"name": country_name})
    return City.objects.create(name=name, slug=name.lower(), country=country, **fields)


@pytest.fixture
def mechelen(db):
    return make_city()


def add_practice(library, city, number=1, live=True, **fields):
    """A practice below `library`: published (with a revision) unless `live=False`."""
    practice = PracticePage(
        title=fields.pop("title", f"Practice {number}"),
        slug=fields.pop("slug", f"practice-{number}"),
        summary=fields.pop("summary", "A city helps newcomers find work."),
        city=city,
        lead_organisation=fields.pop("lead_organisation", "City of Mechelen"),
        contact_email=fields.pop("contact_email", "owner@mechelen.test"),
        live=live,
        **fields,
    )
    return library.add_child(instance=practice)
