"""`manage.py load_demo`: demo content for a new site, safe to run again.

Each app owns its demo content in `<app>/demo.py`, as `load_demo_<things>()` functions that:

- look rows up by a natural key (slug, ISO code, e-mail address, a page's slug below its
  parent) and create only what is missing, so that a second run changes nothing;
- never change what a person may rely on: passwords, and pages an editor may have edited;
- take the objects they hang from as arguments, such as the home page for an app's index page
  (apps below `home` cannot import it).

This command calls them in dependency order inside one transaction, and counts the rows of the
models listed in `counted_models()` before and after. To add an app's demo content, call its
loader in `load_demo()` below and add its models to `counted_models()`: the summary, and the
test that a second run changes nothing (tests/test_load_demo.py), then cover them too.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import models, transaction

from academy.demo import load_demo_academy
from accounts.demo import (
    DemoAccount,
    credentials_path,
    format_credentials,
    load_demo_accounts,
    save_credentials,
)
from events.demo import load_demo_events
from home.demo import load_demo_pages
from practices.demo import load_demo_taxonomy
from practices.demo_opinions import load_demo_opinions
from practices.demo_practices import load_demo_practices
from practices.demo_submissions import load_demo_submissions


def load_demo() -> list[DemoAccount]:
    """Load every app's demo content in one transaction; return what happened to the accounts."""
    with transaction.atomic():
        # The home page this returns is the parent for the index pages later apps add, as in
        # `load_demo_events(home)`, called below the loaders whose rows it needs.
        home = load_demo_pages()
        load_demo_taxonomy()
        library = load_demo_practices(home)
        accounts = load_demo_accounts()
        # Submitted by the demo member, one sent back by the demo moderator: a newcomer sees
        # the whole workflow on both sides.
        user_model = apps.get_model(settings.AUTH_USER_MODEL)
        load_demo_submissions(
            library,
            member=user_model.objects.get(email="member@urbanexchange.test"),
            moderator=user_model.objects.get(email="moderator@urbanexchange.test"),
        )
        # The demo expert's published opinion on a seed practice.
        load_demo_opinions(
            expert=user_model.objects.get(email="expert@urbanexchange.test"),
            moderator=user_model.objects.get(email="moderator@urbanexchange.test"),
        )
        load_demo_events(home)
        # After the accounts: the demo expert and member take part in the Academy's editions.
        load_demo_academy(home)
        return accounts


def counted_models() -> list[tuple[str, type[models.Model]]]:
    """The models whose row counts the summary shows, by label, in the order shown."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return [
        ("pages", apps.get_model("wagtailcore", "Page")),
        ("page revisions", apps.get_model("wagtailcore", "Revision")),
        ("sites", apps.get_model("wagtailcore", "Site")),
        ("themes", apps.get_model("practices", "Theme")),
        ("funds", apps.get_model("practices", "Fund")),
        ("governance levels", apps.get_model("practices", "GovernanceLevel")),
        ("target groups", apps.get_model("practices", "TargetGroup")),
        ("countries", apps.get_model("practices", "Country")),
        ("cities", apps.get_model("practices", "City")),
        ("partnerships", apps.get_model("practices", "Partnership")),
        ("actions", apps.get_model("practices", "Action")),
        ("practice libraries", apps.get_model("practices", "PracticeIndexPage")),
        ("practices", apps.get_model("practices", "PracticePage")),
        ("practice funds", apps.get_model("practices", "PracticeFund")),
        ("practice links", apps.get_model("practices", "PracticeLink")),
        ("workflow states", apps.get_model("wagtailcore", "WorkflowState")),
        ("expert opinions", apps.get_model("practices", "ExpertOpinion")),
        ("events", apps.get_model("events", "EventPage")),
        ("registrations", apps.get_model("events", "Registration")),
        ("outcome reports", apps.get_model("events", "OutcomeReportPage")),
        ("Academy editions", apps.get_model("academy", "AcademyEditionPage")),
        ("dilemmas", apps.get_model("academy", "Dilemma")),
        ("reviews", apps.get_model("academy", "Review")),
        ("feedback", apps.get_model("academy", "Feedback")),
        ("users", user_model),
        ("e-mail addresses", apps.get_model("account", "EmailAddress")),
        ("group memberships", user_model.groups.through),
    ]


def count_rows() -> dict[str, int]:
    return {label: model._default_manager.count() for label, model in counted_models()}


# Every save logs at INFO: Wagtail each page it creates and publishes, django-tasks each search
# and reference index update (two per row). Shown with --verbosity 2.
CHATTY_LOGGERS = ["wagtail", "django_tasks"]


@contextmanager
def _logging_at_warning(*names: str) -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class Command(BaseCommand):
    help = (
        "Load demo content: the home page and content pages, the taxonomy from the Urban "
        "Agenda documents, the practice library with practices from them, and one account "
        "per role. Running it again changes nothing; passwords are shown once, when the "
        "accounts are created."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet",
            action="store_true",
            help="Print nothing; new passwords are still written to var/demo-accounts.txt.",
        )

    def handle(self, *args, quiet: bool = False, verbosity: int = 1, **options):
        before = count_rows()
        with _logging_at_warning(*([] if verbosity > 1 else CHATTY_LOGGERS)):
            accounts = load_demo()
        # Only once the accounts are committed: a failed run leaves no stale passwords behind.
        saved_to = save_credentials(accounts)
        if quiet or verbosity == 0:
            return
        self._print_summary(before, count_rows())
        self._print_credentials(accounts, saved_to)

    def _print_summary(self, before: dict[str, int], after: dict[str, int]) -> None:
        added = sum(after.values()) - sum(before.values())
        if added:
            self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo content already loaded: nothing changed."))
        width = max(len(label) for label in after)
        for label, count in after.items():
            new = count - before[label]
            change = f"  (+{new})" if new > 0 else f"  ({new})" if new < 0 else ""
            self.stdout.write(f"  {label:<{width}}  {count:>4}{change}")

    def _print_credentials(self, accounts: list[DemoAccount], saved_to) -> None:
        created = [account for account in accounts if account.created]
        if created:
            self.stdout.write("")
            self.stdout.write(self.style.WARNING("New demo accounts (shown only this once):"))
            for line in format_credentials(created):
                self.stdout.write(f"  {line}")
            self.stdout.write(f"Also written to {saved_to} (readable by you only).")
        existing = [account.email for account in accounts if not account.created]
        if existing:
            path = credentials_path()
            where = (
                f"their passwords are in {path}"
                if path.exists()
                else "their passwords were shown when they were created "
                "(reset one with `manage.py changepassword <username>`)"
            )
            self.stdout.write(f"Demo accounts already there ({', '.join(existing)}): {where}.")
