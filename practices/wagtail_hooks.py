from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import services
from .models import (
    Action,
    City,
    Country,
    Fund,
    GovernanceLevel,
    Partnership,
    PracticePage,
    TargetGroup,
    Theme,
)
from .moderation import can_moderate, task_state_to_review
from .opinions import can_moderate_opinions
from .views.opinion_review import opinion_queue, opinion_review
from .views.review_queue import review_queue, review_submission


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class FundViewSet(SnippetViewSet):
    model = Fund
    icon = "euro"
    list_display = ["name", "full_name", "is_eu_fund"]
    list_filter = ["is_eu_fund"]
    search_fields = ["name", "full_name"]


class GovernanceLevelViewSet(SnippetViewSet):
    model = GovernanceLevel
    icon = "list-ol"
    list_display = ["name", "sort_order"]


class TargetGroupViewSet(SnippetViewSet):
    model = TargetGroup
    icon = "group"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class CountryViewSet(SnippetViewSet):
    model = Country
    icon = "globe"
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class CityViewSet(SnippetViewSet):
    model = City
    icon = "site"
    list_display = ["name", "country", "population_band"]
    list_filter = ["country", "population_band"]
    search_fields = ["name"]


class PartnershipViewSet(SnippetViewSet):
    model = Partnership
    icon = "link"
    list_display = ["name", "year_started"]
    search_fields = ["name"]


class ActionViewSet(SnippetViewSet):
    model = Action
    icon = "tasks"
    list_display = ["title", "partnership", "number", "deadline"]
    list_filter = ["partnership"]
    search_fields = ["title", "objective"]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Taxonomy")
    menu_icon = "tag"
    menu_order = 300
    items = (
        ThemeViewSet,
        FundViewSet,
        GovernanceLevelViewSet,
        TargetGroupViewSet,
        CountryViewSet,
        CityViewSet,
        PartnershipViewSet,
        ActionViewSet,
    )


register_snippet(TaxonomyViewSetGroup)


# --- Moderation ---------------------------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_review_queue_url():
    return [
        path("practices/review/", review_queue, name="practices_review_queue"),
        path(
            "practices/review/<id:practice_id>/",
            review_submission,
            name="practices_review_submission",
        ),
        path("practices/opinions/", opinion_queue, name="practices_opinion_queue"),
        path(
            "practices/opinions/<id:opinion_id>/", opinion_review, name="practices_opinion_review"
        ),
    ]


@hooks.register("before_edit_page")
def review_practices_on_the_review_screen(request, page):
    """A moderator who opens the editor of a practice they are to review gets the review screen.

    In the editor, what a moderator types into the practice's fields would become the member's
    next draft when they approve or save (see `views.review_queue`). Superusers keep the editor:
    they may also edit pages as editors do.
    """
    if not isinstance(page, PracticePage) or request.user.is_superuser:
        return None
    if task_state_to_review(page, request.user) is None:
        return None
    return redirect("practices_review_submission", page.pk)


class ReviewQueueMenuItem(MenuItem):
    def is_shown(self, request):
        return can_moderate(request.user)


@hooks.register("register_admin_menu_item")
def register_review_queue_menu_item():
    return ReviewQueueMenuItem(
        _("Practices to review"),
        reverse("practices_review_queue"),
        icon_name="tasks",
        order=250,
    )


class OpinionQueueMenuItem(MenuItem):
    def is_shown(self, request):
        return can_moderate_opinions(request.user)


@hooks.register("register_admin_menu_item")
def register_opinion_queue_menu_item():
    return OpinionQueueMenuItem(
        _("Expert opinions to review"),
        reverse("practices_opinion_queue"),
        icon_name="comment",
        order=251,
    )


# --- Documents of draft practices -----------------------------------------------------------------


@hooks.register("before_serve_document")
def keep_draft_documents_private(document, request):
    """Wagtail's document view asks this before it sends a file (WAGTAILDOCS_SERVE_METHOD is
    "serve_view", so every document link goes through it)."""
    if services.may_download_document(request.user, document):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404
