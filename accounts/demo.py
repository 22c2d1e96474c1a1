"""Demo accounts, one for each role, so that a fresh site can be tried at once.

A password is made up only when its account is created and never changed afterwards: running
`load_demo` again must not lock out someone who wrote a password down. Set `DEMO_PASSWORD` to
give new accounts a password you know instead; that is what the tests do.

Every demo account has a verified, primary e-mail address, so it can sign in and use the
member pages straight away.
"""

import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from core import roles

from .models import OrganisationType, User

# The name of the environment variable, not a password.
DEMO_PASSWORD_VARIABLE = "DEMO_PASSWORD"  # noqa: S105
CREDENTIALS_FILE_NAME = "demo-accounts.txt"


@dataclass(frozen=True)
class DemoPerson:
    """Who a demo account belongs to: a role, an address and a profile."""

    role: str
    email: str
    first_name: str
    last_name: str
    group: str | None = None
    is_superuser: bool = False
    profile: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoAccount:
    """What `load_demo_accounts` did for one person."""

    role: str
    email: str
    # None: the account existed already and its password was left alone.
    password: str | None
    # True: the password is the DEMO_PASSWORD the person set, so it need not be shown.
    password_from_environment: bool = False

    @property
    def created(self) -> bool:
        return self.password is not None


# Staff roles reach the Wagtail admin through their group's "access admin" permission, not
# through is_staff, which only the administrator has (it opens Django's own admin as well).
DEMO_PEOPLE: list[DemoPerson] = [
    DemoPerson(
        "admin",
        "admin@urbanexchange.test",
        "Alex",
        "Janssens",
        is_superuser=True,
        profile={
            "organisation": "Urban Exchange",
            "organisation_type": OrganisationType.OTHER,
            "job_title": "Site administrator",
        },
    ),
    DemoPerson(
        "moderator",
        "moderator@urbanexchange.test",
        "Marta",
        "Kowalska",
        group=roles.MODERATORS,
        profile={
            "organisation": "Urban Exchange",
            "organisation_type": OrganisationType.OTHER,
            "job_title": "Practice library moderator",
        },
    ),
    DemoPerson(
        "editor",
        "editor@urbanexchange.test",
        "Elena",
        "Rossi",
        group=roles.EDITORS,
        profile={
            "organisation": "Urban Exchange",
            "organisation_type": OrganisationType.OTHER,
            "job_title": "Events editor",
        },
    ),
    DemoPerson(
        "expert",
        "expert@urbanexchange.test",
        "Jonas",
        "Lindqvist",
        group=roles.EXPERTS,
        profile={
            "organisation": "Independent researcher",
            "organisation_type": OrganisationType.UNIVERSITY,
            "job_title": "Expert in labour-market integration of refugees",
            "city": "Stockholm",
            "country": "SE",
        },
    ),
    DemoPerson(
        "member",
        "member@urbanexchange.test",
        "Sofie",
        "Peeters",
        profile={
            "organisation": "City of Mechelen",
            "organisation_type": OrganisationType.CITY,
            "job_title": "Integration policy officer",
            "city": "Mechelen",
            "country": "BE",
        },
    ),
]


def load_demo_accounts() -> list[DemoAccount]:
    """Create the demo accounts that do not exist yet; leave the others' passwords alone.

    Returns one entry per demo person, with the password if the account was just created.
    """
    fixed_password = os.environ.get(DEMO_PASSWORD_VARIABLE) or None
    users = {person.email: _existing_user(person) for person in DEMO_PEOPLE}
    missing = [person for person in DEMO_PEOPLE if users[person.email] is None]
    passwords = {person.email: fixed_password or generate_password() for person in missing}
    hashes = _hash_passwords([passwords[person.email] for person in missing])
    for person, password_hash in zip(missing, hashes, strict=True):
        users[person.email] = _create_user(person, password_hash)
    accounts = []
    for person in DEMO_PEOPLE:
        user = users[person.email]
        # Group and address are repaired on every run: without them the account cannot do
        # its job.
        if person.group:
            user.groups.add(Group.objects.get(name=person.group))
        _verify_email(user, person.email)
        password = passwords.get(person.email)
        accounts.append(
            DemoAccount(
                role=person.role,
                email=person.email,
                password=password,
                password_from_environment=password is not None and password == fixed_password,
            )
        )
    return accounts


def generate_password() -> str:
    """A random password of 16 URL-safe characters, easy to copy from a terminal."""
    return secrets.token_urlsafe(12)


def _existing_user(person: DemoPerson) -> User | None:
    return User.objects.filter(email__iexact=person.email).first()


def _hash_passwords(passwords: list[str]) -> list[str]:
    # The default hasher (PBKDF2) takes about 0.3 s a password on purpose, and releases the
    # GIL while it works: hashing side by side keeps a first run quick.
    if len(passwords) < 2:
        return [make_password(password) for password in passwords]
    with ThreadPoolExecutor(max_workers=len(passwords)) as pool:
        return list(pool.map(make_password, passwords))


def _create_user(person: DemoPerson, password_hash: str) -> User:
    return User.objects.create(
        username=_free_username(person),
        email=person.email,
        password=password_hash,
        first_name=person.first_name,
        last_name=person.last_name,
        is_staff=person.is_superuser,
        is_superuser=person.is_superuser,
        **person.profile,
    )


def _free_username(person: DemoPerson) -> str:
    # People sign in with their e-mail address; the username only has to be unique. A site
    # may already have an "admin" made with createsuperuser.
    username = person.email.split("@")[0]
    if User.objects.filter(username=username).exists():
        return person.email
    return username


def _verify_email(user: User, email: str) -> None:
    address, _ = EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True}
    )
    if not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    if not address.primary:
        # Unmarks any other primary address first: a user has at most one.
        address.set_as_primary()


# --- Credentials file --------------------------------------------------------------------------


def credentials_path() -> Path:
    """Where the passwords of newly created demo accounts are written (var/demo-accounts.txt)."""
    return Path(settings.VAR_DIR) / CREDENTIALS_FILE_NAME


def save_credentials(accounts: list[DemoAccount]) -> Path | None:
    """Write the just-created accounts' passwords to the credentials file, readable by its owner
    only. Returns the file, or None when no account was created.

    Call it once the accounts are committed: a rolled-back run must not leave passwords of
    accounts that do not exist.
    """
    created = [account for account in accounts if account.created]
    if not created:
        return None
    path = credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Every account new means a new database: the lines already in the file are stale.
    # Otherwise a role was added since the last run, and the earlier lines still hold.
    fresh = len(created) == len(accounts)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if fresh else os.O_APPEND)
    descriptor = os.open(path, flags, 0o600)
    # os.open's mode applies only when it creates the file, and then minus the umask.
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as credentials:
        if fresh:
            credentials.write(
                "# Urban Exchange demo accounts. Sign in with the e-mail address and password.\n"
            )
        credentials.write(f"# Created by manage.py load_demo on {datetime.now():%Y-%m-%d %H:%M}\n")
        credentials.writelines(f"{line}\n" for line in format_credentials(created))
    return path


def format_credentials(accounts: list[DemoAccount]) -> list[str]:
    """One aligned line per created account: role, e-mail address, password."""
    width = max((len(account.email) for account in accounts), default=0)
    return [
        f"{account.role:<10} {account.email:<{width}}  {_shown_password(account)}"
        for account in accounts
        if account.created
    ]


def _shown_password(account: DemoAccount) -> str:
    # A password the person chose stays out of files and logs: they know it already.
    if account.password_from_environment:
        return f"(the value of {DEMO_PASSWORD_VARIABLE})"
    return account.password or ""
