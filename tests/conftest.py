"""Fixtures shared by every test: members in each state, and a site with a home page."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.cache import cache
from wagtail.models import Page, Site

from accounts.models import User
from home.models import HomePage

PASSWORD = "a-long-test-password-42"


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


def make_member(
    email: str = "officer@mechelen.test", *, verified: bool = True, groups=(), **profile
) -> User:
    """A member with an allauth e-mail address, verified unless told otherwise."""
    user = User.objects.create_user(
        username=email.split("@")[0], email=email, password=PASSWORD, **profile
    )
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


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
    """The site's home page in place of Wagtail's welcome page, as load_demo sets it up."""
    # Transactional (browser) tests may start from an emptied database, without the tree root
    # and default site that Wagtail's migrations create.
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(
        instance=HomePage(
            title="Urban Exchange",
            slug="urban-exchange",
            statement="Where European cities learn from each other",
            introduction="Practices, exchanges and the Urban Academy.",
        )
    )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
        return home
    old_root = site.root_page
    site.root_page = home
    site.save()
    if old_root.specific_class is Page and old_root.depth > 1:
        old_root.delete()
    return home
