"""The rules of the Urban Academy: the call, the review, the selection and the feedback.

Every change to a dilemma, an assignment, a review or a piece of feedback is a function here;
the member's pages, the experts' area and the editors' admin views call them and hold no rules
of their own. Each function checks who acts (the submitter, an assigned expert, an editor) and
when (the call's times, the decisions' publication), so that a form posted after the call
closed, or by someone else, is refused whichever view it came through.

E-mails are queued in the same transaction (`academy.notifications`, through core's mail
module): a failing mail server loses no submission or decision.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import roles
from core.sanitising import clean_html, has_text
from core.uploads import extension_of, stored_name, validate_document_upload
from events import services as events
from practices.models import PracticePage

from . import assignment as algorithm
from . import notifications
from .models import (
    SCORE_MAX,
    SCORE_MIN,
    AcademyEditionPage,
    Assignment,
    CallState,
    Decision,
    Dilemma,
    DilemmaAttachment,
    DilemmaState,
    EditionExpert,
    Feedback,
    Review,
    Score,
)

#: The fields of a dilemma that hold HTML typed by the member.
RICH_TEXT_FIELDS = ("policy_context", "dilemma", "tried", "expectations")
#: The fields a dilemma must have before it can be submitted, in the form's order.
REQUIRED_TO_SUBMIT = ("title", "city", "organisation", "policy_context", "dilemma", "expectations")
#: The plain fields a member may change while the call is open.
EDITABLE_FIELDS = ("title", "city", "country", "organisation", *RICH_TEXT_FIELDS)
MAX_ATTACHMENTS = 5
MAX_RELATED_PRACTICES = 10


class AcademyError(Exception):
    """Something the Academy's rules do not allow, with a message for the person.

    `field_errors` names the fields a submission lacks, so that forms show each message next
    to its field.
    """

    def __init__(self, message: str, *, code: str = "", field_errors=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field_errors: dict[str, str] = dict(field_errors or {})


# --- Who is who -----------------------------------------------------------------------------------


def is_editor(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.groups.filter(name=roles.EDITORS).exists())
    )


def is_expert(user) -> bool:
    return bool(
        user.is_authenticated and user.is_active and user.groups.filter(name=roles.EXPERTS).exists()
    )


def has_verified_address(user) -> bool:
    return bool(
        user.is_authenticated
        and EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
    )


# --- The call -------------------------------------------------------------------------------------


def _check_call_open(edition: AcademyEditionPage, now: datetime) -> None:
    state = edition.call_state(now)
    if state == CallState.NOT_YET:
        raise AcademyError(
            _("The call for dilemmas opens on %(date)s.") % {"date": _when(edition.call_opens_at)},
            code="not_yet",
        )
    if state == CallState.CLOSED and edition.decisions_published:
        raise AcademyError(
            _(
                "The decisions of this edition have been published: dilemmas can no longer "
                "be submitted or changed."
            ),
            code="closed",
        )
    if state == CallState.CLOSED:
        raise AcademyError(
            _(
                "The call for dilemmas closed on %(date)s: dilemmas can no longer be "
                "submitted or changed."
            )
            % {"date": _when(edition.call_closes_at)},
            code="closed",
        )


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _own(dilemma: Dilemma, user) -> None:
    if not user.is_authenticated or dilemma.submitter_id != user.pk:
        raise AcademyError(_("This is not your dilemma."), code="not_yours")


def _editable(dilemma: Dilemma, user, now: datetime) -> None:
    _own(dilemma, user)
    if dilemma.state == DilemmaState.WITHDRAWN:
        raise AcademyError(
            _("You withdrew this dilemma: it can no longer be changed."), code="withdrawn"
        )
    _check_call_open(dilemma.edition, now)


def edit_refusal(dilemma: Dilemma, *, now: datetime | None = None) -> str:
    """Why the submitter can no longer change the dilemma (the message the services would
    give), or "" while they can: the member's page shows it instead of the form."""
    try:
        _editable(dilemma, dilemma.submitter, now or timezone.now())
    except AcademyError as error:
        return error.message
    return ""


def start_dilemma(edition: AcademyEditionPage, user, *, now: datetime | None = None) -> Dilemma:
    """A member starts a dilemma for the edition's call: a draft, with their city and
    organisation from the profile."""
    now = now or timezone.now()
    if not has_verified_address(user):
        raise AcademyError(
            _("Confirm your e-mail address first: the link is in the e-mail we sent you."),
            code="unverified",
        )
    _check_call_open(edition, now)
    return Dilemma.objects.create(
        edition=edition,
        submitter=user,
        title="",
        city=user.city,
        country=user.country,
        organisation=user.organisation,
    )


def save_dilemma(
    dilemma: Dilemma,
    user,
    *,
    values: Mapping[str, str],
    related_practices: Iterable[PracticePage] | None = None,
    themes: Iterable | None = None,
    consent_to_share: bool | None = None,
    now: datetime | None = None,
) -> Dilemma:
    """Save the member's changes to a draft or a submitted dilemma while the call is open.

    The rich text fields go through the shared sanitiser, whatever the form did before.
    """
    now = now or timezone.now()
    with transaction.atomic():
        dilemma = _lock(dilemma)
        _editable(dilemma, user, now)
        for name in EDITABLE_FIELDS:
            if name in values:
                value = values[name] or ""
                setattr(dilemma, name, clean_html(value) if name in RICH_TEXT_FIELDS else value)
        if consent_to_share is not None:
            dilemma.consent_to_share = consent_to_share
        if dilemma.state == DilemmaState.SUBMITTED:
            # A submitted dilemma stays submittable: an edit may not take away what it needs.
            errors = missing_to_submit(dilemma)
            if errors:
                raise AcademyError(
                    _("A submitted dilemma needs every required answer."),
                    code="incomplete",
                    field_errors=errors,
                )
        dilemma.save()
        if related_practices is not None:
            practices = list(related_practices)
            if len(practices) > MAX_RELATED_PRACTICES:
                raise AcademyError(
                    _("Choose at most %(count)d related practices.")
                    % {"count": MAX_RELATED_PRACTICES},
                    code="too_many_practices",
                    field_errors={
                        "related_practices": _("Choose at most %(count)d.")
                        % {"count": MAX_RELATED_PRACTICES}
                    },
                )
            dilemma.related_practices.set([p for p in practices if p.live])
        if themes is not None:
            dilemma.themes.set(list(themes))
    return dilemma


def missing_to_submit(dilemma: Dilemma) -> dict[str, str]:
    """What the dilemma lacks before it can be submitted: `{field: message}`."""
    errors = {}
    for name in REQUIRED_TO_SUBMIT:
        value = getattr(dilemma, name) or ""
        present = has_text(value) if name in RICH_TEXT_FIELDS else bool(value.strip())
        if not present:
            errors[name] = _("This answer is needed before you submit.")
    if not dilemma.consent_to_share:
        errors["consent_to_share"] = _(
            "The experts can only review a dilemma you agree to share with them."
        )
    return errors


def submit(dilemma: Dilemma, user, *, now: datetime | None = None) -> Dilemma:
    """The member submits the dilemma to the call; they may still edit it until it closes."""
    now = now or timezone.now()
    with transaction.atomic():
        dilemma = _lock(dilemma)
        _editable(dilemma, user, now)
        if dilemma.state == DilemmaState.SUBMITTED:
            return dilemma
        errors = missing_to_submit(dilemma)
        if errors:
            raise AcademyError(
                _("Some answers are missing: see the fields marked below."),
                code="incomplete",
                field_errors=errors,
            )
        dilemma.state = DilemmaState.SUBMITTED
        dilemma.submitted_at = now
        dilemma.save(update_fields=["state", "submitted_at", "updated_at"])
        notifications.dilemma_submitted(dilemma)
    return dilemma


def withdraw(dilemma: Dilemma, user, *, now: datetime | None = None) -> Dilemma:
    """The member withdraws the dilemma, at any time before the decisions are published.

    Its reviews stay with it (editors see them) but it leaves the ranking.
    """
    with transaction.atomic():
        dilemma = _lock(dilemma)
        _own(dilemma, user)
        if dilemma.state == DilemmaState.WITHDRAWN:
            return dilemma
        if dilemma.edition.decisions_published:
            raise AcademyError(
                _("The decisions have been published: the dilemma can no longer be withdrawn."),
                code="decided",
            )
        dilemma.state = DilemmaState.WITHDRAWN
        dilemma.decision = Decision.PENDING
        dilemma.save(update_fields=["state", "decision", "updated_at"])
    return dilemma


def add_attachment(
    dilemma: Dilemma, user, uploaded_file, *, now: datetime | None = None
) -> DilemmaAttachment:
    """Attach a document to the dilemma: checked like every document the site accepts
    (type, size, content), stored privately under a name the site chooses."""
    now = now or timezone.now()
    try:
        validate_document_upload(uploaded_file)
    except ValidationError as error:
        message = " ".join(error.messages)
        raise AcademyError(message, code="bad_file", field_errors={"file": message}) from error
    with transaction.atomic():
        dilemma = _lock(dilemma)
        _editable(dilemma, user, now)
        if dilemma.attachments.count() >= MAX_ATTACHMENTS:
            message = _("A dilemma has at most %(count)d attachments.") % {"count": MAX_ATTACHMENTS}
            raise AcademyError(message, code="too_many_files", field_errors={"file": message})
        original = (getattr(uploaded_file, "name", "") or "").rsplit("/", 1)[-1][-255:]
        attachment = DilemmaAttachment(
            dilemma=dilemma, original_name=original, size=getattr(uploaded_file, "size", 0) or 0
        )
        attachment.file.save(stored_name(extension_of(uploaded_file)), uploaded_file, save=False)
        name = attachment.file.name
        try:
            attachment.save()
        except BaseException:
            attachment.file.storage.delete(name)
            raise
    return attachment


def remove_attachment(attachment: DilemmaAttachment, user, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    with transaction.atomic():
        dilemma = _lock(attachment.dilemma)
        _editable(dilemma, user, now)
        storage, name = attachment.file.storage, attachment.file.name
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(name))


def set_summary_consent(dilemma: Dilemma, user, *, agree: bool) -> Dilemma:
    """The city agrees (or no longer agrees) that a summary of the feedback is published."""
    _own(dilemma, user)
    Dilemma.objects.filter(pk=dilemma.pk).update(summary_may_be_published=agree)
    dilemma.summary_may_be_published = agree
    return dilemma


# --- Who may see a dilemma ------------------------------------------------------------------------


def can_see(user, dilemma: Dilemma) -> bool:
    """The submitter, the editors and the experts assigned to it; nobody else."""
    if not user.is_authenticated or not user.is_active:
        return False
    if dilemma.submitter_id == user.pk or is_editor(user):
        return True
    return dilemma.state != DilemmaState.DRAFT and dilemma.assignments.filter(expert=user).exists()


def hides_identity_from(user, dilemma: Dilemma) -> bool:
    """Whether `user` must not learn who submitted the dilemma: an expert (not its
    submitter, not an editor) in an anonymous edition, before the decisions are out."""
    if dilemma.submitter_id == user.pk or is_editor(user):
        return False
    return dilemma.edition.hides_identities


def assignments_of(expert) -> list[Assignment]:
    """The expert's assignments on submitted dilemmas, newest edition first, with their
    reviews: the experts' area lists these and nothing else."""
    return list(
        Assignment.objects.filter(expert=expert, dilemma__state=DilemmaState.SUBMITTED)
        .select_related("dilemma__edition", "review")
        .order_by("-dilemma__edition__starts_at", "dilemma__submitted_at", "pk")
    )


# --- Assignment -----------------------------------------------------------------------------------


def _check_editor(user) -> None:
    if not is_editor(user):
        raise AcademyError(_("Only editors may do this."), code="not_editor")


def _check_undecided(edition: AcademyEditionPage) -> None:
    if edition.decisions_published:
        raise AcademyError(_("The decisions of this edition have been published."), code="decided")


def edition_experts(edition: AcademyEditionPage) -> list[EditionExpert]:
    return list(
        EditionExpert.objects.filter(edition=edition, user__is_active=True)
        .select_related("user")
        .prefetch_related("themes")
    )


def _person(expert: EditionExpert) -> algorithm.Person:
    user = expert.user
    return algorithm.Person(
        id=user.pk,
        city=user.city or "",
        organisation=user.organisation or "",
        themes=frozenset(theme.pk for theme in expert.themes.all()),
    )


def _submission(dilemma: Dilemma) -> algorithm.Submission:
    return algorithm.Submission(
        id=dilemma.pk,
        submitter_id=dilemma.submitter_id,
        city=dilemma.city,
        organisation=dilemma.organisation,
        themes=frozenset(theme.pk for theme in dilemma.themes.all()),
    )


def conflict_of(expert_user, dilemma: Dilemma) -> bool:
    """Whether the conflict rule forbids this expert this dilemma."""
    person = algorithm.Person(
        id=expert_user.pk, city=expert_user.city or "", organisation=expert_user.organisation or ""
    )
    return algorithm.in_conflict(person, _submission(dilemma))


def assign_by_hand(dilemma: Dilemma, expert_user, *, actor) -> Assignment:
    """An editor asks an expert of the edition to review a dilemma; the conflict rule holds
    for editors too."""
    _check_editor(actor)
    with transaction.atomic():
        dilemma = _lock(dilemma)
        edition = dilemma.edition
        _check_undecided(edition)
        if dilemma.state != DilemmaState.SUBMITTED:
            raise AcademyError(_("Only submitted dilemmas are reviewed."), code="not_submitted")
        if not EditionExpert.objects.filter(edition=edition, user=expert_user).exists():
            raise AcademyError(
                _("%(name)s is not an expert of this edition.")
                % {"name": expert_user.get_full_name() or expert_user.email},
                code="not_expert",
            )
        if conflict_of(expert_user, dilemma):
            raise AcademyError(
                _(
                    "%(name)s cannot review this dilemma: it comes from their own city or "
                    "organisation."
                )
                % {"name": expert_user.get_full_name() or expert_user.email},
                code="conflict",
            )
        assignment, created = Assignment.objects.get_or_create(
            dilemma=dilemma, expert=expert_user, defaults={"assigned_by": actor}
        )
        if not created and assignment.automatic:
            # An editor confirming an automatic choice makes it theirs: it no longer moves.
            assignment.automatic = False
            assignment.assigned_by = actor
            assignment.save(update_fields=["automatic", "assigned_by"])
        if created:
            notifications.assigned(assignment)
    return assignment


def unassign(assignment: Assignment, *, actor) -> None:
    """An editor takes an expert off a dilemma, unless the expert has submitted a review."""
    _check_editor(actor)
    with transaction.atomic():
        _lock(assignment.dilemma)
        _check_undecided(assignment.dilemma.edition)
        if Review.objects.filter(assignment=assignment, submitted_at__isnull=False).exists():
            raise AcademyError(_("This expert has already reviewed the dilemma."), code="reviewed")
        assignment.delete()


def assign_automatically(edition: AcademyEditionPage, *, actor) -> int:
    """Give every submitted dilemma its reviewers (`academy.assignment`), keeping what an
    editor assigned by hand and what an expert has started to review. Returns how many new
    assignments were made; each expert gets one e-mail listing what is new for them."""
    _check_editor(actor)
    with transaction.atomic():
        edition = _lock_edition(edition)
        _check_undecided(edition)
        dilemmas = list(
            Dilemma.objects.filter(edition=edition, state=DilemmaState.SUBMITTED).prefetch_related(
                "themes"
            )
        )
        experts = edition_experts(edition)
        current = list(Assignment.objects.filter(dilemma__in=dilemmas).select_related("review"))
        # What may not move: editors' choices, and reviews already begun.
        fixed = [
            (a.dilemma_id, a.expert_id) for a in current if not a.automatic or hasattr(a, "review")
        ]
        result = algorithm.assign(
            [_submission(d) for d in dilemmas],
            [_person(e) for e in experts],
            edition.reviewers_per_dilemma,
            fixed=fixed,
        )
        wanted = {(d, e) for d, chosen in result.items() for e in chosen}
        have = {(a.dilemma_id, a.expert_id): a for a in current}
        for pair, existing in have.items():
            if pair not in wanted and existing.automatic and not hasattr(existing, "review"):
                existing.delete()
        new = [
            Assignment(dilemma_id=d, expert_id=e, automatic=True, assigned_by=actor)
            for d, e in sorted(wanted - set(have))
        ]
        Assignment.objects.bulk_create(new)
        experts_told = {a.expert_id for a in new}
        for expert in experts:
            if expert.user_id in experts_told:
                notifications.assignments_ready(expert.user, edition)
    return len(new)


# --- Review ---------------------------------------------------------------------------------------


def save_review(
    assignment: Assignment,
    expert,
    *,
    scores: Mapping[int, int],
    comment: str,
    submit: bool = False,
    now: datetime | None = None,
) -> Review:
    """The expert's scores (one per published criterion) and comment; `submit` makes the
    review count in the ranking. The expert may change it until the decisions are out."""
    now = now or timezone.now()
    with transaction.atomic():
        dilemma = _lock(assignment.dilemma)
        if assignment.expert_id != getattr(expert, "pk", None):
            raise AcademyError(_("This dilemma is not assigned to you."), code="not_assigned")
        if not Assignment.objects.filter(pk=assignment.pk).exists():
            raise AcademyError(_("This dilemma is no longer assigned to you."), code="not_assigned")
        if dilemma.state != DilemmaState.SUBMITTED:
            raise AcademyError(_("This dilemma was withdrawn."), code="withdrawn")
        _check_undecided(dilemma.edition)
        criteria = {c.pk: c for c in dilemma.edition.criteria.all()}
        errors = {}
        clean_scores = {}
        for criterion_id, value in scores.items():
            if criterion_id not in criteria:
                continue
            if value is None or value == "":
                continue
            if not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX:
                errors[f"score_{criterion_id}"] = _("Give a score from %(low)d to %(high)d.") % {
                    "low": SCORE_MIN,
                    "high": SCORE_MAX,
                }
                continue
            clean_scores[criterion_id] = value
        if submit:
            for criterion_id in criteria:
                if criterion_id not in clean_scores and f"score_{criterion_id}" not in errors:
                    errors[f"score_{criterion_id}"] = _("Score this criterion before you submit.")
        if errors:
            raise AcademyError(
                _("Some scores are missing or out of range."), code="scores", field_errors=errors
            )
        review, _created = Review.objects.get_or_create(assignment=assignment)
        review.comment = clean_html(comment or "")
        if submit and review.submitted_at is None:
            review.submitted_at = now
        review.save()
        Score.objects.filter(review=review).exclude(criterion_id__in=clean_scores).delete()
        for criterion_id, value in clean_scores.items():
            Score.objects.update_or_create(
                review=review, criterion_id=criterion_id, defaults={"score": value}
            )
        review.__dict__.pop("score_map", None)
    return review


@dataclass(frozen=True)
class Ranked:
    """A dilemma's place in the ranking: its weighted mean over the submitted reviews, how far
    the experts' means lie apart, and how many reviewed it of how many were asked."""

    dilemma: Dilemma
    score: float | None
    spread: float | None
    reviews: int
    assigned: int


def weighted_mean(score_map: Mapping[int, int], weights: Mapping[int, int]) -> float | None:
    """One review's score: its criteria's scores weighted by the criteria's weights."""
    total = sum(weights[c] for c in score_map if c in weights)
    if not total:
        return None
    return sum(score_map[c] * weights[c] for c in score_map if c in weights) / total


def ranking(edition: AcademyEditionPage) -> list[Ranked]:
    """The submitted dilemmas, best first; unreviewed ones last. Four queries, whatever the
    number of dilemmas and reviews."""
    weights = {c.pk: c.weight for c in edition.criteria.all()}
    dilemmas = (
        Dilemma.objects.filter(edition=edition, state=DilemmaState.SUBMITTED)
        .select_related("submitter")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("expert", "review").prefetch_related(
                    "review__scores"
                ),
            )
        )
    )
    ranked = []
    for dilemma in dilemmas:
        means = []
        for item in dilemma.assignments.all():
            review = getattr(item, "review", None)
            if review is None or review.submitted_at is None:
                continue
            mean = weighted_mean(review.score_map, weights)
            if mean is not None:
                means.append(mean)
        ranked.append(
            Ranked(
                dilemma=dilemma,
                score=statistics.fmean(means) if means else None,
                spread=(max(means) - min(means)) if len(means) > 1 else (0.0 if means else None),
                reviews=len(means),
                assigned=len(dilemma.assignments.all()),
            )
        )
    ranked.sort(
        key=lambda r: (
            r.score is None,
            -(r.score or 0),
            -r.reviews,
            r.dilemma.submitted_at,
            r.dilemma.pk,
        )
    )
    return ranked


# --- Decisions ------------------------------------------------------------------------------------


def decide(dilemma: Dilemma, decision: str, *, actor, now: datetime | None = None) -> Dilemma:
    """An editor selects or declines a dilemma (or takes the decision back) before the
    decisions are published; nobody is told until then."""
    _check_editor(actor)
    if decision not in Decision.values:
        raise AcademyError(_("Choose selected, not selected or not decided."), code="decision")
    now = now or timezone.now()
    with transaction.atomic():
        edition = _lock_edition(dilemma.edition)
        dilemma = _lock(dilemma)
        _check_undecided(edition)
        if dilemma.state != DilemmaState.SUBMITTED:
            raise AcademyError(_("Only submitted dilemmas can be selected."), code="not_submitted")
        if decision == Decision.SELECTED and dilemma.decision != Decision.SELECTED:
            selected = Dilemma.objects.filter(
                edition=edition, state=DilemmaState.SUBMITTED, decision=Decision.SELECTED
            ).count()
            if selected >= edition.dilemmas_to_select:
                raise AcademyError(
                    _(
                        "This edition selects %(count)d dilemmas, and %(count)d are selected "
                        "already. Decline one first, or change the number in the edition."
                    )
                    % {"count": edition.dilemmas_to_select},
                    code="enough_selected",
                )
        dilemma.decision = decision
        dilemma.decided_at = None if decision == Decision.PENDING else now
        dilemma.decided_by = None if decision == Decision.PENDING else actor
        dilemma.save(update_fields=["decision", "decided_at", "decided_by", "updated_at"])
    return dilemma


def publish_decisions(
    edition: AcademyEditionPage,
    *,
    actor,
    close_call: bool = False,
    now: datetime | None = None,
) -> int:
    """Publish the decisions: every submitter is told the outcome, selected cities get their
    place at the edition with the invite, and identities are no longer hidden from experts.

    Every submitted dilemma must be decided first. While the call is still open, the editor
    must say that publishing closes it (`close_call`): nothing can be submitted or changed
    afterwards. Published once: a second call changes nothing. Returns how many submitters
    were told.
    """
    _check_editor(actor)
    now = now or timezone.now()
    with transaction.atomic():
        edition = _lock_edition(edition)
        if edition.decisions_published:
            return 0
        if edition.call_state(now) != CallState.CLOSED and not close_call:
            raise AcademyError(
                _(
                    "The call is still open until %(date)s. Publishing the decisions now "
                    "closes it: confirm that you want to close it."
                )
                % {"date": _when(edition.call_closes_at)},
                code="call_open",
            )
        dilemmas = list(
            Dilemma.objects.filter(edition=edition, state=DilemmaState.SUBMITTED).select_related(
                "submitter"
            )
        )
        undecided = sum(1 for d in dilemmas if d.decision == Decision.PENDING)
        if undecided:
            raise AcademyError(
                ngettext(
                    "%(count)d dilemma is not decided yet.",
                    "%(count)d dilemmas are not decided yet.",
                    undecided,
                )
                % {"count": undecided},
                code="undecided",
            )
        AcademyEditionPage.objects.filter(pk=edition.pk).update(decisions_published_at=now)
        edition.decisions_published_at = now
        for dilemma in dilemmas:
            dilemma.edition = edition
            if dilemma.is_selected:
                dilemma.registration = events.give_place(
                    edition,
                    events.Person.from_user(dilemma.submitter),
                    user=dilemma.submitter,
                    actor=actor,
                    reserved=not edition.selected_take_general_seats,
                    note=_("Dilemma selected for the Urban Academy"),
                )
                dilemma.save(update_fields=["registration"])
            notifications.decision(dilemma)
    return len(dilemmas)


# --- Feedback -------------------------------------------------------------------------------------


def may_write_feedback(expert, dilemma: Dilemma, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    edition = dilemma.edition
    return bool(
        expert.is_authenticated
        and dilemma.is_selected
        and dilemma.state == DilemmaState.SUBMITTED
        and edition.decisions_published
        and edition.starts_at <= now
        and (
            dilemma.assignments.filter(expert=expert).exists()
            or EditionExpert.objects.filter(edition=edition, user=expert).exists()
        )
    )


def write_feedback(
    dilemma: Dilemma,
    expert,
    *,
    text: str,
    summary: str = "",
    recommended_practices: Iterable[PracticePage] = (),
    send: bool = False,
    now: datetime | None = None,
) -> Feedback:
    """An expert's feedback to a selected city, written once the workshop has begun; `send`
    gives it to the city (an e-mail tells them), after which it can still be corrected."""
    now = now or timezone.now()
    with transaction.atomic():
        dilemma = _lock(dilemma)
        if not may_write_feedback(expert, dilemma, now):
            raise AcademyError(
                _(
                    "Feedback is written by the edition's experts, for selected dilemmas, "
                    "once the workshop has begun."
                ),
                code="not_allowed",
            )
        text = clean_html(text or "")
        if send and not has_text(text):
            raise AcademyError(
                _("Write the feedback before you send it."),
                code="empty",
                field_errors={"text": _("Write the feedback before you send it.")},
            )
        feedback, _created = Feedback.objects.get_or_create(
            dilemma=dilemma, expert=expert, defaults={"text": text}
        )
        feedback.text = text
        feedback.summary = summary.strip()
        first_sending = send and feedback.sent_at is None
        if first_sending:
            feedback.sent_at = now
        feedback.save()
        feedback.recommended_practices.set([p for p in recommended_practices if p.live])
        if first_sending:
            notifications.feedback_sent(feedback)
    return feedback


def feedback_for_city(dilemma: Dilemma) -> list[Feedback]:
    """The feedback the city may read: what the experts have sent."""
    return list(
        dilemma.feedback.filter(sent_at__isnull=False)
        .select_related("expert")
        .prefetch_related("recommended_practices")
    )


def public_summaries(edition: AcademyEditionPage) -> list[tuple[Dilemma, list[Feedback]]]:
    """The selected dilemmas whose city agreed, with the sent feedback that has a summary: what
    the outcome report shows."""
    dilemmas = (
        Dilemma.objects.filter(
            edition=edition,
            edition__decisions_published_at__isnull=False,
            state=DilemmaState.SUBMITTED,
            decision=Decision.SELECTED,
            summary_may_be_published=True,
        )
        .prefetch_related(
            Prefetch(
                "feedback",
                queryset=Feedback.objects.filter(sent_at__isnull=False)
                .exclude(summary="")
                .select_related("expert")
                .prefetch_related("recommended_practices"),
            )
        )
        .order_by("title", "pk")
    )
    return [(d, list(d.feedback.all())) for d in dilemmas if d.feedback.all()]


def recommendations_of(practice: PracticePage) -> list[Feedback]:
    """Sent feedback that recommends `practice`, in published editions: the practice page
    says "recommended in the Urban Academy"; it names the city only where the city agreed."""
    return list(
        Feedback.objects.filter(
            recommended_practices=practice,
            sent_at__isnull=False,
            dilemma__decision=Decision.SELECTED,
            dilemma__edition__decisions_published_at__isnull=False,
            dilemma__edition__live=True,
        )
        .select_related("dilemma__edition")
        .order_by("-dilemma__edition__starts_at", "pk")
    )


# --- Locks ----------------------------------------------------------------------------------------


def _lock(dilemma: Dilemma) -> Dilemma:
    """The dilemma's row, locked for the transaction, with its edition (not locked)."""
    return (
        Dilemma.objects.select_for_update(of=("self",)).select_related("edition").get(pk=dilemma.pk)
    )


def _lock_edition(edition: AcademyEditionPage) -> AcademyEditionPage:
    # Decisions and the automatic assignment are edition-wide: one editor at a time.
    return AcademyEditionPage.objects.select_for_update(of=("self",)).get(pk=edition.pk)
