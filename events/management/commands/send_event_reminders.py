"""`manage.py send_event_reminders`: run it from cron every few minutes (see the README)."""

from django.core.management.base import BaseCommand

from events import services


class Command(BaseCommand):
    help = (
        "E-mail confirmed participants EVENT_REMINDER_HOURS before their event starts (once "
        "each, safe to run every minute and from several machines), and lapse registrations "
        "whose address was not confirmed in time."
    )

    def handle(self, *args, **options):
        sent = services.send_reminders()
        lapsed = services.expire_unconfirmed()
        if options["verbosity"] > 0:
            self.stdout.write(
                f"Sent {sent} reminder(s); {lapsed} unconfirmed registration(s) lapsed."
            )
