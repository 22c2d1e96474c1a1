"""Outcome reports: what came out of an event, with attendance counted and drawn, nobody named."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from events import charts
from events.models import OutcomeReportPage, Registration, RegistrationState
from tests.factories import add_event

State = RegistrationState


@pytest.fixture
def past_event(events_index):
    return add_event(
        events_index, start_date=timezone.localdate() - datetime.timedelta(days=10), capacity=None
    )


def attend(event, n, country, organisation_type, state=State.ATTENDED, prefix="p"):
    for i in range(n):
        Registration.objects.create(
            event=event,
            email=f"{prefix}{country}{organisation_type}{i}@x.test",
            first_name=f"Secret{i}",
            last_name="Person",
            country=country,
            organisation_type=organisation_type,
            state=state,
        )


def publish_report(event, run=None, **fields):
    report = OutcomeReportPage(
        title=fields.pop("title", "What we learnt"),
        slug="report",
        summary=fields.pop("summary", "Cities agreed on three ways to reach newcomers."),
        **fields,
    )
    event.add_child(instance=report)
    revision = report.save_revision()
    if run is not None:
        run(revision.publish)
    else:
        revision.publish()
    return OutcomeReportPage.objects.get(pk=report.pk)


def test_attendance_is_counted_by_country_and_type_in_two_queries(
    past_event, django_assert_num_queries
):
    attend(past_event, 3, "BE", "city")
    attend(past_event, 2, "NL", "ngo")
    attend(past_event, 2, "NL", "ngo", state=State.CONFIRMED, prefix="c")
    attend(past_event, 4, "FR", "city", state=State.CANCELLED, prefix="x")

    with django_assert_num_queries(2):
        figures = charts.attendance(past_event)

    assert (figures.registered, figures.attended) == (7, 5)
    assert [(r.label, r.registered, r.attended) for r in figures.by_country] == [
        ("Netherlands", 4, 2),
        ("Belgium", 3, 3),
    ]
    assert [(r.label, r.registered, r.attended) for r in figures.by_organisation_type] == [
        ("NGO or civil society", 4, 2),
        ("City", 3, 3),
    ]


def test_the_report_page_draws_the_chart_with_its_table_and_names_nobody(client, past_event):
    attend(past_event, 3, "BE", "city")
    report = publish_report(past_event, key_takeaways="<p>Go where newcomers are.</p>")

    html = client.get(report.url).content.decode()

    assert "Go where newcomers are." in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and 'role="img"' in html
    assert '<title id="by-country-title">Attendance by country</title>' in html
    assert "<caption>Attendance by country</caption>" in html
    assert "3 registered, 3 attended." in html
    assert "Secret0" not in html and "@x.test" not in html
    assert "secret-room-42" not in html
    # The event page links its report.
    assert report.url in client.get(past_event.url).content.decode()


def test_publishing_the_report_tells_the_participants_once(past_event, run):
    attend(past_event, 2, "BE", "city")
    attend(past_event, 1, "BE", "city", state=State.CANCELLED, prefix="x")

    report = publish_report(past_event, run=run)
    assert sorted(m.to[0] for m in mail.outbox) == ["pBEcity0@x.test", "pBEcity1@x.test"]
    assert report.url in mail.outbox[0].body

    mail.outbox.clear()
    run(report.save_revision().publish)
    assert not mail.outbox


def test_an_event_takes_one_report(past_event):
    publish_report(past_event)
    assert not OutcomeReportPage.can_create_at(past_event)


def test_a_chart_escapes_its_labels():
    rows = [charts.Row("<script>alert(1)</script>", 2, 1)]

    svg = charts.bar_chart(rows, title="T & <b>", chart_id="x")

    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "T &amp; &lt;b&gt;" in svg


def test_a_member_who_opted_out_is_not_told(past_event, member, run):
    member.notify_outcome_reports = False
    member.save()
    Registration.objects.create(
        event=past_event,
        email=member.email,
        user=member,
        first_name="Anna",
        last_name="P",
        state=State.ATTENDED,
    )
    attend(past_event, 1, "BE", "city")

    publish_report(past_event, run=run)

    assert [m.to[0] for m in mail.outbox] == ["pBEcity0@x.test"]


def test_the_profile_offers_the_opt_out(client, member):
    client.force_login(member)
    page = client.get("/my/profile/").content.decode()
    assert 'name="notify_outcome_reports"' in page
