"""What the Academy adds to lower apps' pages (core.sections): the dashboard, practice pages
and the outcome report of an edition."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from academy import services
from academy.models import AcademyEditionPage, Decision
from events.models import OutcomeReportPage
from tests.factories import add_practice, make_city, make_library, submitted_dilemma

pytestmark = pytest.mark.django_db


def _with_sent_feedback(edition, experts, editor, member, practice, *, summary="Start small."):
    dilemma = submitted_dilemma(edition, member, title="Language first, or work first?")
    services.assign_by_hand(dilemma, experts[0], actor=editor)
    services.decide(dilemma, Decision.SELECTED, actor=editor)
    past = timezone.now() - datetime.timedelta(days=1)
    AcademyEditionPage.objects.filter(pk=edition.pk).update(call_closes_at=past)
    services.publish_decisions(AcademyEditionPage.objects.get(pk=edition.pk), actor=editor)
    AcademyEditionPage.objects.filter(pk=edition.pk).update(starts_at=past)
    dilemma.refresh_from_db()
    services.write_feedback(
        dilemma,
        experts[0],
        text="<p>Do both.</p>",
        summary=summary,
        recommended_practices=[practice],
        send=True,
    )
    return dilemma


def test_the_dashboard_shows_the_members_dilemmas_and_the_open_call(client, edition, city_member):
    client.force_login(city_member)
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert "My dilemmas for the Urban Academy" in page
    assert reverse("academy:start", args=[edition.pk]) in page

    submitted_dilemma(edition, city_member, title="Rumours after an incident")
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Rumours after an incident" in page and "Submitted" in page


def test_experts_see_their_reviews_on_the_dashboard_and_members_do_not(
    client, edition, experts, editor, city_member
):
    dilemma = submitted_dilemma(edition, city_member)
    services.assign_by_hand(dilemma, experts[0], actor=editor)
    client.force_login(experts[0])
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Dilemmas to review" in page and "1 review to write" in page
    client.force_login(city_member)
    assert "Dilemmas to review" not in client.get(reverse("accounts:dashboard")).content.decode()


def test_a_recommended_practice_says_so_and_names_the_city_only_if_it_agreed(
    client, home_page, edition, experts, editor, city_member
):
    practice = add_practice(make_library(home_page), make_city(), title="Job coaches")
    dilemma = _with_sent_feedback(edition, experts, editor, city_member, practice)

    page = client.get(practice.url).content.decode()
    assert "Recommended in the Urban Academy" in page
    assert edition.title in page
    assert "Language first" not in page and "Mechelen" not in page.split("Recommended in")[1]

    services.set_summary_consent(dilemma, city_member, agree=True)
    page = client.get(practice.url).content.decode()
    assert "Language first, or work first?" in page


def test_the_outcome_report_shows_the_summaries_the_cities_agreed_to(
    client, home_page, edition, experts, editor, city_member
):
    practice = add_practice(make_library(home_page), make_city(), title="Job coaches")
    dilemma = _with_sent_feedback(edition, experts, editor, city_member, practice)
    report = OutcomeReportPage(title="Outcome report", slug="report", summary="What came out.")
    edition.add_child(instance=report)
    report.save_revision().publish()

    assert "Start small." not in client.get(report.url).content.decode()
    services.set_summary_consent(dilemma, city_member, agree=True)
    page = client.get(report.url).content.decode()
    assert "Start small." in page and "Job coaches" in page
    assert "Mechelen" in page  # the city agreed to be named with its dilemma


def test_a_reports_queries_do_not_grow_with_the_dilemmas(
    client, home_page, edition, experts, editor, django_assert_max_num_queries
):
    from tests.factories import make_member

    practice = add_practice(make_library(home_page), make_city(), title="Job coaches")
    report = OutcomeReportPage(title="Outcome report", slug="report", summary="What came out.")
    edition.add_child(instance=report)
    report.save_revision().publish()
    AcademyEditionPage.objects.filter(pk=edition.pk).update(dilemmas_to_select=12)
    edition = AcademyEditionPage.objects.get(pk=edition.pk)
    dilemmas = []
    for i in range(12):
        member = make_member(f"o{i}@town{i}.test", city=f"Town {i}", organisation=f"Town {i}")
        dilemma = submitted_dilemma(edition, member, title=f"Dilemma {i}")
        services.assign_by_hand(dilemma, experts[0], actor=editor)
        services.decide(dilemma, Decision.SELECTED, actor=editor)
        dilemmas.append((dilemma, member))
    past = timezone.now() - datetime.timedelta(days=1)
    AcademyEditionPage.objects.filter(pk=edition.pk).update(call_closes_at=past)
    services.publish_decisions(AcademyEditionPage.objects.get(pk=edition.pk), actor=editor)
    AcademyEditionPage.objects.filter(pk=edition.pk).update(starts_at=past)
    for dilemma, member in dilemmas:
        dilemma.refresh_from_db()
        services.write_feedback(
            dilemma,
            experts[0],
            text="<p>Advice</p>",
            summary="In short.",
            recommended_practices=[practice],
            send=True,
        )
        services.set_summary_consent(dilemma, member, agree=True)
    client.get(report.url)
    with django_assert_max_num_queries(30):
        page = client.get(report.url).content.decode()
    assert page.count("In short.") == 12


def test_the_home_page_says_when_a_call_is_open(client, edition):
    page = client.get("/").content.decode()
    assert "bring your city" in page and edition.url in page
    AcademyEditionPage.objects.filter(pk=edition.pk).update(
        call_closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert "bring your city" not in client.get("/").content.decode()
