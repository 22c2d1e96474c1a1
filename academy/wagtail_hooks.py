"""The Urban Academy in the Wagtail admin, for editors only: the dilemmas, and each edition's
review and selection (also a button on the edition in the page explorer and editor)."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy

from .admin_views import (
    POLICY,
    AssignAutomaticallyView,
    AssignView,
    DecideView,
    DilemmaIndexView,
    DilemmaInspectView,
    EditionsView,
    PublishView,
    SelectionView,
    UnassignView,
    selection_url,
)
from .models import AcademyEditionPage, Dilemma

register_permission_policy(Dilemma, POLICY)


def _submitter(dilemma):
    return str(dilemma.submitter)


class DilemmaViewSet(ModelViewSet):
    """Dilemmas: filter by edition, state and decision, read the whole dilemma with its
    reviews, export CSV or XLSX (Wagtail's list export)."""

    model = Dilemma
    icon = "doc-full"
    menu_label = _("Dilemmas")
    url_prefix = "academy/dilemmas"
    permission_policy = POLICY
    index_view_class = DilemmaIndexView
    inspect_view_class = DilemmaInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    # A dilemma is private: no "used by" entry on the edition or on a practice it mentions.
    add_to_reference_index = False
    # Nobody writes a dilemma here (the policy has no "add" or "change"); Wagtail still builds
    # the form of its create and edit views.
    form_fields = []
    list_display = [
        "title",
        "city",
        "organisation",
        Column("submitter", label=_("Submitted by"), accessor=_submitter),
        Column("state", label=_("State"), accessor="get_state_display"),
        Column("decision", label=_("Decision"), accessor="get_decision_display"),
        DateColumn("submitted_at", label=_("Submitted")),
    ]
    list_filter = ["edition", "state", "decision"]
    search_fields = ["title", "city", "organisation"]
    list_export = [
        "edition",
        "title",
        "city",
        "country",
        "organisation",
        "submitter",
        "submitter.email",
        "state",
        "decision",
        "submitted_at",
        "decided_at",
    ]
    export_headings = {"submitter.email": _("E-mail"), "edition": _("Edition")}
    export_filename = "dilemmas"
    inspect_view_fields = [
        "edition",
        "title",
        "city",
        "country",
        "organisation",
        "submitter",
        "state",
        "submitted_at",
        "decision",
        "decided_at",
        "decided_by",
        "consent_to_share",
        "summary_may_be_published",
    ]

    def get_permissions_to_register(self):
        # The policy decides (editors): nothing to grant in the groups editor.
        return Permission.objects.none()

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<id:pk>/decide/", DecideView.as_view(), name="decide"),
            path("<id:pk>/assign/", AssignView.as_view(), name="assign"),
            path("assignments/<id:pk>/remove/", UnassignView.as_view(), name="unassign"),
        ]


class EditorsMenuItem(MenuItem):
    def is_shown(self, request):
        return POLICY.user_has_permission(request.user, "decide")


class SelectionViewSet(ViewSet):
    """Per edition: the ranking, assigning experts, the decisions and their publication."""

    icon = "tasks"
    menu_label = _("Review and selection")
    url_prefix = "academy/editions"
    menu_item_class = EditorsMenuItem

    def get_urlpatterns(self):
        return [
            path("", EditionsView.as_view(), name="index"),
            path("<id:pk>/", SelectionView.as_view(), name="edition"),
            path("<id:pk>/assign/", AssignAutomaticallyView.as_view(), name="assign_automatically"),
            path("<id:pk>/publish/", PublishView.as_view(), name="publish"),
        ]


class AcademyGroup(ViewSetGroup):
    menu_label = _("Urban Academy")
    menu_icon = "doc-full-inverse"
    menu_order = 260
    items = (
        DilemmaViewSet("academy_dilemmas"),
        SelectionViewSet("academy_selection"),
    )


@hooks.register("register_admin_viewset")
def register_academy_viewsets():
    return AcademyGroup()


@hooks.register("register_page_header_buttons")
def edition_page_buttons(page, user, view_name=None, next_url=None):
    """On an edition in the page explorer and editor: its review and selection, for editors."""
    if not isinstance(page.specific_deferred, AcademyEditionPage):
        return
    if POLICY.user_has_permission(user, "decide"):
        yield Button(
            _("Review and selection"),
            url=selection_url(page.pk),
            icon_name="tasks",
            priority=42,
        )
        yield Button(
            _("Dilemmas"),
            url=reverse("academy_dilemmas:index") + f"?edition={page.pk}",
            icon_name="doc-full",
            priority=43,
        )
