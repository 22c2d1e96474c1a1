"""The demo's expert opinion: the demo expert on Bergamo's CAPACITyES, published.

Written only from what the seed article "Lessons from Bergamo's CAPACITyES" says (see the
demo practice in `practices.demo_practices`): the strengths and evidence are the article's,
the conditions are the difficulties it names. Nothing is invented: no figures, no results the
article does not give, which is also why the expert recommends it with conditions.

The row is written as moderation leaves it (published, by the demo moderator), without the
e-mails that `practices.opinions` sends: a demo load tells nobody anything. A second run finds
the opinion and changes nothing; an opinion an editor or the expert has changed is left alone.
"""

from django.utils import timezone

from accounts.models import User
from core.sanitising import text_to_html

from .library import bump_library_version
from .models import ExpertOpinion, OpinionState, PracticePage, Recommendation

PRACTICE_SLUG = "capacityes"

STRENGTHS = (
    "An integrated approach focused on the child's perspective: a temporary co-housing "
    "facility for low-income families with children, with private and shared spaces, and the "
    "HubForKids, a creative hub for children's cognitive and non-cognitive skills through "
    "artistic, sports, musical and cultural activities for different age groups.\n\n"
    "Both facilities are co-designed and co-managed by the families in cooperation with the "
    "neighbourhood, to enhance social participation, integration and cohesion."
)
EVIDENCE = (
    "The evidence published so far is qualitative: the Municipality of Bergamo's European "
    "Project Management Office reports that the project made several municipal services and "
    "local partners work together, where they normally work separately.\n\n"
    "The article that describes the project gives no measured results for the children or "
    "the families yet."
)
CONDITIONS = (
    "A city that reuses it needs several municipal services and local partners ready to work "
    "together on the same activities.\n\n"
    "It should plan the co-design of shared spaces with families who differ in religion and "
    "culture, and a space that mothers with babies, young children and teenagers can share. "
    "Families' situations change over the project (in Bergamo, after the COVID-19 pandemic, "
    "some lost their jobs): the design must follow them."
)


def load_demo_opinions(*, expert: User, moderator: User) -> ExpertOpinion | None:
    """The demo expert's published opinion on CAPACITyES, created if it is missing."""
    practice = PracticePage.objects.live().filter(slug=PRACTICE_SLUG).first()
    if practice is None:
        return None
    existing = ExpertOpinion.objects.filter(practice=practice, expert=expert).first()
    if existing is not None:
        return existing
    now = timezone.now()
    opinion = ExpertOpinion.objects.create(
        practice=practice,
        expert=expert,
        strengths=text_to_html(STRENGTHS),
        evidence=text_to_html(EVIDENCE),
        conditions=text_to_html(CONDITIONS),
        recommendation=Recommendation.WITH_CONDITIONS,
        state=OpinionState.PUBLISHED,
        moderated_by=moderator,
        submitted_at=now,
        published_at=now,
    )
    # The library's facet "with an expert opinion" counts it from the next request.
    bump_library_version([practice.pk])
    return opinion
