"""Demo content for the Urban Academy: two editions from the Inclusion partnership's work plan.

From ../shared/seeds: the Urban Academy is "a three-day thematic expert workshop" where cities
present policy dilemmas and the selected ones receive feedback from experts (the article on the
partnership); the work plan 2024-2027 has the labour-market action disseminate its
capacity-building output through the Urban Academy in 2026, and the action on combating
migration disinformation, hate speech and discrimination test its guidelines "in an Urban
Academy edition or another online or hybrid format: January – March 2027, format tbd". Its
analysis names the problem the dilemmas below come from: an imbalance of responsibilities
between local, regional and national authorities, and few initiatives for the departments
other than migration (health, education, social services, housing, justice).

- The **disinformation edition** (early 2027, online as the format is still open) has its call
  open, two experts (the demo expert and a second one), three submitted dilemmas from cities
  and regions of the action's members, and reviews; the demo expert still has one to write.
- The **labour-market edition** (2026, past) has selected dilemmas, one of them the demo
  member's, feedback the experts sent, and an outcome report with the summaries the cities
  agreed to publish.

The dilemmas' wording and the days and times are the demo's own; the seeds give the themes,
the members and the months. Everything is written as rows, as the services leave them, but
without e-mails: `load_demo` sends nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page

from core import roles
from events.models import EventFormat, OutcomeReportPage, Registration, RegistrationChange
from events.models import RegistrationState as State
from practices.models import Action, Partnership, PracticePage, Theme

from .models import (
    AcademyEditionPage,
    AcademyIndexPage,
    Assignment,
    Decision,
    Dilemma,
    DilemmaState,
    EditionExpert,
    Feedback,
    ProgrammeSession,
    Review,
    Score,
    SelectionCriterion,
)

INDEX = {
    "title": "Urban Academy",
    "slug": "academy",
    "introduction": (
        "<p>The Urban Academy is a three-day thematic expert workshop. Cities present the "
        "policy dilemmas they face; experts review them, and the selected cities work on "
        "theirs in the workshop and receive written feedback from experts in the field.</p>"
        "<p>It began as an action of the Urban Agenda Partnership on Inclusion of Migrants and "
        "Refugees and has become a structural instrument of the European Commission's "
        "Directorate-General for Migration and Home Affairs.</p>"
    ),
}
MIGRANTS = "inclusion-of-migrants-and-refugees"
ORGANISER = ("Inclusion Partnership Secretariat", "academy@urbanexchange.test")
DEMO_MEMBER = "member@urbanexchange.test"
DEMO_EXPERT = "expert@urbanexchange.test"

CRITERIA = [
    ("Relevance for other cities", "Would other cities learn from working on it?", 3),
    ("A real choice", "Is the dilemma a choice between options the city could take?", 2),
    ("Room to act", "Can the city act on the experts' advice within its powers?", 2),
]


@dataclass
class DemoPerson:
    email: str
    first_name: str
    last_name: str
    organisation: str
    city: str
    country: str
    organisation_type: str = "city"
    job_title: str = ""


SECOND_EXPERT = DemoPerson(
    "ana.ferreira@example.test",
    "Ana",
    "Ferreira",
    "University of Coimbra",
    "Coimbra",
    "PT",
    organisation_type="university",
    job_title="Researcher in migration and public communication",
)


@dataclass
class DemoDilemma:
    submitter: DemoPerson | str  # a DemoPerson, or the demo member's address
    title: str
    policy_context: str
    dilemma: str
    tried: str
    expectations: str
    themes: tuple[str, ...]
    #: Scores per expert: {expert address: [score per criterion] or None for a review to do}.
    reviews: dict[str, list[int] | None] = field(default_factory=dict)
    decision: str = Decision.PENDING
    #: (expert address, feedback, summary, recommended practice slugs)
    feedback: list[tuple[str, str, str, tuple[str, ...]]] = field(default_factory=list)
    summary_may_be_published: bool = False


FUENLABRADA = DemoPerson(
    "integration@fuenlabrada.example.test",
    "Lucía",
    "Moreno",
    "Ayuntamiento de Fuenlabrada",
    "Fuenlabrada",
    "ES",
    job_title="Head of the social inclusion service",
)
AMSTERDAM = DemoPerson(
    "diversity@amsterdam.example.test",
    "Daan",
    "de Vries",
    "City of Amsterdam",
    "Amsterdam",
    "NL",
    job_title="Policy adviser, diversity and inclusion",
)
CATALONIA = DemoPerson(
    "migration@catalonia.example.test",
    "Núria",
    "Puig",
    "Government of Catalonia",
    "Barcelona",
    "ES",
    organisation_type="region",
    job_title="Officer, Directorate-General for Migration",
)
WARSAW = DemoPerson(
    "labour@warsaw.example.test",
    "Piotr",
    "Nowak",
    "City of Warsaw",
    "Warsaw",
    "PL",
    job_title="Labour-market programmes coordinator",
)
PRATO = DemoPerson(
    "lavoro@prato.example.test",
    "Giulia",
    "Bianchi",
    "Comune di Prato",
    "Prato",
    "IT",
    job_title="Employment services officer",
)


def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


DISINFORMATION_DILEMMAS = [
    DemoDilemma(
        FUENLABRADA,
        "Train every department, or a specialised team first?",
        _p(
            "Our migration and asylum officers have had training on disinformation and hate "
            "speech. The staff of health centres, schools, social services and housing, who "
            "meet residents every day, have had none."
        ),
        _p(
            "With one year's training budget we can either give every front-line department a "
            "short introduction, or train a small team in depth that the departments call on "
            "when a rumour spreads. We cannot do both this year."
        ),
        _p("A one-off information session for managers, which few attended."),
        _p(
            "How other cities decided, what each option cost them, and what they would do "
            "differently."
        ),
        ("disinformation-and-hate-speech",),
        reviews={DEMO_EXPERT: [4, 5, 4], SECOND_EXPERT.email: [5, 4, 4]},
    ),
    DemoDilemma(
        AMSTERDAM,
        "Answer each false story, or invest in trusted messengers?",
        _p(
            "False stories about newcomers reach residents through neighbourhood chat groups "
            "faster than any correction from the city."
        ),
        _p(
            "Should the city answer every false story publicly and quickly, at the risk of "
            "spreading it further, or put its effort into migrant-led organisations and local "
            "media that residents already trust?"
        ),
        _p("A fact-check page on the city's website."),
        _p("Evidence on what works, and examples of cities that work with trusted messengers."),
        ("disinformation-and-hate-speech", "participation"),
        reviews={DEMO_EXPERT: None, SECOND_EXPERT.email: [4, 4, 3]},
    ),
    DemoDilemma(
        CATALONIA,
        "Who answers: the region or the municipality?",
        _p(
            "Responsibilities for countering disinformation about migration are unevenly "
            "spread between the region, its municipalities and the national level."
        ),
        _p(
            "Should the region build one response for all its municipalities, or support each "
            "municipality to respond in its own way, closer to its residents?"
        ),
        _p("A self-assessment questionnaire sent to the municipalities' departments."),
        _p("How a region can support its municipalities without taking their role."),
        ("disinformation-and-hate-speech",),
        reviews={DEMO_EXPERT: [3, 4, 5], SECOND_EXPERT.email: [3, 3, 4]},
    ),
]

LABOUR_DILEMMAS = [
    DemoDilemma(
        DEMO_MEMBER,
        "Language first, or work first?",
        _p(
            "Refugees arriving in Mechelen wait months for a language course before any job "
            "counselling starts."
        ),
        _p(
            "Should the city keep language learning as the first step, or start job "
            "placement at once with language learning on the job?"
        ),
        _p("A pilot with two employers in the logistics sector."),
        _p("What other cities learnt from starting early, and how they kept employers on board."),
        ("labour-market-integration",),
        reviews={DEMO_EXPERT: [5, 5, 4], SECOND_EXPERT.email: [4, 5, 5]},
        decision=Decision.SELECTED,
        feedback=[
            (
                DEMO_EXPERT,
                _p(
                    "Start placement early, with language learning on the job, for the people "
                    "who want it; keep the course-first route for the others.",
                    "Agree with the employers on a mentor in each workplace before the first "
                    "placement.",
                ),
                "Start job placement early, with language learning on the job and a mentor "
                "at each employer, and keep a course-first route for those who prefer it.",
                ("tastin-fives",),
            )
        ],
        summary_may_be_published=True,
    ),
    DemoDilemma(
        WARSAW,
        "Recognise qualifications first, or place people in jobs below them?",
        _p("Many newcomers hold qualifications that take a year or more to recognise."),
        _p(
            "Should the city's employment service wait for the recognition, or help people "
            "into jobs below their qualifications in the meantime?"
        ),
        _p("Advice sessions on the recognition procedure."),
        _p("How to avoid people staying stuck in jobs below their skills."),
        ("labour-market-integration",),
        reviews={DEMO_EXPERT: [4, 4, 4], SECOND_EXPERT.email: [4, 3, 4]},
        decision=Decision.SELECTED,
        feedback=[
            (
                SECOND_EXPERT.email,
                _p(
                    "Do both: a job now and the recognition in parallel, with a review after "
                    "six months so that nobody stays below their skills by default."
                ),
                "",
                (),
            )
        ],
    ),
    DemoDilemma(
        PRATO,
        "One service desk for newcomers, or in every service?",
        _p("Newcomers looking for work are sent from one office to another."),
        _p(
            "Should the city open one desk for newcomers, or train every employment office to "
            "serve them?"
        ),
        _p("A list of contacts handed out at registration."),
        _p("Examples of one-stop shops and what they cost."),
        ("labour-market-integration",),
        reviews={DEMO_EXPERT: [3, 3, 3], SECOND_EXPERT.email: [2, 3, 3]},
        decision=Decision.DECLINED,
    ),
]


def load_demo_academy(home: Page) -> AcademyIndexPage:
    """The Academy's index below `home` with the two demo editions."""
    index = AcademyIndexPage.objects.first()
    if index is None:
        index = AcademyIndexPage(**INDEX, live=False, show_in_menus=True)
        home.add_child(instance=index)
        index.save_revision().publish()
        index = AcademyIndexPage.objects.get(pk=index.pk)
    existing = set(index.get_children().values_list("slug", flat=True))
    expert = get_user_model().objects.get(email=DEMO_EXPERT)
    second = _person(SECOND_EXPERT, group=roles.EXPERTS)
    experts = {DEMO_EXPERT: expert, SECOND_EXPERT.email: second}
    now = timezone.now()
    if "countering-disinformation-2027" not in existing:
        edition = _edition(
            index,
            slug="countering-disinformation-2027",
            title="Urban Academy: countering disinformation about migration",
            theme="Countering migration disinformation, hate speech and discrimination",
            summary=(
                "Cities and regions bring their dilemmas on disinformation and hate speech "
                "about migration; experts help them choose, using the partnership's new "
                "guidelines."
            ),
            description=_p(
                "The partnership's action on combating migration disinformation, hate speech "
                "and discrimination tests its guidelines in this edition. The work plan leaves "
                "the format open; this edition is held online.",
            ),
            start=max(
                datetime.date(2027, 2, 16), timezone.localdate() + datetime.timedelta(days=75)
            ),
            call_opens_at=now - datetime.timedelta(days=14),
            call_closes_at=now + datetime.timedelta(days=28),
            action=3,
            themes=("disinformation-and-hate-speech",),
            experts=experts,
            expert_themes={
                DEMO_EXPERT: ("labour-market-integration", "disinformation-and-hate-speech"),
                SECOND_EXPERT.email: ("disinformation-and-hate-speech", "participation"),
            },
        )
        for demo in DISINFORMATION_DILEMMAS:
            _dilemma(edition, demo, experts, submitted_at=now - datetime.timedelta(days=7))
    if "labour-market-integration-2026" not in existing:
        start = timezone.localdate() - datetime.timedelta(days=60)
        edition = _edition(
            index,
            slug="labour-market-integration-2026",
            title="Urban Academy: early labour-market integration of refugees",
            theme="Supporting the early labour-market integration of refugees and asylum seekers",
            summary=(
                "The labour-market action shares its capacity-building output: cities worked on "
                "their dilemmas about the first steps into work."
            ),
            description=_p(
                "The partnership's action on inclusive integration into quality jobs "
                "disseminates its capacity-building output through the Urban Academy.",
            ),
            start=start,
            call_opens_at=now - datetime.timedelta(days=150),
            call_closes_at=now - datetime.timedelta(days=110),
            action=1,
            themes=("labour-market-integration",),
            experts=experts,
            expert_themes={
                DEMO_EXPERT: ("labour-market-integration",),
                SECOND_EXPERT.email: ("labour-market-integration",),
            },
            anonymous_review=True,
            decisions_published_at=now - datetime.timedelta(days=95),
        )
        dilemmas = [
            _dilemma(edition, demo, experts, submitted_at=now - datetime.timedelta(days=120))
            for demo in LABOUR_DILEMMAS
        ]
        _programme(edition, dilemmas, experts)
        _report(edition)
    return index


def _person(demo: DemoPerson, *, group: str | None = None):
    """A demo person who cannot sign in (no usable password), with a verified address."""
    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=demo.email).first()
    if user is None:
        user = user_model(
            username=demo.email,
            email=demo.email,
            first_name=demo.first_name,
            last_name=demo.last_name,
            organisation=demo.organisation,
            organisation_type=demo.organisation_type,
            city=demo.city,
            country=demo.country,
            job_title=demo.job_title,
        )
        user.set_unusable_password()
        user.save()
        EmailAddress.objects.create(user=user, email=demo.email, primary=True, verified=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def _edition(
    index,
    *,
    slug,
    title,
    theme,
    summary,
    description,
    start,
    call_opens_at,
    call_closes_at,
    action,
    themes,
    experts,
    expert_themes,
    anonymous_review=True,
    decisions_published_at=None,
) -> AcademyEditionPage:
    partnership = Partnership.objects.filter(slug=MIGRANTS).first()
    edition = AcademyEditionPage(
        title=title,
        slug=slug,
        theme=theme,
        summary=summary,
        description=description,
        format=EventFormat.ONLINE,
        start_date=start,
        end_date=start + datetime.timedelta(days=2),
        start_time=datetime.time(9, 30),
        end_time=datetime.time(16, 30),
        joining_link=f"https://meet.urbanexchange.test/academy-{slug}",
        capacity=40,
        organiser_name=ORGANISER[0],
        organiser_email=ORGANISER[1],
        partnership=partnership,
        action=Action.objects.filter(partnership=partnership, number=action).first(),
        call_opens_at=call_opens_at,
        call_closes_at=call_closes_at,
        call_guidance=_p(
            "A good dilemma is a real choice your city or region faces now, between options "
            "it could take, on the edition's theme. Say what is at stake, what you have "
            "tried, and what you hope the experts will help you decide.",
        ),
        dilemmas_to_select=2,
        reviewers_per_dilemma=2,
        anonymous_review=anonymous_review,
        live=False,
    )
    edition.themes = list(Theme.objects.filter(slug__in=themes))
    for position, (name, description_text, weight) in enumerate(CRITERIA):
        edition.criteria.add(
            SelectionCriterion(
                name=name, description=description_text, weight=weight, sort_order=position
            )
        )
    for position, (address, user) in enumerate(experts.items()):
        expert = EditionExpert(user=user, sort_order=position)
        expert.themes = list(Theme.objects.filter(slug__in=expert_themes.get(address, ())))
        edition.experts.add(expert)
    index.add_child(instance=edition)
    edition.save_revision().publish()
    if decisions_published_at:
        AcademyEditionPage.objects.filter(pk=edition.pk).update(
            decisions_published_at=decisions_published_at
        )
    return AcademyEditionPage.objects.get(pk=edition.pk)


def _dilemma(edition, demo: DemoDilemma, experts, *, submitted_at) -> Dilemma:
    if isinstance(demo.submitter, str):
        submitter = get_user_model().objects.get(email=demo.submitter)
    else:
        submitter = _person(demo.submitter)
    dilemma = Dilemma.objects.create(
        edition=edition,
        submitter=submitter,
        title=demo.title,
        city=submitter.city,
        country=submitter.country,
        organisation=submitter.organisation,
        policy_context=demo.policy_context,
        dilemma=demo.dilemma,
        tried=demo.tried,
        expectations=demo.expectations,
        consent_to_share=True,
        state=DilemmaState.SUBMITTED,
        submitted_at=submitted_at,
        decision=demo.decision,
        decided_at=submitted_at + datetime.timedelta(days=20)
        if demo.decision != Decision.PENDING
        else None,
        summary_may_be_published=demo.summary_may_be_published,
    )
    dilemma.themes.set(Theme.objects.filter(slug__in=demo.themes))
    criteria = list(edition.criteria.all())
    for address, scores in demo.reviews.items():
        assignment = Assignment.objects.create(
            dilemma=dilemma, expert=experts[address], automatic=True
        )
        if scores is None:
            continue
        review = Review.objects.create(
            assignment=assignment,
            comment=_p("Clear dilemma; the options are well described."),
            submitted_at=submitted_at + datetime.timedelta(days=10),
        )
        Score.objects.bulk_create(
            Score(review=review, criterion=criterion, score=score)
            for criterion, score in zip(criteria, scores, strict=True)
        )
    if demo.decision == Decision.SELECTED and edition.decisions_published_at:
        dilemma.registration = _place(edition, submitter)
        dilemma.save(update_fields=["registration"])
    for address, text, summary, practices in demo.feedback:
        feedback = Feedback.objects.create(
            dilemma=dilemma,
            expert=experts[address],
            text=text,
            summary=summary,
            sent_at=edition.ends_at + datetime.timedelta(days=7),
        )
        feedback.recommended_practices.set(PracticePage.objects.live().filter(slug__in=practices))
    return dilemma


def _place(edition, user) -> Registration:
    """The place a selected city was given (events.services.give_place), without the e-mail."""
    registration = Registration.objects.create(
        event=edition,
        user=user,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        organisation=user.organisation,
        organisation_type=user.organisation_type,
        country=user.country,
        state=State.ATTENDED,
        checked_in_at=edition.starts_at,
        reserved_place=True,
    )
    for previous, to_state in (("", State.CONFIRMED), (State.CONFIRMED, State.ATTENDED)):
        RegistrationChange.objects.create(
            registration=registration,
            from_state=previous,
            to_state=to_state,
            note="Dilemma selected for the Urban Academy" if not previous else "",
        )
    return registration


def _programme(edition, dilemmas, experts) -> None:
    day = edition.start_date
    sessions = [
        (
            day,
            datetime.time(9, 30),
            datetime.time(11, 0),
            "Opening: the first steps into work",
            [],
            list(experts.values()),
        ),
        (
            day,
            datetime.time(11, 30),
            datetime.time(13, 0),
            "Dilemma: language first, or work first?",
            dilemmas[:1],
            [experts[DEMO_EXPERT]],
        ),
        (
            day + datetime.timedelta(days=1),
            datetime.time(9, 30),
            datetime.time(11, 0),
            "Dilemma: recognising qualifications",
            dilemmas[1:2],
            [experts[SECOND_EXPERT.email]],
        ),
        (
            day + datetime.timedelta(days=2),
            datetime.time(14, 0),
            datetime.time(16, 30),
            "What the cities take home",
            [],
            list(experts.values()),
        ),
    ]
    edition_experts = {e.user_id: e for e in edition.experts.all()}
    for position, (when, starts, ends, title, linked, people) in enumerate(sessions):
        session = ProgrammeSession.objects.create(
            edition=edition, day=when, starts=starts, ends=ends, title=title, sort_order=position
        )
        session.dilemmas.set(linked)
        session.experts.set([edition_experts[p.pk] for p in people])
        if linked:
            session.practices.set(PracticePage.objects.live().filter(slug="tastin-fives"))
        session.save()  # commits the relations set above


def _report(edition) -> None:
    report = OutcomeReportPage(
        slug="outcome-report",
        title="Outcome report: early labour-market integration of refugees",
        summary="Three days on the first steps into work: two cities' dilemmas, the experts' "
        "advice, and what the participants take home.",
        key_takeaways=_p(
            "Starting job placement early works when employers have a mentor for each "
            "newcomer, and when a course-first route stays open for those who want it."
        ),
        recommendations=_p(
            "Review placements below a person's qualifications after six months, so that "
            "nobody stays there by default."
        ),
        live=False,
    )
    edition.add_child(instance=report)
    # Published as an editor would, but the demo participants are not e-mailed.
    OutcomeReportPage.objects.filter(pk=report.pk).update(participants_told_at=timezone.now())
    report.refresh_from_db()
    report.save_revision().publish()
