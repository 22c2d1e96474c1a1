"""Two demo submissions that show a newcomer the whole moderation workflow.

The demo city member has submitted one practice that waits for the moderators, and one that a
moderator sent back with a comment. Both go through the same services and workflow task as a
real submission, so the admin shows them in "Practices to review" and the member's dashboard
shows their states.

Their content is what the Cities for Active Inclusion presentation (shared/seeds) says about the
Local Authority Observatories that nine cities set up: no more. The loader is idempotent: a
practice whose slug exists in the library is left alone, whatever state it has reached since.
"""

from dataclasses import dataclass
from datetime import date

from accounts.models import User

from . import services
from .models import City, GovernanceLevel, PracticeIndexPage, PracticePage, PracticeStatus, Theme
from .models.review import REQUEST_CHANGES

OBSERVATORIES = (
    "<p>Cities for Active Inclusion is a partnership of nine European cities (Barcelona, "
    "Birmingham, Bologna, Brno, Copenhagen, Lille Métropole-Roubaix, Rotterdam, Sofia and "
    "Stockholm), each establishing a Local Authority Observatory (LAO) within its "
    "administration, to share information, promote mutual learning and carry out research on "
    "the implementation of active inclusion strategies at the local level.</p>"
    "<p>The observatories are coordinated by EUROCITIES and supported through a partnership "
    "between the European Commission (DG Employment, Social Affairs and Inclusion) and "
    "EUROCITIES. The partnership builds on a pilot phase in five cities between March 2009 and "
    "August 2010.</p>"
)
CHALLENGES = (
    "<p>The partnership's main findings name the challenges: budget cuts and financial "
    "constraints, an increasing number and new profiles of people at risk of social exclusion "
    "and poverty, and ineffective governance.</p>"
)
PROBLEM = (
    "<p>Cities provide and commission social services and labour-market activation support, "
    "but the Active Inclusion strategy (inclusive labour markets, minimum income support and "
    "access to quality social services) is decided and followed up mostly at national and EU "
    "level.</p>"
)


@dataclass(frozen=True)
class DemoSubmission:
    slug: str
    title: str
    city: str
    summary: str
    moderator_comment: str = ""  # empty: still in review


SUBMISSIONS = [
    DemoSubmission(
        slug="rotterdam-local-authority-observatory",
        title="Rotterdam's Local Authority Observatory on active inclusion",
        city="rotterdam",
        summary=(
            "An observatory inside the city administration that follows how active inclusion "
            "works out locally and shares it with eight other cities."
        ),
    ),
    DemoSubmission(
        slug="stockholm-local-authority-observatory",
        title="Stockholm's Local Authority Observatory on active inclusion",
        city="stockholm",
        summary="Stockholm's observatory in the Cities for Active Inclusion partnership.",
        moderator_comment=(
            "Thank you, Stockholm. The text describes the partnership, but not yet what your "
            "observatory did or found. Could you add the results, and what another city would "
            "need to set one up?"
        ),
    ),
]


def load_demo_submissions(
    library: PracticeIndexPage, member: User, moderator: User
) -> list[PracticePage]:
    """Submit the demo practices as `member`; `moderator` sends back the ones with a comment."""
    existing = set(library.get_children().values_list("slug", flat=True))
    created = []
    for item in SUBMISSIONS:
        if item.slug in existing:
            continue
        draft = PracticePage(
            title=item.title,
            slug=item.slug,
            summary=item.summary,
            city=City.objects.get(slug=item.city),
            lead_organisation=f"City of {item.city.title()}",
            partners="EUROCITIES; European Commission, DG Employment, Social Affairs and Inclusion",
            start_date=date(2010, 9, 1),
            status=PracticeStatus.COMPLETED,
            problem=PROBLEM,
            approach=OBSERVATORIES,
            difficulties=CHALLENGES,
            contact_name=member.get_full_name(),
            contact_email=member.email,
        )
        practice = services.start_practice(member, draft)
        draft = services.latest_draft(practice)
        draft.themes = Theme.objects.filter(slug__in=["active-inclusion", "data-and-evidence"])
        draft.governance_levels = GovernanceLevel.objects.filter(slug="local")
        services.save_draft(member, draft)
        workflow_state = services.submit_for_review(member, practice)
        if item.moderator_comment:
            # As Wagtail's "Request changes" button does: through the task, which holds the
            # rules of reviewing.
            task_state = workflow_state.current_task_state
            task_state.task.specific.on_action(
                task_state, moderator, REQUEST_CHANGES, comment=item.moderator_comment
            )
        created.append(practice)
    return created
