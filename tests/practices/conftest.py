"""Fixtures for the practice library: the library page, cities, terms and a moderator.

The data comes from `tests.factories`; these fixtures only give it names.
"""

import pytest

from core import roles
from tests.factories import (
    add_practice,
    draft_practice,
    editor_form,
    editor_url,
    make_city,
    make_library,
    make_member,
    make_terms,
    moderate,
    submitted,
)

# Tests written before the factories moved import these names from here.
__all__ = [
    "add_practice",
    "draft_practice",
    "editor_form",
    "editor_url",
    "make_city",
    "moderate",
    "submitted",
]


@pytest.fixture
def library(home_page):
    return make_library(home_page)


@pytest.fixture
def mechelen(db):
    return make_city()


@pytest.fixture
def lille(db):
    return make_city("Lille", "FR", "France")


@pytest.fixture
def moderator(db):
    return make_member("moderator@urbanexchange.test", groups=[roles.MODERATORS], first_name="Mia")


@pytest.fixture
def terms(db):
    """A theme, a governance level and a fund: what a complete practice is tagged with."""
    return make_terms()
