"""The member's practices on "My Urban Exchange", each with where it stands."""

from accounts.dashboard import DashboardSection

from .. import services


def my_practices(request) -> DashboardSection:
    return DashboardSection(
        "practices/dashboard_section.html",
        {"submissions": services.submissions_of(request.user)},
    )
