from .event import (
    AgendaItem,
    EventFormat,
    EventIndexPage,
    EventKind,
    EventPage,
    EventPractice,
    EventSpeaker,
    QuestionKind,
    RegistrationQuestion,
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
    "QuestionKind",
    "Registration",
    "RegistrationChange",
    "RegistrationQuestion",
    "RegistrationState",
]
