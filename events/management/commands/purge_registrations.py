"""`manage.py purge_registrations`: remove personal data of old registrations (run daily)."""

from django.core.management.base import BaseCommand

from events import services


class Command(BaseCommand):
    help = (
        "Remove the names, addresses, organisations and answers of registrations whose event "
        "ended more than EVENT_REGISTRATION_RETENTION_MONTHS ago; the anonymous counts stay."
    )

    def handle(self, *args, **options):
        purged = services.purge_registrations()
        if options["verbosity"] > 0:
            self.stdout.write(f"Removed the personal data of {purged} registration(s).")
