"""`manage.py send_practice_alerts`: e-mail every alert its digest of new practices (cron).

Run it daily: daily alerts get one digest a day, weekly ones one a week (ISO weeks), each once
whatever happens (see practices.alerts). Unconfirmed alerts older than a week are deleted.
"""

from django.core.management.base import BaseCommand

from practices import alerts
from practices.models import AlertFrequency


class Command(BaseCommand):
    help = "E-mail the digests of the practice alerts (run daily from cron)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency",
            choices=AlertFrequency.values,
            action="append",
            help="Only these alerts (default: daily and weekly).",
        )

    def handle(self, *args, frequency=None, **options):
        purged = alerts.purge_unconfirmed()
        run = alerts.send_digests(frequencies=frequency)
        self.stdout.write(
            f"{run.sent} digests sent, {run.already_sent} already sent in this period, "
            f"{run.empty} alerts with nothing new, {purged} unconfirmed alerts deleted."
        )
