"""The public read-only API (Wagtail API v2): live, public pages only, public fields only.

Wagtail passes some parameters to the database unchecked: a NUL in `search`, an unknown
`search_operator`, a date filter that is no date, an id or offset beyond 64 bits each end in a
server error. `PublicPagesAPIViewSet` answers them with 400 and a message, as Wagtail answers
the parameters it does check.
"""

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from core.forms import CONTROL_CHARACTERS, MAX_ID, is_id

# The kinds of field whose filter values Wagtail hands to the database without a check.
CHECKED_FIELDS = (models.IntegerField, models.DateField, models.ForeignKey)
SEARCH_OPERATORS = ("and", "or")
# Far beyond any page count; an offset past 64 bits is a database error on SQLite.
MAX_OFFSET = 10**9


class PublicPagesAPIViewSet(PagesAPIViewSet):
    def check_query_parameters(self, queryset):
        super().check_query_parameters(queryset)
        query = self.request.GET
        _refuse_control_characters(query)
        if query.get("search_operator", "and") not in SEARCH_OPERATORS:
            raise BadRequestError("search_operator must be 'and' or 'or'")
        offset = query.get("offset", "0")
        if offset.isdigit() and int(offset) > MAX_OFFSET:
            raise BadRequestError(f"offset must be at most {MAX_OFFSET}")
        for name in set(query) - self.known_query_parameters:
            self._check_filter(queryset.model, name, query[name])

    def find_object(self, queryset, request):
        # find/ looks a page up by `id` or `html_path` without the listing's checks.
        _refuse_control_characters(request.GET)
        if "id" in request.GET and not is_id(request.GET["id"]):
            raise BadRequestError("id must be the id of a page")
        return super().find_object(queryset, request)

    @staticmethod
    def _check_filter(model, name: str, value: str) -> None:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return
        if not isinstance(field, CHECKED_FIELDS):
            return
        target = field.target_field if isinstance(field, models.ForeignKey) else field
        try:
            python_value = target.to_python(value)
        except ValidationError:
            raise BadRequestError(f"{name}: {value[:40]!r} is not a valid value") from None
        if isinstance(python_value, int) and not -MAX_ID <= python_value <= MAX_ID:
            raise BadRequestError(f"{name}: {value[:40]!r} is out of range")


def _refuse_control_characters(query) -> None:
    for name, values in query.lists():
        if any(CONTROL_CHARACTERS.search(value) for value in values):
            raise BadRequestError(f"{name}: control characters are not accepted")


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
