"""core.mail: every e-mail is recorded, queued after the commit, retried, and can be re-sent."""

import ast
import email
import re
import subprocess
from datetime import timedelta
from email.mime.text import MIMEText
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail import BadHeaderError, EmailMessage
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import mail as core_mail
from core.models import OutgoingEmail
from tests.factories import FAILING_MAIL_SERVER, make_member

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
State = OutgoingEmail.State

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Urban Exchange//EN\r\nMETHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\nUID:webinar-7@urbanexchange.test\r\nSUMMARY:Webinar on EU funds\r\n"
    "DTSTART:20270115T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
TEMPLATES = {
    "invite_subject.txt": "Invitation:\n {{ title }}",
    "invite_body.txt": "{% get_current_language as lang %}[{{ lang }}] Hello {{ person.email }}, "
    "join {{ title }} at {{ url }}",
    "invite_body.html": "<p>Join <strong>{{ title }}</strong></p>",
    "plain_subject.txt": "A plain note",
    "plain_body.txt": "{% get_current_language as lang %}[{{ lang }}] {{ site_name }}",
}


@pytest.fixture
def mail_templates(settings):
    """Templates for the tests' own e-mails, beside the site's."""
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {
            **engine,
            "APP_DIRS": False,
            "OPTIONS": {
                **engine["OPTIONS"],
                "builtins": ["django.templatetags.i18n"],
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {f"tests/{name}": text for name, text in TEMPLATES.items()},
                    ),
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]


FAILING = FAILING_MAIL_SERVER


def send_invite(person, **kwargs):
    return core_mail.send_templated(
        "tests/invite",
        person,
        {"title": "Webinar on EU funds", "url": core_mail.absolute_url("/events/7/")},
        reply_to=["Events team <events@urbanexchange.test>"],
        headers={"X-Urban-Exchange-Event": "7"},
        alternatives=[(ICS, "text/calendar; method=REQUEST; charset=utf-8")],
        attachments=[("invite.ics", ICS.encode(), "application/ics")],
        **kwargs,
    )


def parts(message) -> list[tuple[str, str]]:
    return [
        (part.get_content_type(), part.get("Content-Disposition", "")) for part in message.walk()
    ]


# --- What arrives -------------------------------------------------------------------------------


def test_an_invitation_keeps_its_structure_through_the_queue(
    mail_templates, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        queued = send_invite(member)
        assert mail.outbox == [], "nothing leaves before the transaction commits"

    [sent] = mail.outbox
    # What the backend got was rebuilt from the stored record, not the sender's object.
    queued.refresh_from_db()
    assert queued.state == State.SENT and queued.attempts == 1 and queued.sent_at
    parsed = email.message_from_bytes(sent.message().as_bytes())

    assert parts(parsed) == [
        ("multipart/mixed", ""),
        ("multipart/alternative", ""),
        ("text/plain", ""),
        ("text/html", ""),
        ("text/calendar", ""),
        ("application/ics", 'attachment; filename="invite.ics"'),
    ]
    plain, html, calendar, attachment = list(parsed.walk())[2:]
    assert calendar.get_params() == [
        ("text/calendar", ""),
        ("method", "REQUEST"),
        ("charset", "utf-8"),
    ]
    assert calendar.get_payload(decode=True).decode() == ICS.replace("\r\n", "\n")
    assert attachment.get_payload(decode=True) == ICS.encode()
    assert "<strong>Webinar on EU funds</strong>" in html.get_payload(decode=True).decode()
    assert "join Webinar on EU funds at http://testserver/events/7/" in plain.get_payload(
        decode=True
    ).decode("utf-8")
    assert parsed["Subject"] == "Invitation: Webinar on EU funds"
    assert parsed["To"] == member.email
    assert parsed["Reply-To"] == "Events team <events@urbanexchange.test>"
    assert parsed["X-Urban-Exchange-Event"] == "7"
    assert parsed["Message-ID"] == queued.headers["Message-ID"]


def test_the_recipients_language_is_used_unless_the_sender_names_one(
    mail_templates, member, django_capture_on_commit_callbacks
):
    member.preferred_language = "fr"
    with django_capture_on_commit_callbacks(execute=True):
        send_invite(member)
        send_invite(member, language="de")
        core_mail.send_templated("tests/plain", "someone@lille.test", {})

    assert [message.body.split("]")[0] for message in mail.outbox] == ["[fr", "[de", "[en"]
    assert mail.outbox[2].body == "[en] Urban Exchange"  # site_name is in every context
    assert mail.outbox[2].alternatives == []  # no HTML template: text only


def test_nothing_is_queued_for_a_person_without_an_address(mail_templates, member):
    member.email = ""
    assert send_invite(member) is None
    assert not OutgoingEmail.objects.exists()


def test_a_rolled_back_action_sends_nothing(
    mail_templates, member, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send_invite(member)
        raise RuntimeError("the registration failed")
    assert callbacks == []
    assert not OutgoingEmail.objects.exists()
    assert mail.outbox == []


def test_a_message_that_cannot_be_built_is_refused_when_it_is_queued():
    message = EmailMessage(
        "Hello", "Body", to=["a@lille.test"], reply_to=["a@x.test\nBcc: b@x.test"]
    )
    with pytest.raises(BadHeaderError):
        core_mail.queue_email(message)
    assert not OutgoingEmail.objects.exists()


def test_a_subject_is_one_line_whatever_the_title_brought(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        core_mail.queue_email(
            EmailMessage("About\r\n “TAST'in\tFIVES”", "Body", to=["a@lille.test"])
        )
    assert mail.outbox[0].subject == "About “TAST'in FIVES”"


def test_attachments_must_be_plain_tuples_to_survive_the_queue():
    message = EmailMessage("Hello", "Body", to=["a@lille.test"])
    message.attach(MIMEText("a MIME object"))
    with pytest.raises(TypeError):
        core_mail.queue_email(message)


def test_an_email_runs_once_even_if_its_task_runs_twice(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queued = core_mail.queue_email(EmailMessage("Hello", "Body", to=["a@lille.test"]))
    core_mail.send_email.call(queued.pk)
    assert len(mail.outbox) == 1


# --- Retries ------------------------------------------------------------------------------------


def test_on_the_immediate_backend_a_failing_email_is_tried_at_once_then_failed(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_DELIVERY_BACKEND = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        queued = core_mail.queue_email(EmailMessage("Hello", "Body", to=["a@lille.test"]))

    queued.refresh_from_db()
    assert queued.state == State.FAILED
    assert queued.attempts == core_mail.MAX_ATTEMPTS > 1
    assert queued.last_error == "ConnectionRefusedError: The mail server is down."
    assert queued.next_attempt_at is None
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_on_the_database_backend_retries_wait_then_the_email_fails(settings):
    """As in production: the task queue in the database, run by `manage.py db_worker`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_DELIVERY_BACKEND = FAILING
    queued = core_mail.queue_email(EmailMessage("Hello", "Body", to=["a@lille.test"]))
    assert DBTaskResult.objects.ready().count() == 1, "queued once the (auto)commit happened"

    for attempt, delay in enumerate(core_mail.RETRY_DELAYS, start=1):
        started = timezone.now()
        run_worker()
        queued.refresh_from_db()
        assert (queued.state, queued.attempts) == (State.QUEUED, attempt)
        [retry] = DBTaskResult.objects.filter(status="READY")
        assert retry.args_kwargs == {"args": [queued.pk], "kwargs": {}}
        assert started + delay <= retry.run_after <= timezone.now() + delay
        assert retry.run_after == queued.next_attempt_at
        assert not DBTaskResult.objects.ready().exists(), "the retry waits"
        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # time passes

    run_worker()
    queued.refresh_from_db()
    assert (queued.state, queued.attempts) == (State.FAILED, core_mail.MAX_ATTEMPTS)
    assert not DBTaskResult.objects.filter(status="READY").exists()

    # The server is back: the admin's command queues it again and the worker delivers it.
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("resend_failed_emails", verbosity=0)
    run_worker()
    queued.refresh_from_db()
    assert queued.state == State.SENT
    assert [message.subject for message in mail.outbox] == ["Hello"]


def run_worker():
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", verbosity=0)


# --- Admins -------------------------------------------------------------------------------------


@pytest.fixture
def failed_email(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_DELIVERY_BACKEND = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        queued = core_mail.queue_email(
            EmailMessage("Your practice was published", "Body", to=["anna@mechelen.test"])
        )
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    queued.refresh_from_db()
    assert queued.state == State.FAILED
    return queued


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@urbanexchange.test", "pw")
    client.force_login(admin)
    return client


def test_admins_see_failed_emails_and_send_one_again(
    admin_client, failed_email, django_capture_on_commit_callbacks
):
    home = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("core_outgoingemail:index") in home, "in the Settings menu"
    index = admin_client.get(reverse("core_outgoingemail:index"))
    html = index.content.decode()
    assert "Your practice was published" in html
    assert "Failed" in html and "ConnectionRefusedError" in html
    resend_url = reverse("core_outgoingemail:resend", args=[failed_email.pk])
    assert resend_url in html
    inspect = admin_client.get(reverse("core_outgoingemail:inspect", args=[failed_email.pk]))
    assert "anna@mechelen.test" in inspect.content.decode()
    assert resend_url in inspect.content.decode()

    confirm = admin_client.get(resend_url)
    assert confirm.status_code == 200 and mail.outbox == [], "a GET only asks"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(resend_url)

    assert response.status_code == 302
    failed_email.refresh_from_db()
    assert (failed_email.state, failed_email.last_error) == (State.SENT, "")
    assert [message.to for message in mail.outbox] == [["anna@mechelen.test"]]
    assert (
        reverse("core_outgoingemail:resend", args=[failed_email.pk])
        not in admin_client.get(reverse("core_outgoingemail:index")).content.decode()
    )


def test_admins_send_every_failed_email_again_at_once(
    admin_client, failed_email, django_capture_on_commit_callbacks
):
    url = reverse("core_outgoingemail:resend_failed")
    assert url in admin_client.get(reverse("core_outgoingemail:index")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url)
    assert len(mail.outbox) == 1


def test_emails_are_for_superusers_only(client, failed_email):
    from core import roles

    editor = make_member("editor@urbanexchange.test", groups=[roles.EDITORS], is_staff=True)
    client.force_login(editor)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    for url in [
        reverse("core_outgoingemail:index"),
        reverse("core_outgoingemail:inspect", args=[failed_email.pk]),
        reverse("core_outgoingemail:resend", args=[failed_email.pk]),
    ]:
        assert client.get(url).status_code in {302, 403}, url
    assert client.post(reverse("core_outgoingemail:resend_failed")).status_code in {302, 403}
    failed_email.refresh_from_db()
    assert failed_email.state == State.FAILED
    assert (
        reverse("core_outgoingemail:index")
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )


def test_nobody_writes_or_edits_an_email_in_the_admin(admin_client, failed_email):
    assert admin_client.get(reverse("core_outgoingemail:add")).status_code in {302, 403}
    assert admin_client.get(
        reverse("core_outgoingemail:edit", args=[failed_email.pk])
    ).status_code in {302, 403}


def test_the_command_sends_failed_emails_again(failed_email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("resend_failed_emails", verbosity=0)
    failed_email.refresh_from_db()
    assert failed_email.state == State.SENT
    assert len(mail.outbox) == 1


def test_the_command_queues_again_an_email_whose_task_was_lost(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False):  # the commit's callback is lost
        queued = core_mail.queue_email(EmailMessage("Hello", "Body", to=["a@lille.test"]))
    call_command("resend_failed_emails", verbosity=0)
    assert mail.outbox == [], "not late yet: its task may still come"

    OutgoingEmail.objects.filter(pk=queued.pk).update(
        next_attempt_at=timezone.now() - core_mail.STALLED_AFTER - timedelta(minutes=1)
    )
    call_command("resend_failed_emails", verbosity=0)
    assert len(mail.outbox) == 1


def test_sent_emails_are_purged_after_the_configured_days(settings, failed_email):
    settings.EMAIL_KEEP_SENT_DAYS = 30
    now = timezone.now()
    old, recent = (
        OutgoingEmail.objects.create(
            subject=subject, from_email="x@y.test", state=State.SENT, sent_at=now - age
        )
        for subject, age in [("old", timedelta(days=31)), ("recent", timedelta(days=29))]
    )

    call_command("purge_sent_emails", verbosity=0)

    assert set(OutgoingEmail.objects.values_list("subject", flat=True)) == {
        "recent",
        failed_email.subject,
    }
    call_command("purge_sent_emails", "--days", "0", verbosity=0)
    assert list(OutgoingEmail.objects.all()) == [failed_email], "failed ones stay"


# --- Every sender goes through core.mail --------------------------------------------------------

PROJECT_PACKAGES = [
    path.parent
    for path in ROOT.glob("*/__init__.py")
    if path.parent.name not in {"tests", "benchmarks"}
]


def test_no_module_but_core_mail_sends_email_itself():
    """Sending means importing Django's mail API; only core/mail.py may."""
    offenders = []
    for package in PROJECT_PACKAGES:
        for path in package.rglob("*.py"):
            if path == ROOT / "core" / "mail.py" or "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                names = []
                if isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
                elif isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                if any(name.startswith("django.core.mail") for name in names):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert {package.name for package in PROJECT_PACKAGES} >= {"core", "accounts", "practices"}
    assert offenders == []


# --- Links and the site's name ------------------------------------------------------------------


def test_make_run_points_links_at_the_port_it_serves_on():
    def dry_run(*args, **env):
        result = subprocess.run(  # noqa: S603
            ["make", "-n", "run", *args],  # noqa: S607
            cwd=ROOT,
            env={"PATH": "/usr/bin:/bin", **env},
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    assert re.search(
        r"BASE_URL='http://127.0.0.1:8123' \S+ manage.py runserver 127.0.0.1:8123",
        dry_run("PORT=8123"),
    )
    assert "BASE_URL='http://127.0.0.1:8123' .venv/bin/python manage.py load_demo" in dry_run(
        "PORT=8123"
    )
    assert "BASE_URL='https://urbanexchange.eu' " in dry_run(
        "PORT=8123", BASE_URL="https://urbanexchange.eu"
    )


def test_absolute_url_is_on_base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8123/"
    assert core_mail.absolute_url("/practices/") == "http://127.0.0.1:8123/practices/"
    assert core_mail.absolute_url("my/") == "http://127.0.0.1:8123/my/"


def test_the_site_is_named_after_the_wagtail_site_else_the_setting(home_page):
    from wagtail.models import Site

    assert core_mail.mail_site().name == "Urban Exchange"
    Site.objects.update(site_name="Urban Exchange (staging)")
    assert core_mail.mail_site().name == "Urban Exchange (staging)"
    assert core_mail.mail_site().domain == "testserver"
