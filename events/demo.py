"""Demo events: the activities that the Inclusion partnership's work plan 2024-2027 describes.

From ../shared/seeds (the work plan): the labour-market action's virtual exchanges (the first in
June 2025 on first labour-market integration arrival measures, the second between October and
December 2025), each followed by an outcomes report; the education action's webinar on its
mapping of good practices (September to November 2025); the funds action's study visit on a
financial model (October 2025, with Eurocities' Working Group on Migration and Integration).
The work plan gives months, not days: the days and times here are the demo's own. Two events
lie ahead so that a newcomer can register: the labour-market action's exchange on its
capacity-building output (which the plan says will be disseminated through the Urban
Academy), and a full partnership plenary meeting with a waiting list.

The seeds do not name the practices presented at the first exchange; the demo links the
library's practices tagged with labour-market integration. Demo participants have
example.test addresses, and their registrations are made as rows with their history, without
e-mails, so that load_demo sends nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from wagtail.models import Page

from core.demo import sync
from practices.models import Action, Partnership, PracticePage, Theme

from .models import (
    EventIndexPage,
    EventPage,
    EventPractice,
    OutcomeReportPage,
    Registration,
    RegistrationChange,
    RegistrationState,
)

State = RegistrationState
INDEX = {
    "title": "Events",
    "slug": "events",
    "introduction": (
        "<p>Virtual exchanges, webinars, study visits and plenary meetings of the Urban Agenda "
        "partnerships. Register for what lies ahead; after each event, its outcome report says "
        "what came out of it.</p>"
    ),
}
MIGRANTS = "inclusion-of-migrants-and-refugees"
ORGANISER = ("Inclusion Partnership Secretariat", "events@urbanexchange.test")


@dataclass
class DemoEvent:
    slug: str
    title: str
    summary: str
    kind: str
    format: str
    start: datetime.date
    start_time: datetime.time
    end_time: datetime.time
    description: str = ""
    action: int | None = None
    themes: tuple[str, ...] = ()
    venue: str = ""
    capacity: int | None = None
    has_waiting_list: bool = True
    joining_link: str = ""
    #: (country, organisation type, state) of the demo participants.
    participants: list[tuple[str, str, str]] = field(default_factory=list)
    presented_theme: str = ""
    report: dict | None = None


def _future(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _crowd(spec: list[tuple[str, str, str, int]]) -> list[tuple[str, str, str]]:
    return [(country, kind, state) for country, kind, state, n in spec for _ in range(n)]


EVENTS = [
    DemoEvent(
        slug="virtual-exchange-first-arrival-measures",
        title="Virtual exchange on first labour market integration arrival measures",
        summary=(
            "The first virtual exchange of the action on inclusive integration into quality "
            "jobs: how cities support refugees and asylum seekers into work soon after arrival."
        ),
        kind="virtual_exchange",
        format="online",
        start=datetime.date(2025, 6, 17),
        start_time=datetime.time(10, 0),
        end_time=datetime.time(12, 0),
        action=1,
        themes=("labour-market-integration", "reception"),
        description=(
            "<p>Each virtual exchange of the action tackles one topic of the early labour-market "
            "integration of refugees and asylum seekers. It consists of input from an external "
            "expert on the current state of affairs, presentations from partnership members on "
            "the practices they implement, and a discussion among members on the topic and the "
            "learnings from the presentations.</p>"
        ),
        participants=_crowd(
            [
                ("BE", "region", State.ATTENDED, 3),
                ("NL", "city", State.ATTENDED, 2),
                ("DE", "city", State.ATTENDED, 2),
                ("IT", "city", State.ATTENDED, 4),
                ("IT", "national_authority", State.CONFIRMED, 1),
                ("PL", "city", State.ATTENDED, 1),
                ("ES", "region", State.ATTENDED, 2),
                ("RO", "city", State.CONFIRMED, 1),
                ("FR", "ngo", State.ATTENDED, 2),
                ("PT", "university", State.ATTENDED, 1),
            ]
        ),
        presented_theme="labour-market-integration",
        report={
            "title": "What came out of the first virtual exchange",
            "summary": (
                "Members compared how they support the early labour-market integration of "
                "refugees and asylum seekers, and what stands in the way."
            ),
            "key_takeaways": (
                "<ul><li>Legislation on early labour-market integration varies greatly across "
                "EU Member States, and so do the challenges it brings.</li>"
                "<li>Language barriers and skills mismatches are among the issues to address "
                "for quality jobs.</li>"
                "<li>Article 17 of the revised Reception Conditions Directive gives access to "
                "the labour market after 6 months instead of 9, which makes this the moment to "
                "support early integration.</li></ul>"
            ),
            "recommendations": (
                "<p>The exchanges feed the action's recommendations based on good practices "
                "(January to May 2026) and its capacity-building output, to be disseminated "
                "through the Urban Academy.</p>"
            ),
            "follow_up": (
                "<p>A second virtual exchange between October and December 2025, and a "
                "presentation at the European Integration Network's meeting on employment in "
                "December 2025.</p>"
            ),
        },
    ),
    DemoEvent(
        slug="second-virtual-exchange-labour-market",
        title="Second virtual exchange on early labour market integration",
        summary=(
            "The second exchange of the action on inclusive integration into quality jobs, with "
            "presentations of members' practices and a discussion."
        ),
        kind="virtual_exchange",
        format="online",
        start=datetime.date(2025, 11, 18),
        start_time=datetime.time(14, 0),
        end_time=datetime.time(16, 0),
        action=1,
        themes=("labour-market-integration",),
    ),
    DemoEvent(
        slug="webinar-mapping-inclusive-education",
        title="Webinar: mapping of good practices in inclusive education",
        summary=(
            "The education action presents its mapping of good practices for the inclusion of "
            "newly arrived children with a migration background."
        ),
        kind="webinar",
        format="online",
        start=datetime.date(2025, 10, 21),
        start_time=datetime.time(11, 0),
        end_time=datetime.time(12, 30),
        action=2,
        themes=("inclusive-education",),
        description=(
            "<p>The action group mapped good practices with input from the SIRIUS Network and "
            "organises this webinar to disseminate the results of the mapping.</p>"
        ),
    ),
    DemoEvent(
        slug="study-visit-financial-model",
        title="Study visit on a sustainable financial model for integration",
        summary=(
            "The funds action visits a financial model to learn what makes it sustainable, "
            "with those who oversee its finances and the teams that implement it."
        ),
        kind="study_visit",
        format="in_person",
        start=datetime.date(2025, 10, 8),
        start_time=datetime.time(9, 30),
        end_time=datetime.time(17, 0),
        action=4,
        themes=("eu-funding",),
        venue="Venue announced to participants",
        description=(
            "<p>Organised with the Eurocities Working Group on Migration and Integration. Its "
            "outcomes update the action's report on the collection of practices.</p>"
        ),
    ),
    DemoEvent(
        slug="virtual-exchange-capacity-building",
        title="Virtual exchange: from good practices to capacity building",
        summary=(
            "Members of the labour-market action discuss the capacity-building output that the "
            "exchanges and recommendations lead to."
        ),
        kind="virtual_exchange",
        format="online",
        start=_future(30),
        start_time=datetime.time(10, 0),
        end_time=datetime.time(11, 30),
        action=1,
        themes=("labour-market-integration",),
        capacity=40,
        joining_link="https://meet.urbanexchange.test/capacity-building",
        participants=_crowd(
            [("BE", "region", State.CONFIRMED, 2), ("IT", "city", State.CONFIRMED, 2)]
        ),
    ),
    DemoEvent(
        slug="partnership-plenary-meeting",
        title="Plenary meeting of the Inclusion partnership",
        summary="The partnership's members meet to review the progress of the four actions.",
        kind="plenary_meeting",
        format="hybrid",
        start=_future(45),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(13, 0),
        venue="Venue announced to participants",
        capacity=6,
        joining_link="https://meet.urbanexchange.test/plenary",
        participants=_crowd(
            [
                ("NL", "city", State.CONFIRMED, 2),
                ("ES", "region", State.CONFIRMED, 2),
                ("DE", "city", State.CONFIRMED, 2),
                ("FR", "ngo", State.WAITING, 2),
            ]
        ),
    ),
]


def load_demo_events(home: Page) -> EventIndexPage:
    """The event index below `home` with the demo events, their participants and report."""
    index = EventIndexPage.objects.first()
    if index is None:
        index = EventIndexPage(**INDEX, live=False, show_in_menus=True)
        home.add_child(instance=index)
        index.save_revision().publish()
        index = EventIndexPage.objects.get(pk=index.pk)
    existing = set(index.get_children().values_list("slug", flat=True))
    for demo in EVENTS:
        if demo.slug not in existing:
            _publish(index, demo)
    return index


def _publish(index: EventIndexPage, demo: DemoEvent) -> None:
    partnership = Partnership.objects.filter(slug=MIGRANTS).first()
    event = EventPage(
        title=demo.title,
        slug=demo.slug,
        summary=demo.summary,
        kind=demo.kind,
        format=demo.format,
        description=demo.description,
        start_date=demo.start,
        start_time=demo.start_time,
        end_time=demo.end_time,
        venue=demo.venue,
        joining_link=demo.joining_link,
        capacity=demo.capacity,
        has_waiting_list=demo.has_waiting_list,
        organiser_name=ORGANISER[0],
        organiser_email=ORGANISER[1],
        partnership=partnership,
        action=Action.objects.filter(partnership=partnership, number=demo.action).first()
        if demo.action
        else None,
        live=False,
    )
    event.themes = list(Theme.objects.filter(slug__in=demo.themes))
    if demo.presented_theme:
        for practice in PracticePage.objects.live().filter(themes__slug=demo.presented_theme)[:2]:
            event.practices.add(EventPractice(practice=practice))
    index.add_child(instance=event)
    event.save_revision().publish()
    event = EventPage.objects.get(pk=event.pk)
    _participants(event, demo.participants)
    if demo.report:
        report = OutcomeReportPage(slug="outcome-report", live=False, **demo.report)
        event.add_child(instance=report)
        # Published as an editor would, but the demo participants are not e-mailed.
        OutcomeReportPage.objects.filter(pk=report.pk).update(participants_told_at=timezone.now())
        report.refresh_from_db()
        report.save_revision().publish()


def _participants(event: EventPage, participants: list[tuple[str, str, str]]) -> None:
    base = event.starts_at - datetime.timedelta(days=14)
    for number, (country, organisation_type, state) in enumerate(participants, start=1):
        registration = sync(
            Registration,
            {"event": event, "email": f"participant{number}.{event.slug[:30]}@example.test"},
            {
                "first_name": "Demo",
                "last_name": f"Participant {number}",
                "organisation": f"Demo organisation {number}",
                "organisation_type": organisation_type,
                "country": country,
                "state": state,
                "waiting_since": base + datetime.timedelta(minutes=number)
                if state == State.WAITING
                else None,
                "checked_in_at": event.starts_at if state == State.ATTENDED else None,
            },
        )
        if not registration.changes.exists():
            path = [State.CONFIRMED, State.ATTENDED] if state == State.ATTENDED else [state]
            previous = ""
            for to_state in path:
                RegistrationChange.objects.create(
                    registration=registration, from_state=previous, to_state=to_state
                )
                previous = to_state
