"""Fixtures shared by every test: members in each state, and a site with a home page.

The data comes from `tests.factories`; these fixtures only give it names.
"""

import pytest
from django.core.cache import cache

from accounts.models import User
from home.models import HomePage
from tests.factories import PASSWORD, make_home_page, make_member

# Tests written before the factories moved import these names from here.
__all__ = ["PASSWORD", "make_member"]


@pytest.fixture(autouse=True)
def _mail_through_the_queue(settings):
    """Django's test runner swaps EMAIL_BACKEND for its in-memory one; put the site's queue
    back, so that Wagtail's and Django's own e-mails take the path they take in production
    (core.mail, then EMAIL_DELIVERY_BACKEND, which is the in-memory outbox in tests)."""
    settings.EMAIL_BACKEND = "core.mail.QueueingBackend"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached listings and rate limits never leak."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member(db) -> User:
    return make_member(
        first_name="Anna",
        last_name="Peeters",
        organisation="City of Mechelen",
        organisation_type="city",
        city="Mechelen",
        country="BE",
    )


@pytest.fixture
def unverified_member(db) -> User:
    return make_member("new@lille.test", verified=False)


@pytest.fixture
def home_page(db) -> HomePage:
    return make_home_page()
