"""The experts' area: the dilemmas assigned to an expert, the review form and the feedback to
selected cities. Thin views over `academy.services`.

Only members of the Experts group come in. The list says so to anyone else (403, with a page
that explains); a dilemma's review or feedback page is a 404 for everyone but the expert it
concerns, so that nobody learns by trying ids which dilemmas exist.

In an anonymous edition the expert must not learn who submitted a dilemma until the decisions
are published: not the submitter's name, nor the organisation, city or country (the dilemma's
own `city` and `organisation` fields are identity too), nor an attachment's original file
name. The templates receive an `identity` only where `services.hides_identity_from` allows
it, so that nothing can leak through a title, an attribute or a link by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from core.sanitising import clean_html

from .. import services
from ..expert_forms import FeedbackForm, ReviewForm, apply_errors
from ..models import (
    SCORE_MAX,
    AcademyEditionPage,
    Assignment,
    Decision,
    Dilemma,
    DilemmaState,
    Feedback,
    Review,
)
from ..services import AcademyError

# The review's states as the list shows them.
NOT_STARTED, DRAFT, SUBMITTED = "not_started", "draft", "submitted"
REVIEW_STATES = {
    NOT_STARTED: gettext_lazy("Not started"),
    DRAFT: gettext_lazy("Draft"),
    SUBMITTED: gettext_lazy("Submitted"),
}


def _expert_area(view=None, *, others: int = 404):
    """Signed-in members of the Experts group only; anyone else gets `others`: 403 with a page
    that explains, or a plain 404."""

    def decorate(function):
        @wraps(function)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not services.is_expert(request.user):
                if others == 403:
                    return TemplateResponse(
                        request, "academy/experts/not_an_expert.html", {}, status=403
                    )
                raise Http404
            return function(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


@dataclass(frozen=True)
class Identity:
    """Who submitted a dilemma, for the pages that may show it."""

    name: str
    organisation: str
    city: str
    country: str

    @classmethod
    def of(cls, dilemma: Dilemma) -> Identity:
        submitter = dilemma.submitter
        return cls(
            name=submitter.get_full_name() or submitter.email,
            organisation=dilemma.organisation,
            city=dilemma.city,
            country=dilemma.country,
        )


def _identity(user, dilemma: Dilemma, hides: bool | None = None) -> Identity | None:
    if hides is None:
        hides = services.hides_identity_from(user, dilemma)
    return None if hides else Identity.of(dilemma)


class _Hiding:
    """`services.hides_identity_from` for many dilemmas of one expert, asked once per edition.

    Its answer depends on the edition, on whether the expert is the submitter and on whether
    they are an editor (a query): the same for every dilemma of an edition otherwise.
    """

    def __init__(self, user):
        self.user = user
        self.known: dict[tuple[int, bool], bool] = {}

    def __call__(self, dilemma: Dilemma) -> bool:
        key = (dilemma.edition_id, dilemma.submitter_id == self.user.pk)
        if key not in self.known:
            self.known[key] = services.hides_identity_from(self.user, dilemma)
        return self.known[key]


def _review_state(review: Review | None) -> str:
    if review is None:
        return NOT_STARTED
    return SUBMITTED if review.submitted_at else DRAFT


# --- The list -------------------------------------------------------------------------------------


@dataclass
class Row:
    assignment: Assignment
    dilemma: Dilemma
    review_state: str
    identity: Identity | None
    decision: str
    feedback_url: bool
    feedback: Feedback | None

    @property
    def review_state_label(self) -> str:
        return REVIEW_STATES[self.review_state]

    @property
    def decision_label(self) -> str:
        return Decision(self.decision).label


@dataclass
class EditionGroup:
    edition: AcademyEditionPage
    call_state: str
    rows: list[Row]

    @property
    def shows_identities(self) -> bool:
        return any(row.identity for row in self.rows)

    @property
    def to_do(self) -> int:
        return sum(1 for row in self.rows if row.review_state != SUBMITTED)


def _feedback_possible(dilemma: Dilemma, now: datetime) -> bool:
    # Only these few are asked `may_write_feedback` (a query each): selected dilemmas of
    # published editions whose workshop has begun.
    edition = dilemma.edition
    return dilemma.is_selected and edition.decisions_published and edition.starts_at <= now


@require_GET
@_expert_area(others=403)
def reviews(request):
    user = request.user
    now = timezone.now()
    assignments = services.assignments_of(user)
    dilemmas = [a.dilemma for a in assignments]
    prefetch_related_objects(dilemmas, "submitter")
    hides = _Hiding(user)
    writable = {
        d.pk
        for d in dilemmas
        if _feedback_possible(d, now) and services.may_write_feedback(user, d, now)
    }
    own_feedback = (
        {f.dilemma_id: f for f in Feedback.objects.filter(expert=user, dilemma_id__in=writable)}
        if writable
        else {}
    )
    groups: dict[int, EditionGroup] = {}
    for assignment in assignments:
        dilemma = assignment.dilemma
        edition = dilemma.edition
        group = groups.get(edition.pk)
        if group is None:
            group = groups[edition.pk] = EditionGroup(edition, edition.call_state(now), [])
        group.rows.append(
            Row(
                assignment=assignment,
                dilemma=dilemma,
                review_state=_review_state(getattr(assignment, "review", None)),
                identity=_identity(user, dilemma, hides(dilemma)),
                decision=dilemma.visible_decision,
                feedback_url=dilemma.pk in writable,
                feedback=own_feedback.get(dilemma.pk),
            )
        )
    return TemplateResponse(
        request,
        "academy/experts/reviews.html",
        {
            "groups": list(groups.values()),
            "count": len(assignments),
            "workshop_feedback": _workshop_feedback(user, now),
        },
    )


def _workshop_feedback(user, now: datetime) -> list[tuple[Dilemma, Feedback | None]]:
    """Selected dilemmas the expert did not review but may write feedback on, as one of the
    experts of an edition whose workshop has begun (`services.may_write_feedback` decides)."""
    candidates = (
        Dilemma.objects.filter(
            edition__experts__user=user,
            state=DilemmaState.SUBMITTED,
            decision=Decision.SELECTED,
            edition__decisions_published_at__isnull=False,
            edition__starts_at__lte=now,
        )
        .exclude(assignments__expert=user)
        .select_related("edition", "submitter")
        .order_by("-edition__starts_at", "title", "pk")
        .distinct()[:50]
    )
    dilemmas = [d for d in candidates if services.may_write_feedback(user, d, now)]
    if not dilemmas:
        return []
    own = {f.dilemma_id: f for f in Feedback.objects.filter(expert=user, dilemma__in=dilemmas)}
    return [(d, own.get(d.pk)) for d in dilemmas]


# --- One review -----------------------------------------------------------------------------------


def _dilemma_context(request, dilemma: Dilemma) -> dict:
    """What the review and feedback pages show of the dilemma, identity only where allowed."""
    hidden = services.hides_identity_from(request.user, dilemma)
    answers = [
        (_("The policy context"), dilemma.policy_context),
        (_("The dilemma"), dilemma.dilemma),
        (_("What has been tried"), dilemma.tried),
        (_("What the city wants from the experts"), dilemma.expectations),
    ]
    attachments = [
        (item, item.anonymous_name if hidden else item.original_name)
        for item in dilemma.attachments.all()
    ]
    return {
        "dilemma": dilemma,
        "edition": dilemma.edition,
        "identity": _identity(request.user, dilemma, hidden),
        "identities_hidden": hidden,
        # Stored clean by the services; cleaned again here, as an editor may have changed it.
        "answers": [(label, clean_html(value)) for label, value in answers if value],
        "attachments": attachments,
        "related_practices": list(dilemma.related_practices.live().public().order_by("title")),
    }


def _own_assignment(request, assignment_id: int) -> Assignment:
    return get_object_or_404(
        Assignment.objects.select_related("dilemma__edition", "dilemma__submitter"),
        pk=assignment_id,
        expert=request.user,
        dilemma__state__in=[DilemmaState.SUBMITTED, DilemmaState.WITHDRAWN],
    )


def _render_review(request, assignment, review, form, *, status=200, read_only_reason=""):
    dilemma = assignment.dilemma
    edition = dilemma.edition
    criteria = list(edition.criteria.all())
    scores = review.score_map if review is not None else {}
    context = {
        **_dilemma_context(request, dilemma),
        "assignment": assignment,
        "review": review,
        "review_state": _review_state(review),
        "review_state_label": REVIEW_STATES[_review_state(review)],
        "form": form,
        "read_only_reason": read_only_reason,
        "scored": [(criterion, scores.get(criterion.pk)) for criterion in criteria],
        "score_max": SCORE_MAX,
        "comment_html": clean_html(review.comment) if review is not None else "",
    }
    return TemplateResponse(request, "academy/experts/review.html", context, status=status)


def _read_only_reason(dilemma: Dilemma) -> str:
    if dilemma.edition.decisions_published:
        return _(
            "The decisions of this edition have been published: your review can no longer be "
            "changed."
        )
    return ""


@require_http_methods(["GET", "POST"])
@_expert_area
def review(request, assignment_id: int):
    assignment = _own_assignment(request, assignment_id)
    dilemma = assignment.dilemma
    if dilemma.state == DilemmaState.WITHDRAWN:
        # The city took it back: nothing more to review, and nothing more to read.
        return TemplateResponse(
            request,
            "academy/experts/message.html",
            {
                "heading": _("This dilemma was withdrawn"),
                "text": _("The city withdrew this dilemma. It is no longer reviewed."),
            },
            status=410,
        )
    review = Review.objects.filter(assignment=assignment).prefetch_related("scores").first()
    criteria = list(dilemma.edition.criteria.all())
    reason = _read_only_reason(dilemma)
    if request.method != "POST":
        form = None if reason else ReviewForm(criteria=criteria, review=review)
        return _render_review(request, assignment, review, form, read_only_reason=reason)

    form = ReviewForm(request.POST, criteria=criteria, review=review)
    # A submitted review stays complete: its only button submits again.
    submit = request.POST.get("action") == "submit" or (review and review.submitted_at)
    if form.is_valid():
        try:
            saved = services.save_review(
                assignment,
                request.user,
                scores=form.scores,
                comment=form.cleaned_data["comment"],
                submit=bool(submit),
            )
        except AcademyError as error:
            if error.code in ("decided", "withdrawn", "not_assigned"):
                messages.error(request, error.message)
                return redirect("academy:review", assignment_id=assignment.pk)
            apply_errors(form, error)
        else:
            if saved.submitted_at:
                messages.success(
                    request,
                    _(
                        "Your review of “%(title)s” is submitted. You can still change it "
                        "until the decisions are published."
                    )
                    % {"title": dilemma.title},
                )
                return redirect("academy:reviews")
            messages.success(request, _("Your draft is saved. Submit it when it is complete."))
            return redirect("academy:review", assignment_id=assignment.pk)
    if reason:
        return _render_review(
            request, assignment, review, None, status=400, read_only_reason=reason
        )
    return _render_review(request, assignment, review, form, status=400)


# --- Feedback -------------------------------------------------------------------------------------


def _feedback_dilemma(request, dilemma_id: int) -> tuple[Dilemma, bool]:
    """The dilemma, and whether feedback may be written now; 404 unless it will be one day
    (a selected dilemma of a published edition, for one of its experts)."""
    dilemma = get_object_or_404(
        Dilemma.objects.select_related("edition", "submitter"),
        pk=dilemma_id,
        state=DilemmaState.SUBMITTED,
    )
    now = timezone.now()
    if services.may_write_feedback(request.user, dilemma, now):
        return dilemma, True
    # Would the expert be allowed once the workshop begins? Then say when, instead of a 404.
    if dilemma.edition.starts_at > now and services.may_write_feedback(
        request.user, dilemma, dilemma.edition.starts_at
    ):
        return dilemma, False
    raise Http404


@require_http_methods(["GET", "POST"])
@_expert_area
def feedback(request, dilemma_id: int):
    dilemma, allowed = _feedback_dilemma(request, dilemma_id)
    if not allowed:
        return TemplateResponse(
            request,
            "academy/experts/feedback_not_yet.html",
            {"dilemma": dilemma, "edition": dilemma.edition},
            status=403,
        )
    existing = (
        Feedback.objects.filter(dilemma=dilemma, expert=request.user)
        .prefetch_related("recommended_practices")
        .first()
    )
    if request.method != "POST":
        search = str(request.GET.get("q", ""))
        form = FeedbackForm(feedback=existing, search=search)
        return _render_feedback(request, dilemma, existing, form)

    form = FeedbackForm(request.POST, feedback=existing)
    action = request.POST.get("action", "")
    if action == "search":
        # Only narrows the list of practices; what was typed is kept, nothing is saved.
        return _render_feedback(request, dilemma, existing, form, searching=True)
    if form.is_valid():
        send = action == "send"
        try:
            saved = services.write_feedback(
                dilemma,
                request.user,
                text=form.cleaned_data["text"],
                summary=form.cleaned_data["summary"],
                recommended_practices=form.cleaned_data["recommended_practices"],
                send=send,
            )
        except AcademyError as error:
            apply_errors(form, error)
        else:
            if send and existing is not None and existing.is_sent:
                messages.success(request, _("Your corrections are saved; the city reads them now."))
            elif saved.is_sent:
                messages.success(request, _("Your feedback is sent to the city."))
            else:
                messages.success(request, _("Your draft is saved. The city does not see it yet."))
            return redirect("academy:feedback", dilemma_id=dilemma.pk)
    return _render_feedback(request, dilemma, existing, form, status=400)


def _render_feedback(request, dilemma, existing, form, *, status=200, searching=False):
    context = {
        **_dilemma_context(request, dilemma),
        "feedback": existing,
        "form": form,
        "searching": searching,
    }
    return TemplateResponse(request, "academy/experts/feedback.html", context, status=status)
