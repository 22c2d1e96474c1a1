"""Test data in the states production has, made through the same code paths.

Plain functions rather than factory_boy: every state here comes from calling what the site
itself calls (allauth's EmailAddress, Wagtail's `add_child`, `save_revision` and `publish`,
the practice services that start the moderation workflow), so a factory cannot drift from
what real use leaves in the database. factory_boy would add a layer that sets fields one by
one, which is exactly how a "published" page without a live revision comes about.

Import from here in test modules; the conftest files only wrap these in fixtures.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.mail.backends.base import BaseEmailBackend
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale, Page, Site
from wagtail.test.utils.form_data import querydict_from_html

from academy import services as academy
from academy.models import AcademyEditionPage, AcademyIndexPage, EditionExpert, SelectionCriterion
from accounts.models import User
from events.models import EventIndexPage, EventPage
from home.models import HomePage
from practices import services
from practices.models import (
    City,
    Country,
    Fund,
    GovernanceLevel,
    PracticeFund,
    PracticeIndexPage,
    PracticePage,
    TargetGroup,
    Theme,
)

PASSWORD = "a-long-test-password-42"


# --- People ---------------------------------------------------------------------------------


def make_member(
    email: str = "officer@mechelen.test", *, verified: bool = True, groups=(), **profile
) -> User:
    """A member as allauth's sign-up leaves them: a primary EmailAddress, verified by default."""
    user = User.objects.create_user(
        username=email.split("@")[0], email=email, password=PASSWORD, **profile
    )
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


# --- Pages ----------------------------------------------------------------------------------


def make_home_page() -> HomePage:
    """The site's home page in place of Wagtail's welcome page, as load_demo sets it up."""
    # Transactional (browser) tests may start from an emptied database, without the tree root
    # and default site that Wagtail's migrations create.
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
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


def make_library(home: HomePage) -> PracticeIndexPage:
    """The practice library below the home page; creating it assigns the moderation workflow."""
    return home.add_child(instance=PracticeIndexPage(title="Practices", slug="practices"))


# --- Taxonomy -------------------------------------------------------------------------------


def make_city(name: str = "Mechelen", code: str = "BE", country_name: str = "Belgium", **fields):
    country, _ = Country.objects.get_or_create(code=code, defaults={"name": country_name})
    return City.objects.create(name=name, slug=name.lower(), country=country, **fields)


def make_terms() -> dict:
    """A theme, a governance level and a fund: what a complete practice is tagged with."""
    return {
        "theme": Theme.objects.create(name="Housing", slug="housing"),
        "level": GovernanceLevel.objects.create(name="Local", slug="local"),
        "fund": Fund.objects.create(name="UIA", slug="uia"),
    }


# --- Practices ------------------------------------------------------------------------------


def add_practice(
    library: PracticeIndexPage,
    city: City,
    number: int = 1,
    live: bool = True,
    *,
    themes: Iterable[Theme] = (),
    governance_levels: Iterable[GovernanceLevel] = (),
    target_groups: Iterable[TargetGroup] = (),
    funds: Iterable[Fund | tuple[Fund, int]] = (),
    **fields,
) -> PracticePage:
    """A practice below `library`, as an editor leaves it in Wagtail's page editor.

    Published (`live=True`): created as a draft, saved as a revision and published through it,
    so it has a live revision, `first_published_at` (kept if given), `last_published_at` and no
    unpublished changes, and `page_published` was sent. A draft (`live=False`) has a latest
    revision and is not live. Themes, levels, target groups and funds (a fund or a pair of
    fund and amount in EUR) are part of the revision, as the editor's form makes them.
    """
    practice = PracticePage(
        title=fields.pop("title", f"Practice {number}"),
        slug=fields.pop("slug", f"practice-{number}"),
        summary=fields.pop("summary", "A city helps newcomers find work."),
        city=city,
        lead_organisation=fields.pop("lead_organisation", "City of Mechelen"),
        contact_email=fields.pop("contact_email", "owner@mechelen.test"),
        live=False,
        **fields,
    )
    practice.themes = list(themes)
    practice.governance_levels = list(governance_levels)
    practice.target_groups = list(target_groups)
    for fund in funds:
        fund, amount = fund if isinstance(fund, tuple) else (fund, None)
        practice.practice_funds.add(PracticeFund(fund=fund, amount_eur=amount))
    library.add_child(instance=practice)
    revision = practice.save_revision(user=practice.owner)
    if live:
        revision.publish()
    # publish() works on a copy restored from the revision: read back what was stored.
    return PracticePage.objects.get(pk=practice.pk)


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
    """A complete practice that `member` has sent to the moderators: a workflow in progress."""
    practice = draft_practice(member, city, terms, **fields)
    services.submit_for_review(member, practice)
    practice.refresh_from_db()
    return practice


# --- Mail -----------------------------------------------------------------------------------


class FailingMailServer(BaseEmailBackend):
    """A mail server that is down: set EMAIL_DELIVERY_BACKEND to FAILING_MAIL_SERVER."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("The mail server is down.")


FAILING_MAIL_SERVER = f"{__name__}.FailingMailServer"


# --- What moderators and editors do in Wagtail's admin -----------------------------------


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


# --- Events ---------------------------------------------------------------------------------


def make_event_index(home: HomePage):
    return home.add_child(instance=EventIndexPage(title="Events", slug="events"))


def add_event(index, number: int = 1, *, live: bool = True, **fields):
    """An event below `index`, published through a revision as the page editor leaves it.

    By default a virtual exchange a month from now, in Brussels time, open for registration.
    """
    start = timezone.localdate() + datetime.timedelta(days=30)
    event = EventPage(
        title=fields.pop("title", f"Virtual exchange {number}"),
        slug=fields.pop("slug", f"virtual-exchange-{number}"),
        summary=fields.pop("summary", "Cities compare how they help newcomers find work."),
        start_date=fields.pop("start_date", start),
        start_time=fields.pop("start_time", datetime.time(10, 0)),
        end_time=fields.pop("end_time", datetime.time(12, 0)),
        organiser_name=fields.pop("organiser_name", "Inclusion partnership"),
        organiser_email=fields.pop("organiser_email", "organiser@urbanexchange.test"),
        joining_link=fields.pop("joining_link", "https://meet.example.org/secret-room-42"),
        live=False,
        **fields,
    )
    index.add_child(instance=event)
    revision = event.save_revision()
    if live:
        revision.publish()
    return EventPage.objects.get(pk=event.pk)


# --- The Urban Academy ----------------------------------------------------------------------


def make_academy_index(home: HomePage):
    return home.add_child(instance=AcademyIndexPage(title="Urban Academy", slug="academy"))


def add_edition(
    index,
    number: int = 1,
    *,
    live: bool = True,
    criteria: Iterable[tuple[str, int]] = (("Relevance for other cities", 2), ("Clarity", 1)),
    experts: Iterable[User] = (),
    **fields,
):
    """An Urban Academy edition below `index`, published through a revision.

    By default: the call opened a week ago and closes in a week, the workshop is in two
    months and lasts three days, two criteria (weights 2 and 1), reviews anonymous.
    """
    now = timezone.now()
    start = timezone.localdate() + datetime.timedelta(days=60)
    edition = AcademyEditionPage(
        title=fields.pop("title", f"Urban Academy {number}"),
        slug=fields.pop("slug", f"urban-academy-{number}"),
        theme=fields.pop("theme", "Countering disinformation about migrants"),
        summary=fields.pop("summary", "Cities bring policy dilemmas; experts help them choose."),
        start_date=fields.pop("start_date", start),
        end_date=fields.pop("end_date", start + datetime.timedelta(days=2)),
        start_time=fields.pop("start_time", datetime.time(9, 30)),
        end_time=fields.pop("end_time", datetime.time(17, 0)),
        call_opens_at=fields.pop("call_opens_at", now - datetime.timedelta(days=7)),
        call_closes_at=fields.pop("call_closes_at", now + datetime.timedelta(days=7)),
        organiser_name=fields.pop("organiser_name", "Inclusion partnership"),
        organiser_email=fields.pop("organiser_email", "academy@urbanexchange.test"),
        live=False,
        **fields,
    )
    for position, (name, weight) in enumerate(criteria):
        edition.criteria.add(SelectionCriterion(name=name, weight=weight, sort_order=position))
    for position, user in enumerate(experts):
        edition.experts.add(EditionExpert(user=user, sort_order=position))
    index.add_child(instance=edition)
    revision = edition.save_revision()
    if live:
        revision.publish()
    return AcademyEditionPage.objects.get(pk=edition.pk)


def make_expert(email: str, *, city: str = "", organisation: str = "", **profile) -> User:
    """A member of the Experts group, with the city and organisation the conflict rule reads."""
    return make_member(
        email,
        groups=["Experts"],
        city=city,
        organisation=organisation,
        first_name=profile.pop("first_name", email.split("@")[0].title()),
        last_name=profile.pop("last_name", "Expert"),
        **profile,
    )


def submitted_dilemma(edition, member, **fields):
    """A dilemma the member submitted through the services, complete and shared."""
    dilemma = academy.start_dilemma(edition, member)
    values = {
        "title": "Rumours about newcomers after a local incident",
        "city": member.city or "Mechelen",
        "organisation": member.organisation or "City of Mechelen",
        "policy_context": "<p>A false story spread in a neighbourhood group.</p>",
        "dilemma": "<p>Answer every rumour, or build trust before the next one?</p>",
        "tried": "<p>A fact-check page nobody read.</p>",
        "expectations": "<p>How other cities chose, and what it cost them.</p>",
    }
    values.update(fields)
    academy.save_dilemma(dilemma, member, values=values, consent_to_share=True)
    return academy.submit(dilemma, member)
