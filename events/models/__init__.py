from .event import (
    AgendaItem,
    EventFormat,
    EventIndexPage,
    EventKind,
    EventPage,
    EventPractice,
    EventSpeaker,
    OutcomeReportPage,
    QuestionKind,
    RegistrationQuestion,
    ReportDocument,
)
from .registration import CalendarFeed, Registration, RegistrationChange, RegistrationState

__all__ = [
    "AgendaItem",
    "CalendarFeed",
    "EventFormat",
    "EventIndexPage",
    "EventKind",
    "EventPage",
    "EventPractice",
    "EventSpeaker",
    "OutcomeReportPage",
    "QuestionKind",
    "Registration",
    "RegistrationChange",
    "RegistrationQuestion",
    "RegistrationState",
    "ReportDocument",
]
