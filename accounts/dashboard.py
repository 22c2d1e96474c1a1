"""Sections of "My Urban Exchange" that other apps contribute.

Accounts is the ground layer and cannot import the apps above it, so each app registers a
function here (from its `AppConfig.ready`) that returns its section for a member, or None. The
dashboard shows them in the order they were registered.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class DashboardSection:
    """A template to include on the dashboard and the context it needs."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)


SectionProvider = Callable[[HttpRequest], DashboardSection | None]
_providers: list[SectionProvider] = []


def register_section(provider: SectionProvider) -> SectionProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def sections_for(request: HttpRequest) -> list[DashboardSection]:
    return [section for provider in _providers if (section := provider(request)) is not None]
