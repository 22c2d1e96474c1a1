"""The rules of expert opinions: who writes one, who publishes it, who answers it.

In a module of their own beside `practices.services`, which holds the rules of the member's
practices and is long enough already; the refusals are the same `PracticeError`.

- Members of the Experts group write an opinion on a live practice that they do not own, save
  it as a draft and submit it. One opinion per expert and practice; they edit theirs.
- Moderators (the Moderators group) publish it, or send it back or decline it with a comment
  that the expert reads.
- The practice's owner (the member who submitted it: `PracticePage.owner`) may reply once, in
  public, once the opinion is published.

Views and the admin's review screen call these functions; they hold no rules of their own.
Texts are cleaned by `core.sanitising` here, whoever calls. Every e-mail is queued through
`practices.notifications`, after the transaction commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import roles
from core.forms import CONTROL_CHARACTERS
from core.sanitising import clean_html, has_text, text_to_html

from . import notifications
from .library import bump_library_version
from .models import ExpertOpinion, OpinionState, PracticePage, Recommendation
from .services import PracticeError

#: Longer than any opinion the Policy Learning Platform publishes; keeps a paste of a book out.
MAX_TEXT_LENGTH = 20_000
MAX_COMMENT_LENGTH = 5_000

PUBLISH = "publish"
SEND_BACK = "send_back"
DECLINE = "decline"
#: A published opinion taken off the practice's page (a mistake found, the expert asks): it goes
#: back to the expert, who may correct it and submit it again.
UNPUBLISH = "unpublish"
DECISIONS = (PUBLISH, SEND_BACK, DECLINE)


def decisions_for(opinion: ExpertOpinion) -> tuple[str, ...]:
    """What a moderator may do with the opinion as it stands now."""
    if opinion.state == OpinionState.SUBMITTED:
        return DECISIONS
    if opinion.state == OpinionState.PUBLISHED:
        return (UNPUBLISH,)
    return ()


class OpinionError(PracticeError):
    """A refused opinion, with the message and, where one field is at fault, its name."""

    def __init__(self, message: str, *, field_errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.field_errors = dict(field_errors or {})


@dataclass(frozen=True)
class OpinionText:
    """What the expert typed, before it is cleaned."""

    strengths: str = ""
    evidence: str = ""
    conditions: str = ""
    recommendation: str = ""


# --- Who is who -------------------------------------------------------------------------------


def _in_group(user, name: str) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.groups.filter(name=name).exists()
    )


def is_expert(user) -> bool:
    return _in_group(user, roles.EXPERTS)


def can_moderate_opinions(user) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.is_superuser
    ) or _in_group(user, roles.MODERATORS)


def may_write_opinion(user, practice: PracticePage) -> bool:
    """Whether `user` may write (or edit) an opinion on `practice`, as the page's link says."""
    try:
        _check_may_write(user, practice)
    except PracticeError:
        return False
    return True


def _check_may_write(user, practice: PracticePage) -> None:
    if not is_expert(user):
        raise PracticeError(_("Only members of the Urban Academy's experts write opinions."))
    if not practice.live:
        raise PracticeError(_("Opinions are written on published practices only."))
    if practice.owner_id == user.pk:
        raise PracticeError(_("You cannot give an opinion on a practice you submitted."))


# --- Finding opinions -------------------------------------------------------------------------


def published_opinions(practice: PracticePage) -> QuerySet[ExpertOpinion]:
    """What the practice page, the API and the exports show: published opinions only."""
    return practice.published_opinions


def opinion_of(expert, practice: PracticePage) -> ExpertOpinion | None:
    if not getattr(expert, "is_authenticated", False):
        return None
    return ExpertOpinion.objects.filter(practice=practice, expert=expert).first()


def opinions_of(expert) -> QuerySet[ExpertOpinion]:
    return (
        ExpertOpinion.objects.filter(expert=expert)
        .select_related("practice")
        .order_by("-updated_at", "-pk")
    )


def published_for_moderators() -> QuerySet[ExpertOpinion]:
    """Every published opinion, the newest first: where a moderator finds one to unpublish."""
    return (
        ExpertOpinion.objects.filter(state=OpinionState.PUBLISHED)
        .select_related("practice", "expert")
        .order_by("-published_at", "-pk")
    )


def opinions_to_moderate() -> QuerySet[ExpertOpinion]:
    """Submitted opinions, the longest-waiting first."""
    return (
        ExpertOpinion.objects.submitted()
        .select_related("practice", "expert")
        .order_by("submitted_at", "pk")
    )


# --- Writing and submitting -------------------------------------------------------------------


def _cleaned(text: OpinionText) -> dict[str, str]:
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    for name in ("strengths", "evidence", "conditions"):
        raw = str(getattr(text, name) or "")
        if CONTROL_CHARACTERS.search(raw):
            errors[name] = _("Remove the invisible control character from this text.")
        elif len(raw) > MAX_TEXT_LENGTH:
            errors[name] = _("Write at most %(count)d characters.") % {"count": MAX_TEXT_LENGTH}
        values[name] = text_to_html(raw)
    recommendation = str(text.recommendation or "")
    if recommendation and recommendation not in Recommendation.values:
        errors["recommendation"] = _("Choose one of the recommendations.")
    values["recommendation"] = recommendation
    if errors:
        raise OpinionError(_("Some of the opinion cannot be saved."), field_errors=errors)
    return values


def missing_to_submit(opinion: ExpertOpinion) -> dict[str, str]:
    """What a moderator needs that the opinion does not say yet, by field."""
    missing = {}
    if not has_text(opinion.strengths):
        missing["strengths"] = _("Say what the practice's strengths are.")
    if not has_text(opinion.evidence):
        missing["evidence"] = _("Say what evidence your opinion rests on.")
    if not opinion.recommendation:
        missing["recommendation"] = _("Say whether you recommend the practice for transfer.")
    elif opinion.recommendation == Recommendation.WITH_CONDITIONS and not has_text(
        opinion.conditions
    ):
        missing["conditions"] = _("Say which conditions a city needs to transfer it.")
    return missing


@transaction.atomic
def save_opinion(
    expert: User, practice: PracticePage, text: OpinionText, *, submit: bool = False
) -> ExpertOpinion:
    """Save the expert's opinion on `practice` (creating it the first time) and, with
    `submit`, send it to the moderators, who are told by e-mail."""
    _check_may_write(expert, practice)
    values = _cleaned(text)
    # Two tabs saving at once: the unique constraint keeps one row; the lock makes the second
    # save an update of it.
    opinion = (
        ExpertOpinion.objects.select_for_update().filter(practice=practice, expert=expert).first()
    )
    if opinion is None:
        opinion = ExpertOpinion(practice=practice, expert=expert)
    elif not opinion.is_editable:
        raise OpinionError(not_editable_message(opinion))
    for name, value in values.items():
        setattr(opinion, name, value)
    if submit:
        missing = missing_to_submit(opinion)
        if missing:
            raise OpinionError(
                _("Your opinion is not ready for the moderators yet."), field_errors=missing
            )
        opinion.state = OpinionState.SUBMITTED
        opinion.submitted_at = timezone.now()
    opinion.save()
    if submit:
        notifications.opinion_submitted(opinion)
    return opinion


def not_editable_message(opinion: ExpertOpinion) -> str:
    if opinion.state == OpinionState.SUBMITTED:
        return _("Your opinion is with the moderators: it cannot change until they decide.")
    if opinion.state == OpinionState.PUBLISHED:
        return _("Your opinion is published and can no longer be changed.")
    return _("The moderators declined this opinion; it can no longer be changed.")


# --- Moderating -------------------------------------------------------------------------------


@transaction.atomic
def moderate_opinion(
    moderator: User, opinion: ExpertOpinion, decision: str, comment: str = ""
) -> ExpertOpinion:
    """Publish a submitted opinion, or send it back or decline it with a comment; unpublish a
    published one, with a comment, back to the expert.

    The expert is told the decision; on publication the practice's owner is told too.
    """
    if not can_moderate_opinions(moderator):
        raise PracticeError(_("Only moderators publish expert opinions."))
    if decision not in (*DECISIONS, UNPUBLISH):
        raise OpinionError(_("Choose what to do with the opinion."))
    comment = str(comment or "").strip()
    if CONTROL_CHARACTERS.search(comment):
        raise OpinionError(
            _("Remove the invisible control character from your comment."),
            field_errors={"comment": _("Remove the invisible control character.")},
        )
    if len(comment) > MAX_COMMENT_LENGTH:
        raise OpinionError(
            _("Write at most %(count)d characters.") % {"count": MAX_COMMENT_LENGTH},
            field_errors={"comment": _("Shorten your comment.")},
        )
    if decision != PUBLISH and not comment:
        raise OpinionError(
            _("Tell the expert why: they read your comment."),
            field_errors={"comment": _("Tell the expert why.")},
        )
    # Two moderators deciding at once: the second finds it decided.
    opinion = ExpertOpinion.objects.select_for_update().get(pk=opinion.pk)
    if decision not in decisions_for(opinion):
        if decision == UNPUBLISH:
            raise OpinionError(_("This opinion is not published."))
        raise OpinionError(_("This opinion is not waiting for a moderator."))
    if decision == PUBLISH and not opinion.practice.live:
        raise OpinionError(_("The practice is no longer published: the opinion cannot be."))
    opinion.moderator_comment = comment
    opinion.moderated_by = moderator
    if decision == PUBLISH:
        opinion.state = OpinionState.PUBLISHED
        opinion.published_at = timezone.now()
    elif decision in (SEND_BACK, UNPUBLISH):
        opinion.state = OpinionState.SENT_BACK
        # The owner's reply stays with the opinion: it is public again if the opinion is.
        opinion.published_at = None
    else:
        opinion.state = OpinionState.DECLINED
    opinion.save()
    notifications.opinion_decided(opinion, unpublished=decision == UNPUBLISH)
    if decision == PUBLISH:
        notifications.opinion_published_for_owner(opinion)
    if decision in (PUBLISH, UNPUBLISH):
        _public_changed(opinion)
    return opinion


# --- The owner's reply ------------------------------------------------------------------------


def may_reply(user, opinion: ExpertOpinion) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and opinion.is_published
        and opinion.practice.owner_id == user.pk
        and not opinion.owner_reply_at
    )


@transaction.atomic
def reply_to_opinion(owner: User, opinion: ExpertOpinion, text: str) -> ExpertOpinion:
    """The practice owner's one public reply to a published opinion."""
    opinion = (
        ExpertOpinion.objects.select_for_update().select_related("practice").get(pk=opinion.pk)
    )
    if not getattr(owner, "is_authenticated", False) or opinion.practice.owner_id != owner.pk:
        raise PracticeError(_("Only the practice's owner replies to an opinion on it."))
    if not opinion.is_published:
        raise PracticeError(_("You can reply once the opinion is published."))
    if opinion.owner_reply_at is not None:
        raise OpinionError(_("You have already replied to this opinion; a reply is given once."))
    raw = str(text or "")
    if CONTROL_CHARACTERS.search(raw):
        raise OpinionError(
            _("Remove the invisible control character from your reply."),
            field_errors={"reply": _("Remove the invisible control character.")},
        )
    if len(raw) > MAX_TEXT_LENGTH:
        raise OpinionError(
            _("Write at most %(count)d characters.") % {"count": MAX_TEXT_LENGTH},
            field_errors={"reply": _("Shorten your reply.")},
        )
    reply = text_to_html(raw)
    if not reply:
        raise OpinionError(
            _("Write your reply first."), field_errors={"reply": _("Write your reply.")}
        )
    opinion.owner_reply = clean_html(reply)
    opinion.owner_reply_at = timezone.now()
    opinion.save(update_fields=["owner_reply", "owner_reply_at", "updated_at"])
    _public_changed(opinion)
    return opinion


def _public_changed(opinion: ExpertOpinion) -> None:
    """The library's facet, exports and cached lists show published opinions: a new version
    now and after the commit, naming only this practice (see `practices.signals`)."""
    practices = [opinion.practice_id]
    bump_library_version(practices)
    transaction.on_commit(lambda: bump_library_version(practices))
