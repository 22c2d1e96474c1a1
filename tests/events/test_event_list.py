"""/events/: upcoming first, past events with their reports, filters that need no JavaScript."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.models import OutcomeReportPage
from practices.models import Partnership, Theme
from tests.factories import add_event


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def titles(response):
    assert response.status_code == 200
    return [event.title for event, _report in response.context["result"].events]


def add_report(event):
    report = OutcomeReportPage(
        title=f"Report of {event.title}", slug="report", summary="What came out."
    )
    event.add_child(instance=report)
    report.save_revision().publish()
    return report


@pytest.fixture
def calendar(events_index):
    housing = Theme.objects.create(name="Housing", slug="housing")
    inclusion = Partnership.objects.create(name="Inclusion", slug="inclusion")
    soon = add_event(events_index, 1, title="Soon", start_date=days(3), kind="webinar")
    later = add_event(
        events_index,
        2,
        title="Later",
        start_date=days(40),
        kind="study_visit",
        format="in_person",
        partnership=inclusion,
    )
    later.themes = [housing]
    later.save_revision().publish()
    past = add_event(events_index, 3, title="Past", start_date=days(-20))
    older = add_event(events_index, 4, title="Older", start_date=days(-60))
    add_report(past)
    return {"soon": soon, "later": later, "past": past, "older": older}


def test_upcoming_events_come_first_soonest_first(client, events_index, calendar):
    assert titles(client.get(events_index.url)) == ["Soon", "Later"]


def test_past_events_newest_first_with_their_reports(client, events_index, calendar):
    response = client.get(events_index.url, {"when": "past"})

    assert titles(response) == ["Past", "Older"]
    html = response.content.decode()
    assert calendar["past"].url + "report/" in html


def test_the_reports_filter_lists_only_events_with_a_report(client, events_index, calendar):
    assert titles(client.get(events_index.url, {"when": "reports"})) == ["Past"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "webinar"}, ["Soon"]),
        ({"format": "in_person"}, ["Later"]),
        ({"theme": "housing"}, ["Later"]),
        ({"partnership": "inclusion"}, ["Later"]),
        ({"kind": "no-such-kind"}, ["Soon", "Later"]),
        ({"month": "1999-13"}, ["Soon", "Later"]),
    ],
)
def test_filters(client, events_index, calendar, params, expected):
    assert titles(client.get(events_index.url, params)) == expected


def test_the_month_filter(client, events_index, calendar):
    month = calendar["later"].starts_at.strftime("%Y-%m")
    assert "Later" in titles(client.get(events_index.url, {"month": month}))


def test_the_list_runs_the_same_queries_for_few_and_many_events(
    client, events_index, django_assert_max_num_queries
):
    def add(first, count):
        for number in range(first, first + count):
            add_event(events_index, number, start_date=days(5 + number))
            add_report(add_event(events_index, 1000 + number, start_date=days(-5 - number)))

    def visit():
        client.get(events_index.url, {"when": "past"})
        client.get(events_index.url)

    add(0, 2)
    with django_assert_max_num_queries(30) as few:
        visit()
    add(100, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        visit()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.dictionaries(
        st.sampled_from(["when", "kind", "format", "theme", "partnership", "month", "page"]),
        st.text(max_size=40),
    )
)
def test_no_parameter_gives_an_error(client, events_index, params):
    params = {key: value.replace("\x00", "") for key, value in params.items()}
    assert client.get(events_index.url, params).status_code == 200
