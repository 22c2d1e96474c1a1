from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Action, City, Country, Fund, GovernanceLevel, Partnership, TargetGroup, Theme


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
