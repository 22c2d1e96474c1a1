"""The member's practices on "My Urban Exchange", each with where it stands."""

from core.sections import Section

from .. import services


def my_practices(request) -> Section:
    return Section(
        "practices/dashboard_section.html",
        {"submissions": services.submissions_of(request.user)},
    )
