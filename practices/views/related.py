"""The related practices at the end of a practice page, as one of the page's sections."""

from core.sections import Section

from ..library import related_practices
from ..models import PracticePage


def related_practices_section(request, practice: PracticePage) -> Section | None:
    library = practice.get_parent()
    if library is None:
        return None
    # A preview shows a draft's terms: rank for it, but keep it out of the library's cache.
    practices = related_practices(
        practice, library, cached=not getattr(request, "is_preview", False)
    )
    if not practices:
        return None
    return Section("practices/includes/related_practices.html", {"practices": practices})
