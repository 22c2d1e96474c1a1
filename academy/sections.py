"""What the Urban Academy adds to the pages of lower apps (core.sections): the member's
dilemmas and the expert's reviews on "My Urban Exchange", "recommended in the Urban Academy"
on a practice page, and the feedback summaries on an edition's outcome report."""

from __future__ import annotations

from django.utils import timezone

from core.sections import Section

from . import services
from .models import AcademyEditionPage, Dilemma, DilemmaState


def open_calls(home=None) -> list[AcademyEditionPage]:
    """The live editions whose call for dilemmas is open now, closing soonest first."""
    now = timezone.now()
    editions = (
        AcademyEditionPage.objects.live()
        .public()
        .filter(call_opens_at__lte=now, call_closes_at__gt=now, decisions_published_at__isnull=True)
    )
    if home is not None:
        editions = editions.descendant_of(home)
    return list(editions.order_by("call_closes_at")[:5])


def home_calls(request, home) -> Section | None:
    """ "The call for dilemmas is open" on the home page: a city officer who only knows the
    home page finds it there."""
    calls = open_calls(home)
    if not calls:
        return None
    return Section("academy/home_section.html", {"editions": calls})


def my_dilemmas(request) -> Section | None:
    """The member's dilemmas with where each stands, and the calls open now."""
    user = request.user
    dilemmas = list(
        Dilemma.objects.filter(submitter=user)
        .exclude(state=DilemmaState.WITHDRAWN)
        .select_related("edition")
        .order_by("-created_at")[:50]
    )
    calls = open_calls()
    if not dilemmas and not calls:
        return None
    return Section("academy/dashboard_dilemmas.html", {"dilemmas": dilemmas, "open_calls": calls})


def my_reviews(request) -> Section | None:
    """The dilemmas assigned to an expert: only for members of the Experts group."""
    if not services.is_expert(request.user):
        return None
    assignments = services.assignments_of(request.user)
    to_do = sum(
        1
        for a in assignments
        if getattr(a, "review", None) is None or a.review.submitted_at is None
    )
    return Section(
        "academy/dashboard_reviews.html", {"assignments": assignments[:50], "to_do": to_do}
    )


def recommended_in_academy(request, practice) -> Section | None:
    feedback = services.recommendations_of(practice)
    if not feedback:
        return None
    editions, named = {}, []
    for item in feedback:
        edition = item.dilemma.edition
        editions.setdefault(edition.pk, edition)
        if item.dilemma.summary_may_be_published:
            named.append(item.dilemma)
    return Section(
        "academy/practice_section.html",
        {"editions": list(editions.values()), "dilemmas": list(dict.fromkeys(named))},
    )


def feedback_summaries(request, report, event) -> Section | None:
    if not isinstance(event, AcademyEditionPage):
        return None
    summaries = services.public_summaries(event)
    if not summaries:
        return None
    return Section("academy/report_section.html", {"summaries": summaries})
