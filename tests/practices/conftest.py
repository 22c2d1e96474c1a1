"""Fixtures for the practice library: the library page, cities and practices in any state."""

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from core import roles
from practices import services
from practices.models import (
    City,
    Country,
    Fund,
    GovernanceLevel,
    PracticeIndexPage,
    PracticePage,
    Theme,
)
from tests.conftest import make_member


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


@pytest.fixture
def lille(db):
    return make_city("Lille", "FR", "France")


@pytest.fixture
def moderator(db):
    return make_member("moderator@urbanexchange.test", groups=[roles.MODERATORS], first_name="Mia")


@pytest.fixture
def terms(db):
    """A theme, a governance level and a fund: what a complete practice is tagged with."""
    return {
        "theme": Theme.objects.create(name="Housing", slug="housing"),
        "level": GovernanceLevel.objects.create(name="Local", slug="local"),
        "fund": Fund.objects.create(name="UIA", slug="uia"),
    }


def draft_practice(member, city, terms, title="TAST'in FIVES", **fields) -> PracticePage:
    """A complete draft, as a member leaves it after the last step of the form."""
    draft = PracticePage(
        title=title,
        summary=fields.pop("summary", "A food hub in Fives."),
        city=city,
        lead_organisation=fields.pop("lead_organisation", "City of Lille"),
        problem="<p>Empty factory halls.</p>",
        approach="<p>A shared kitchen.</p>",
        contact_email=member.email,
        **fields,
    )
    practice = services.start_practice(member, draft)
    draft = services.latest_draft(practice)
    draft.themes = [terms["theme"]]
    draft.governance_levels = [terms["level"]]
    services.save_draft(member, draft)
    return practice


def submitted(member, city, terms, **fields) -> PracticePage:
    """A complete practice that `member` has sent to the moderators."""
    practice = draft_practice(member, city, terms, **fields)
    services.submit_for_review(member, practice)
    practice.refresh_from_db()
    return practice


def moderate(moderator, practice, action: str, comment: str = "", *, client: Client | None = None):
    """`moderator` acts on the practice's review as Wagtail's workflow modal does ("approve" or
    "reject", Wagtail's name for "Request changes"). Returns the view's response."""
    client = client or Client()
    client.force_login(moderator)
    practice.refresh_from_db()
    task_state = practice.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[practice.pk, action, task_state.pk])
    # The modal posts with XMLHttpRequest: Wagtail then answers with the form and its errors.
    return client.post(url, {"comment": comment}, headers={"x-requested-with": "XMLHttpRequest"})


def editor_form(client: Client, page) -> QueryDict:
    """The Wagtail editor's form for `page`, filled in as the editor shows it to `client`'s
    user: change a value and post it back to `editor_url(page)`."""
    html = client.get(editor_url(page)).content.decode()
    return querydict_from_html(html, form_id="page-edit-form")


def editor_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])
