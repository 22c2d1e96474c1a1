"""Alerts for a saved library search: saving, double opt-in, the digests (matching as the library
matches, once per period whatever happens), unsubscribing, and privacy."""

import re
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import OutgoingEmail
from practices import alerts
from practices.library.query import LibraryQuery
from practices.library.results import matching_ids
from practices.models import AlertDigest, PracticeAlert, Theme
from tests.factories import add_practice, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail_goes_out_at_once(monkeypatch):
    """The test's transaction never commits: run the mail queue's callbacks as they come."""
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


@pytest.fixture
def housing(db):
    return Theme.objects.create(name="Housing", slug="housing")


@pytest.fixture
def schools(db):
    return Theme.objects.create(name="Inclusive education", slug="inclusive-education")


def _publish(library, city, number, **fields):
    return add_practice(library, city, number, **fields)


def _digests():
    return [m for m in mail.outbox if "for your alert" in m.subject]


def test_a_member_saves_the_librarys_search_in_one_click(client, library, member, housing):
    client.force_login(member)
    page = client.get(library.url, {"theme": "housing", "q": "rent"}).content.decode()
    assert reverse("alerts:save") in page and 'name="theme" value="housing"' in page
    response = client.post(
        reverse("alerts:save"), {"theme": "housing", "q": "rent", "frequency": "daily"}
    )
    assert response.status_code == 302
    alert = PracticeAlert.objects.get()
    assert alert.user == member and alert.email == member.email and alert.confirmed_at
    assert QueryDict(alert.query)["theme"] == "housing"
    assert alert.description == "“rent” · Theme: Housing"
    dashboard = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Your alerts for new practices" in dashboard and "“rent” · Theme: Housing" in dashboard


def test_a_visitor_confirms_the_address_first(client, library, housing):
    response = client.post(
        reverse("alerts:save"),
        {"theme": "housing", "email": "vera@gent.test", "frequency": "weekly"},
    )
    assert response.status_code == 302
    alert = PracticeAlert.objects.get()
    assert alert.confirmed_at is None and alert.user is None
    (message,) = mail.outbox
    link = re.search(r"https?://\S+/alerts/confirm/\S+/", message.body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)
    assert client.get(path).status_code == 200  # a button, not the link, confirms
    assert PracticeAlert.objects.get().confirmed_at is None
    client.post(path)
    assert PracticeAlert.objects.get().confirmed_at is not None


def test_a_bad_address_is_refused_next_to_the_field(client, library):
    response = client.post(reverse("alerts:save"), {"email": "not an address\x07"})
    assert response.status_code == 400
    assert "field--error" in response.content.decode()
    assert not PracticeAlert.objects.exists()


def test_an_alert_finds_exactly_what_its_search_finds(library, mechelen, member, housing, schools):
    queries = [
        {},
        {"theme": ["housing"]},
        {"theme": ["housing", "inclusive-education"]},
        {"q": ["tenants"]},
        {"q": ["tenants"], "theme": ["inclusive-education"]},
    ]
    saved = []
    for data in queries:
        querydict = QueryDict(mutable=True)
        for key, values in data.items():
            querydict.setlist(key, values)
        saved.append(
            alerts.save_alert(alerts.alert_query(querydict), email=member.email, user=member)
        )
    _publish(library, mechelen, 1, themes=[housing], summary="Tenants' councils in every block.")
    _publish(library, mechelen, 2, themes=[schools], summary="Homework clubs run by tenants.")
    _publish(library, mechelen, 3, themes=[housing, schools], summary="Schools in social housing.")
    _publish(library, mechelen, 4, summary="A job fair.")

    alerts.send_digests()

    for alert in saved:
        digest = AlertDigest.objects.filter(alert=alert).first()
        expected = set(matching_ids(library, alerts.query_of(alert)))
        assert set(digest.practice_ids if digest else []) == expected, alert.query


def test_each_digest_is_sent_once_in_its_period(library, mechelen, member, housing):
    alerts.save_alert(LibraryQuery(), email=member.email, user=member, frequency="daily")
    _publish(library, mechelen, 1)
    first = alerts.send_digests()
    again = alerts.send_digests()
    assert (first.sent, again.sent) == (1, 0)
    (digest,) = _digests()
    assert "1 new practice for your alert" in digest.subject
    # A later practice comes in the next period's digest, alone.
    _publish(library, mechelen, 2, title="Second practice")
    tomorrow = alerts.timezone.now() + alerts.datetime.timedelta(days=1)
    assert alerts.send_digests(now=tomorrow).sent == 1
    assert "Second practice" in _digests()[-1].body
    assert "Practice 1" not in _digests()[-1].body.split("The whole search")[0].replace(
        "Second practice", ""
    )


def test_a_crash_half_way_loses_nothing_and_sends_nothing_twice(
    library, mechelen, housing, monkeypatch
):
    members = [make_member(f"o{i}@city{i}.test") for i in range(4)]
    for person in members:
        alerts.save_alert(LibraryQuery(), email=person.email, user=person)
    _publish(library, mechelen, 1)
    monkeypatch.setattr(alerts, "BATCH_SIZE", 2)
    real_send = alerts.send_templated
    calls = {"n": 0}

    def crash_on_the_third(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("the machine went down")
        return real_send(*args, **kwargs)

    with (
        mock.patch.object(alerts, "send_templated", crash_on_the_third),
        pytest.raises(RuntimeError),
    ):
        alerts.send_digests()
    # The first batch was committed with its e-mails; the second went back, claims and e-mails.
    assert AlertDigest.objects.count() == 2
    assert _queued_digests() == 2
    run = alerts.send_digests()
    assert (run.sent, AlertDigest.objects.count(), _queued_digests()) == (2, 4, 4)
    addresses = OutgoingEmail.objects.filter(subject__contains="for your alert").values_list(
        "to", flat=True
    )
    assert len(set(map(str, addresses))) == 4


def _queued_digests() -> int:
    return OutgoingEmail.objects.filter(subject__contains="for your alert").count()


def test_a_second_runner_finds_the_digest_claimed(library, mechelen, member):
    alert = alerts.save_alert(LibraryQuery(), email=member.email, user=member)
    _publish(library, mechelen, 1)
    # The other machine committed its claim for this period first.
    AlertDigest.objects.create(
        alert=alert, period=alerts.period_of(alert.frequency, alerts.timezone.now())
    )
    run = alerts.send_digests()
    assert (run.sent, run.already_sent) == (0, 1)
    assert _digests() == []


def test_the_queries_per_alert_stay_constant(library, mechelen, housing):
    def run_with(count):
        PracticeAlert.objects.all().delete()
        for i in range(count):
            alerts.save_alert(
                LibraryQuery(filters={"theme": ("housing",)} if i % 2 else {}),
                email=f"reader{i}@example.test",
            )
        PracticeAlert.objects.update(
            confirmed_at=alerts.timezone.now() - alerts.datetime.timedelta(hours=1),
            covered_until=alerts.timezone.now() - alerts.datetime.timedelta(hours=1),
        )
        with CaptureQueriesContext(connection) as queries:
            alerts.send_digests(now=alerts.timezone.now() + alerts.datetime.timedelta(days=count))
        return len(queries)

    _publish(library, mechelen, 1, themes=[housing])
    small, large = run_with(5), run_with(15)
    # Per alert: the claim, the window, the queued e-mail (and, in tests, its delivery, which a
    # worker does in production): the same few whatever the number of alerts.
    per_alert = (large - small) / 10
    assert per_alert <= 10, (small, large)


def test_every_digest_has_a_one_click_unsubscribe(client, library, mechelen, member):
    alerts.save_alert(LibraryQuery(), email=member.email, user=member)
    _publish(library, mechelen, 1)
    alerts.send_digests()
    (digest,) = _digests()
    link = digest.extra_headers["List-Unsubscribe"].strip("<>")
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in digest.body
    path = re.sub(r"^https?://[^/]+", "", link)
    assert client.get(path).status_code == 200
    # What a mail client sends: a POST without the site's CSRF token.
    csrf_client = client.__class__(enforce_csrf_checks=True)
    response = csrf_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 204
    assert not PracticeAlert.objects.exists()
    tampered = path.replace(path.rstrip("/").split("/")[-1], "x" + path.rstrip("/").split("/")[-1])
    assert client.get(tampered).status_code == 404


def test_no_subscribers_address_in_public_output(client, library, mechelen):
    alerts.save_alert(LibraryQuery(), email="secret.reader@example.test")
    _publish(library, mechelen, 1)
    for url in (
        library.url,
        library.url + "feed/rss/",
        "/api/v2/pages/?type=practices.PracticePage",
    ):
        assert "secret.reader" not in client.get(url).content.decode()


def test_a_member_removes_their_alert_and_nobody_elses(client, library, member):
    alert = alerts.save_alert(LibraryQuery(), email=member.email, user=member)
    other = make_member("other@city.test")
    client.force_login(other)
    assert client.post(reverse("alerts:remove", args=[alert.pk])).status_code == 404
    client.force_login(member)
    client.post(reverse("alerts:remove", args=[alert.pk]))
    assert not PracticeAlert.objects.exists()


def test_a_digest_tells_of_new_opinions_and_reuses_of_matching_practices(
    library, mechelen, member, housing
):
    from practices.models import ExpertOpinion, OpinionState
    from tests.factories import make_expert

    earlier = alerts.timezone.now() - alerts.datetime.timedelta(days=30)
    original = _publish(
        library, mechelen, 1, title="Housing first", themes=[housing], first_published_at=earlier
    )
    alerts.save_alert(
        LibraryQuery(filters={"theme": ("housing",)}), email=member.email, user=member
    )
    assert alerts.send_digests().sent == 0  # nothing happened since the alert was saved
    expert = make_expert("expert@urbanexchange.test", first_name="Jonas")
    ExpertOpinion.objects.create(
        practice=original,
        expert=expert,
        strengths="<p>Strong.</p>",
        state=OpinionState.PUBLISHED,
        published_at=alerts.timezone.now(),
    )
    # Another city's practice on another theme, adapted from it: the original is news, the
    # new one does not match the search.
    _publish(library, mechelen, 2, title="Our own housing first", adapted_from=original)
    assert alerts.send_digests().sent == 1
    (digest,) = _digests()
    assert digest.subject == "News of 1 practice for your alert"
    body = digest.body
    assert "New expert opinions" in body and "Reused in another city" in body
    assert body.count("Housing first (") == 2
    assert "Our own housing first" not in body
    assert "New practices" not in body
    # An opinion still waiting for a moderator is no news.
    mail.outbox.clear()
    tomorrow = alerts.timezone.now() + alerts.datetime.timedelta(days=8)
    ExpertOpinion.objects.create(
        practice=original,
        expert=make_expert("other@urbanexchange.test"),
        state=OpinionState.SUBMITTED,
        submitted_at=tomorrow,
    )
    assert alerts.send_digests(now=tomorrow).sent == 0
