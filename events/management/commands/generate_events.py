"""`manage.py generate_events N`: many published events with registrations, for load tests.

Events are published the way an editor's request publishes them (add_child, save_revision,
publish): 1,000 take about a minute. Registrations are written in bulk (they are plain rows),
spread over the events, with one event holding `--big-event` of them, so that the benchmark can
ask for the page of an event with thousands of participants. Generated events have slugs
starting with "generated-"; `--clear` deletes them and their registrations.
"""

import datetime
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.countries import EUROPEAN_COUNTRIES
from accounts.models import OrganisationType
from events.models import (
    EventFormat,
    EventIndexPage,
    EventKind,
    EventPage,
    Registration,
    RegistrationChange,
    RegistrationState,
)
from practices.models import Partnership, Theme

SLUG_PREFIX = "generated-"
BATCH_SIZE = 2000
TOPICS = [
    "early labour-market integration",
    "language learning for newcomers",
    "inclusive schools",
    "housing first",
    "funding for integration",
    "countering disinformation",
    "participation of migrants",
    "child poverty",
    "neighbourhood regeneration",
    "skills recognition",
]
COUNTRIES = [code for code, _name in EUROPEAN_COUNTRIES]
STATES = [
    (RegistrationState.CONFIRMED, 70),
    (RegistrationState.ATTENDED, 15),
    (RegistrationState.WAITING, 5),
    (RegistrationState.CANCELLED, 8),
    (RegistrationState.AWAITING_APPROVAL, 2),
]


class Command(BaseCommand):
    help = "Add N generated events with registrations below the event index."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, nargs="?", default=1000)
        parser.add_argument("--registrations", type=int, default=50_000)
        parser.add_argument("--big-event", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--clear", action="store_true")

    def handle(self, *args, count, registrations, big_event, seed, clear, **options):
        if clear:
            generated = EventPage.objects.filter(slug__startswith=SLUG_PREFIX)
            deleted = generated.count()
            for event in generated:
                event.delete()
            self.stdout.write(f"Deleted {deleted} generated event(s).")
            return
        if count < 1 or registrations < 0 or big_event > registrations:
            raise CommandError("Give at least one event, and --big-event <= --registrations.")
        index = EventIndexPage.objects.first()
        if index is None:
            raise CommandError("There is no event index: run load_demo first.")
        started = time.monotonic()
        rng = random.Random(seed)
        events = self._events(index, count, rng)
        self._registrations(events, registrations, big_event, rng)
        self.stdout.write(
            f"Added {count} events and {registrations} registrations "
            f"in {time.monotonic() - started:.0f} s."
        )

    def _events(self, index, count, rng) -> list[EventPage]:
        themes = list(Theme.objects.all())
        partnerships = list(Partnership.objects.all())
        today = timezone.localdate()
        taken = set(index.get_children().values_list("slug", flat=True))
        events = []
        with transaction.atomic():
            for number in range(count):
                slug = f"{SLUG_PREFIX}{number}"
                if slug in taken:
                    continue
                kind = rng.choice(EventKind.values)
                topic = rng.choice(TOPICS)
                event = EventPage(
                    title=f"{EventKind(kind).label} on {topic} ({number})",
                    slug=slug,
                    summary=f"Cities compare what they do about {topic}.",
                    kind=kind,
                    format=rng.choice(EventFormat.values),
                    start_date=today + datetime.timedelta(days=rng.randint(-700, 365)),
                    start_time=datetime.time(rng.choice([9, 10, 11, 14, 15]), 0),
                    end_time=datetime.time(17, 0),
                    organiser_name="Generated organiser",
                    organiser_email="organiser@example.test",
                    joining_link=f"https://meet.example.test/{number}",
                    capacity=rng.choice([None, 50, 100, 200]),
                    partnership=rng.choice(partnerships) if partnerships else None,
                    live=False,
                )
                event.themes = rng.sample(themes, k=min(len(themes), 2))
                index.add_child(instance=event)
                event.save_revision().publish()
                events.append(EventPage.objects.get(pk=event.pk))
        return events

    def _registrations(self, events, total, big_event, rng) -> None:
        if not events:
            return
        states = [state for state, _weight in STATES]
        weights = [weight for _state, weight in STATES]
        big, others = events[0], events[1:] or events
        rows = []
        with transaction.atomic():
            for number in range(total):
                event = big if number < big_event else rng.choice(others)
                state = rng.choices(states, weights)[0]
                rows.append(
                    Registration(
                        event=event,
                        email=f"participant{number}@example.test",
                        first_name="Generated",
                        last_name=f"Participant {number}",
                        organisation=f"Organisation {number % 500}",
                        organisation_type=rng.choice(OrganisationType.values),
                        country=rng.choice(COUNTRIES),
                        state=state,
                        waiting_since=timezone.now()
                        if state == RegistrationState.WAITING
                        else None,
                    )
                )
                if len(rows) >= BATCH_SIZE:
                    self._write(rows)
                    rows = []
            self._write(rows)

    @staticmethod
    def _write(rows) -> None:
        created = Registration.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        if created and created[0].pk is not None:
            RegistrationChange.objects.bulk_create(
                [RegistrationChange(registration=r, to_state=r.state) for r in created],
                batch_size=BATCH_SIZE,
            )
