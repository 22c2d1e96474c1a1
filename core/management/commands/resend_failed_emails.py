"""`manage.py resend_failed_emails`: queue failed e-mails again, e.g. from cron once the mail
server is back. Also queues again the e-mails whose task was lost (see core.mail)."""

from django.core.management.base import BaseCommand

from core import mail


class Command(BaseCommand):
    help = (
        "Queue every failed e-mail again, with a fresh round of attempts, and the queued "
        "e-mails whose task was lost (their next attempt is over an hour late)."
    )

    def handle(self, *args, **options):
        failed = mail.resend_failed()
        stalled = mail.requeue_stalled()
        if options["verbosity"] > 0:
            self.stdout.write(f"Queued again: {failed} failed, {stalled} stalled e-mail(s).")
