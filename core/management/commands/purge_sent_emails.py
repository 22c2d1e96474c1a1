"""`manage.py purge_sent_emails`: delete sent e-mails once nobody needs them (personal data)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core import mail


class Command(BaseCommand):
    help = (
        "Delete the e-mails sent more than EMAIL_KEEP_SENT_DAYS days ago. Failed and queued "
        "e-mails stay until they are sent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Keep this many days instead (default: {settings.EMAIL_KEEP_SENT_DAYS}).",
        )

    def handle(self, *args, **options):
        if options["days"] is not None and options["days"] < 0:
            raise CommandError("--days must be 0 or more.")
        deleted = mail.purge_sent(options["days"])
        if options["verbosity"] > 0:
            self.stdout.write(f"Deleted {deleted} sent e-mail(s).")
