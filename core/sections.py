"""Sections that higher apps add to the pages of lower ones, without being imported by them.

A lower app cannot import the apps above it (the layer contract in pyproject.toml), yet its
pages show what they add: "My Urban Exchange" shows registrations and dilemmas, a practice page
lists the events where it was presented, the home page shows upcoming events. The lower app
declares a named registry here; each higher app registers a provider in its `AppConfig.ready()`:

    # events/apps.py
    sections.register(sections.PRACTICE_PAGE, presented_at_events)

A provider takes the request and keyword arguments that the page documents (a practice page
passes `practice=`) and returns a `Section`, or None when it has nothing to show. Pages show
the sections in the order the providers were registered.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

#: "My Urban Exchange": providers get the request (the member is request.user).
DASHBOARD = "dashboard"
#: A practice page: providers get the request and `practice=` (a PracticePage).
PRACTICE_PAGE = "practice_page"
#: The home page: providers get the request and `home=` (the HomePage).
HOME_PAGE = "home_page"
#: An event's outcome report: providers get the request, `report=` and `event=` (specific).
OUTCOME_REPORT = "outcome_report"


@dataclass(frozen=True)
class Section:
    """A template to include and the context it needs."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)


SectionProvider = Callable[..., Section | None]
_registries: dict[str, list[SectionProvider]] = {}


def register(registry: str, provider: SectionProvider) -> SectionProvider:
    """Add `provider` to `registry`; registering the same provider twice changes nothing."""
    providers = _registries.setdefault(registry, [])
    if provider not in providers:
        providers.append(provider)
    return provider


def sections_for(registry: str, request: HttpRequest, **kwargs: Any) -> list[Section]:
    """The sections the providers of `registry` have for this request, in registration order."""
    return [
        section
        for provider in _registries.get(registry, [])
        if (section := provider(request, **kwargs)) is not None
    ]
