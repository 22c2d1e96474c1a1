"""Front-end URLs of the practice library that are not Wagtail pages (mounted at /practices/).

The library itself, its feeds and exports are routes of `PracticeIndexPage`; these are the
member's forms, which belong to no page.
"""

from django.urls import path

from .views import submission
from .views.contact import contact_owner

app_name = "practices"

urlpatterns = [
    path("submit/", submission.start, name="submit"),
    path("submit/<int:practice_id>/preview/", submission.preview, name="preview"),
    path("submit/<int:practice_id>/withdraw/", submission.withdraw, name="withdraw"),
    path("submit/<int:practice_id>/<slug:step>/", submission.edit, name="edit"),
    path("<int:page_id>/contact/", contact_owner, name="contact_owner"),
]
