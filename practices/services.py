"""The rules of the practice library: how a member drafts, submits and revises a practice.

A practice a member writes is a real, non-live `PracticePage` below the library, owned by the
member. Each save is a page revision, so moderators get Wagtail's comparison, comments and
preview. Once published, the member's edits are new revisions too: the live version stays up
until a moderator approves the next one.

Views call these functions; they hold no rules of their own. Every refusal is a
`PracticeError` whose message can be shown to the person as it is.

Moderators approve and request changes in Wagtail's own workflow views, so the rules of reviewing
live in the workflow task that Wagtail calls (`practices.models.review`), not here.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.documents import get_document_model
from wagtail.documents.models import AbstractDocument
from wagtail.models import Revision, Workflow, WorkflowState
from wagtail.permissions import policy_registry

from accounts.models import User
from core.sanitising import has_text
from core.uploads import files_stored_atomically, is_member_upload

from .models import City, Country, PracticeDocument, PracticeIndexPage, PracticePage
from .moderation import assign_moderation_workflow
from .places import Choice, Place, population_band


class PracticeError(Exception):
    """The practice library refuses what someone asked for; `message` says why, in words they
    understand. `retry_after`, when set, is in how many seconds trying again can succeed."""

    def __init__(self, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class SubmissionState:
    """Where a member's practice stands, in the member's words."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    PUBLISHED = "published"

    LABELS = {
        DRAFT: gettext_lazy("Draft"),
        IN_REVIEW: gettext_lazy("In review"),
        CHANGES_REQUESTED: gettext_lazy("Changes requested"),
        PUBLISHED: gettext_lazy("Published"),
    }


@dataclass(frozen=True)
class Submission:
    """A member's practice as their dashboard shows it."""

    practice: PracticePage
    state: str
    is_live: bool
    has_unpublished_changes: bool
    moderator_comment: str
    updated_at: datetime | None
    #: Someone other than the owner (an admin or editor in Wagtail's editor) saved the latest
    #: version: the member is shown so, as their next submission would carry that change.
    changed_by_someone_else: bool = False

    @property
    def state_label(self) -> str:
        return str(SubmissionState.LABELS[self.state])

    @property
    def is_draft(self) -> bool:
        return self.state == SubmissionState.DRAFT

    @property
    def is_in_review(self) -> bool:
        return self.state == SubmissionState.IN_REVIEW

    @property
    def changes_requested(self) -> bool:
        return self.state == SubmissionState.CHANGES_REQUESTED

    @property
    def is_published(self) -> bool:
        return self.state == SubmissionState.PUBLISHED

    @property
    def has_published_version(self) -> bool:
        """A version is online while the member works on the next one."""
        return self.is_live and not self.is_published

    @property
    def can_edit(self) -> bool:
        return not self.is_in_review


# --- Finding a member's practices -------------------------------------------------------------


def practices_owned_by(member: User) -> QuerySet[PracticePage]:
    """Every practice `member` owns, live or not, the most recently changed first."""
    return (
        PracticePage.objects.filter(owner=member)
        .select_related("latest_revision")
        .order_by("-latest_revision_created_at", "-pk")
    )


def owned_practice(member: User, practice_id: int) -> PracticePage:
    """The practice with this id if `member` owns it.

    Raises `PracticePage.DoesNotExist` for anyone else's, so that a view answers 404 and does
    not even confirm that the practice exists.
    """
    if not member.is_authenticated:
        raise PracticePage.DoesNotExist
    return PracticePage.objects.get(pk=practice_id, owner=member)


def latest_draft(practice: PracticePage) -> PracticePage:
    """The practice as the member last saved it: the latest revision, not the live version."""
    # The caller's object may predate the last save; its pointer to the latest revision would
    # then bring back an older draft.
    practice.refresh_from_db(fields=["latest_revision"])
    return practice.get_latest_revision_as_object()


def the_library() -> PracticeIndexPage:
    library = PracticeIndexPage.objects.first()
    if library is None:
        raise PracticeError(_("The practice library is not open yet. Please try again later."))
    return library


# --- Drafting and submitting ------------------------------------------------------------------


def _in_review(practice: PracticePage) -> WorkflowState | None:
    state = practice.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        return state
    return None


def ensure_editable(practice: PracticePage) -> None:
    """A practice with the moderators cannot change under their eyes: approving publishes the
    latest revision, which must be the one they read."""
    if _in_review(practice) is not None:
        raise PracticeError(
            _(
                "Your practice is with the moderators. Withdraw it from review if you need to "
                "change something."
            )
        )


@transaction.atomic
def start_practice(member: User, draft: PracticePage) -> PracticePage:
    """Create `draft` as a new, unpublished practice in the library, owned by `member`."""
    library = the_library()
    draft.owner = member
    draft.live = False
    draft.has_unpublished_changes = True
    library.add_child(instance=draft)
    draft.save_revision(user=member, log_action=True)
    return draft


def save_draft(member: User, draft: PracticePage) -> Revision:
    """Save the member's changes to their practice as a new revision.

    `draft` is the object from `latest_draft()` with the member's changes applied. The live
    version of a published practice is left as it is until a moderator approves the change.
    Images and documents the member added (not stored yet) are stored in the same transaction
    as the revision: if the save is refused or fails, neither their rows nor files are kept.
    """
    with files_stored_atomically() as store:
        practice = owned_practice(member, draft.pk)
        ensure_editable(practice)
        # A new file was attached before it had an id (so its key is still empty); once it is
        # stored, attaching it again gives the revision the id.
        for item in draft.images.all():
            if item.image_id is None:
                store(item.image)
                item.image = item.image
        for item in draft.documents.all():
            if item.document_id is None:
                store(item.document)
                item.document = item.document
        return draft.save_revision(user=member, log_action=True)


def missing_for_review(draft: PracticePage) -> list[tuple[str, str]]:
    """What a moderator needs that the practice does not say yet, as (step, message) pairs."""
    missing: list[tuple[str, str]] = []
    if not draft.themes.all():
        missing.append(("classification", _("Choose at least one theme.")))
    if not draft.governance_levels.all():
        missing.append(("classification", _("Choose at least one governance level.")))
    # Wagtail's editor leaves "<p></p>" in a field that was cleared; a script-only text
    # sanitises to nothing: neither tells the moderators anything.
    if not has_text(draft.problem):
        missing.append(("story", _("Describe the problem the practice answers.")))
    if not has_text(draft.approach):
        missing.append(("story", _("Describe the approach and activities.")))
    if not draft.contact_email:
        missing.append(("contact", _("Give an e-mail address where visitors can reach you.")))
    return missing


def first_step_to_complete(draft: PracticePage) -> str:
    """The first section of the form that still lacks something, where "Edit" takes the member;
    the first section when nothing is missing."""
    missing = {step for step, _message in missing_for_review(draft)}
    for step in ("about", "classification", "story", "media", "contact"):
        if step in missing:
            return step
    return "about"


@transaction.atomic
def submit_for_review(member: User, practice: PracticePage) -> WorkflowState:
    """Send the latest revision of `member`'s practice to the moderators.

    A practice sent back with "changes requested" resumes its workflow, so that the moderators
    see the whole conversation in one place; otherwise a new workflow starts.
    """
    practice = owned_practice(member, practice.pk)
    ensure_editable(practice)
    if practice.live and not practice.has_unpublished_changes:
        raise PracticeError(
            _("This version is already published. Change a section to submit a new version.")
        )
    missing = missing_for_review(latest_draft(practice))
    if missing:
        raise PracticeError(
            _("Your practice is not ready for review yet: %(missing)s")
            % {"missing": " ".join(message for _step, message in missing)}
        )
    state = practice.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user=member)
        return state
    workflow = _workflow_for(practice)
    return workflow.start(practice, member)


def _workflow_for(practice: PracticePage) -> Workflow:
    workflow = practice.get_workflow()
    if workflow is None:
        # A library created before its workflow existed (or whose workflow an editor removed)
        # still must not publish unreviewed practices.
        workflow = assign_moderation_workflow(practice.get_parent().specific)
    return workflow


@transaction.atomic
def withdraw_from_review(member: User, practice: PracticePage) -> None:
    """Take a practice back from the moderators, so that the member can change it."""
    practice = owned_practice(member, practice.pk)
    state = _in_review(practice)
    if state is None:
        raise PracticeError(_("This practice is not waiting for review."))
    state.cancel(user=member)


# --- Cities named for the first time ---------------------------------------------------------


def city_of(choice: Choice) -> City:
    """The `City` a member chose: an existing one, or the one made for a place on first use."""
    if choice.city is not None:
        return choice.city
    return city_of_place(choice.place)


def city_of_place(place: Place) -> City:
    """The library's `City` for a place, created with its coordinates and population band the
    first time a practice names it, so that the map can draw it and the size facet count it."""
    with translation.override("en"):
        country_name = place.country_name
    country, _created = Country.objects.get_or_create(
        code=place.country_code, defaults={"name": country_name}
    )
    existing = City.objects.filter(name__iexact=place.name, country=country).first()
    if existing is not None:
        return existing
    base = slugify(place.name, allow_unicode=True)[:120] or str(place.geonameid)
    for slug in (base, f"{base}-{place.country_code.lower()}", f"{base}-{place.geonameid}"):
        if City.objects.filter(slug=slug).exists():
            continue
        try:
            # Two members naming the same new city at once: the second finds the first's.
            with transaction.atomic():
                return City.objects.create(
                    name=place.name,
                    slug=slug,
                    country=country,
                    latitude=Decimal(str(round(place.latitude, 5))),
                    longitude=Decimal(str(round(place.longitude, 5))),
                    population_band=population_band(place.population),
                )
        except IntegrityError:
            existing = City.objects.filter(name__iexact=place.name, country=country).first()
            if existing is not None:
                return existing
    raise PracticeError(_("This city could not be added. Please choose another one."))


# --- Who may download a practice's document ---------------------------------------------------


def may_download_document(user: User, document: AbstractDocument) -> bool:
    """Everyone may download what a published practice offers; a member's document that no
    published practice offers yet (a draft's, or one waiting for approval) only the member who
    uploaded it with their practice, and staff who may see it in the admin.

    Documents outside the members' collection are left to Wagtail's collection privacy.
    """
    if not is_member_upload(document):
        return True
    if PracticeDocument.objects.filter(document=document, page__live=True).exists():
        return True
    if not user.is_authenticated:
        return False
    if document.uploaded_by_user_id == user.pk:
        return True
    return policy_registry.get_by_type(get_document_model()).user_has_any_permission_for_instance(
        user, ["change", "choose"], document
    )


# --- Where a practice stands ------------------------------------------------------------------


def submissions_of(member: User) -> list[Submission]:
    """The member's practices with their state, in two queries whatever their number."""
    practices = list(practices_owned_by(member))
    states = {
        int(state.object_id): state
        for state in WorkflowState.objects.filter(
            base_content_type__app_label="wagtailcore",
            object_id__in=[str(practice.pk) for practice in practices],
        )
        .select_related("current_task_state")
        .order_by("created_at", "pk")
    }
    return [_submission(practice, states.get(practice.pk)) for practice in practices]


def submission_of(practice: PracticePage) -> Submission:
    state = (
        WorkflowState.objects.filter(
            base_content_type__app_label="wagtailcore", object_id=str(practice.pk)
        )
        .select_related("current_task_state")
        .order_by("-created_at", "-pk")
        .first()
    )
    return _submission(practice, state)


def _submission(practice: PracticePage, last_state: WorkflowState | None) -> Submission:
    """Combine the page's flags with its last workflow state.

    The last workflow state decides while it is open (in review, changes requested). Once it
    is closed, the page says the rest: live and unchanged is published; anything else is a
    draft, including a published practice whose owner has saved changes since.
    """
    comment = ""
    status = last_state.status if last_state else None
    if status == WorkflowState.STATUS_IN_PROGRESS:
        state = SubmissionState.IN_REVIEW
    elif status == WorkflowState.STATUS_NEEDS_CHANGES:
        state = SubmissionState.CHANGES_REQUESTED
        comment = last_state.current_task_state.comment if last_state.current_task_state else ""
    elif practice.live and not practice.has_unpublished_changes:
        state = SubmissionState.PUBLISHED
        if status == WorkflowState.STATUS_APPROVED and last_state.current_task_state:
            comment = last_state.current_task_state.comment
    else:
        state = SubmissionState.DRAFT
    revision = practice.latest_revision
    return Submission(
        practice=practice,
        state=state,
        is_live=practice.live,
        has_unpublished_changes=practice.has_unpublished_changes,
        moderator_comment=comment,
        updated_at=practice.latest_revision_created_at,
        changed_by_someone_else=bool(
            revision is not None
            and revision.user_id is not None
            and revision.user_id != practice.owner_id
            and state != SubmissionState.PUBLISHED
        ),
    )


# --- Transfer lineage ------------------------------------------------------------------------


def possible_originals(practice: PracticePage) -> QuerySet[PracticePage]:
    """The practices `practice` may say it was adapted from: every other published one.

    What else holds (no cycle) is `PracticePage.clean`'s rule, on every way in.
    """
    originals = PracticePage.objects.live().public().select_related("city")
    if practice.pk is not None:
        originals = originals.exclude(pk=practice.pk)
    return originals.order_by("title", "pk")


def find_originals(practice: PracticePage, words: str, *, limit: int = 20) -> list[PracticePage]:
    """Published practices whose name or city contains every one of `words` (one query)."""
    terms = words.split()[:6]
    if not terms:
        return []
    condition = Q()
    for term in terms:
        condition &= Q(title__icontains=term) | Q(city__name__icontains=term)
    return list(possible_originals(practice).filter(condition)[:limit])
