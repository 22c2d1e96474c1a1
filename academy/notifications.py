"""The Urban Academy's e-mails, one function per occasion, queued through core's mail module.

`academy.services` calls these inside its transactions. What an expert receives never names
the submitter of a dilemma in an anonymous edition: the e-mails to experts carry titles and
links only, and the links lead to the experts' area, which hides identities itself.
"""

from __future__ import annotations

from django.urls import reverse

from core.mail import absolute_url, send_templated

from .models import AcademyEditionPage, Assignment, Dilemma, Feedback

PREFIX = "academy/emails/"


def dilemma_url(dilemma: Dilemma) -> str:
    return absolute_url(reverse("academy:dilemma", args=[dilemma.pk]))


def _to_submitter(kind: str, dilemma: Dilemma, **context) -> None:
    edition = dilemma.edition
    send_templated(
        PREFIX + kind,
        dilemma.submitter,
        {
            "dilemma": dilemma,
            "edition": edition,
            "edition_url": absolute_url(edition.url or ""),
            "dilemma_url": dilemma_url(dilemma),
            **context,
        },
        reply_to=[edition.organiser_email] if edition.organiser_email else None,
    )


def dilemma_submitted(dilemma: Dilemma) -> None:
    _to_submitter("submitted", dilemma)


def decision(dilemma: Dilemma) -> None:
    """The outcome, selected or not: sent to every submitter when the decisions are published."""
    _to_submitter("selected" if dilemma.is_selected else "not_selected", dilemma)


def feedback_sent(feedback: Feedback) -> None:
    _to_submitter("feedback_sent", feedback.dilemma, feedback=feedback)


def assigned(assignment: Assignment) -> None:
    """An editor assigned one dilemma to an expert by hand."""
    _to_expert(assignment.expert, assignment.dilemma.edition, count=1)


def assignments_ready(expert, edition: AcademyEditionPage) -> None:
    """The automatic assignment gave the expert new dilemmas to review."""
    count = Assignment.objects.filter(expert=expert, dilemma__edition=edition).count()
    _to_expert(expert, edition, count=count)


def _to_expert(expert, edition: AcademyEditionPage, *, count: int) -> None:
    send_templated(
        PREFIX + "assigned",
        expert,
        {
            "edition": edition,
            "count": count,
            "reviews_url": absolute_url(reverse("academy:reviews")),
        },
    )
