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
from .registration import Registration, RegistrationChange, RegistrationState

__all__ = [
    "AgendaItem",
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
