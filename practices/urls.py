"""The member's practice forms (mounted at /my/practices/, beside "My Urban Exchange").

They belong to no page. They used to live at /practices/submit/..., inside the library's URL
space, where they hid any practice called "submit"; `moved_urlpatterns` (mounted at
/practices/submit/ in front of Wagtail) now only redirects old links that no page answers.
The library, its feeds, exports and map are routes of `PracticeIndexPage`, and the contact
form is a route of `PracticePage`.
"""

from django.urls import path

from .views import opinions, submission

app_name = "practices"

urlpatterns = [
    path("new/", submission.start, name="submit"),
    path("places/", submission.city_suggestions, name="places"),
    path("opinions/<id:practice_id>/", opinions.write_opinion, name="opinion"),
    path("opinions/reply/<id:opinion_id>/", opinions.reply, name="opinion_reply"),
    path("<id:practice_id>/preview/", submission.preview, name="preview"),
    path("<id:practice_id>/withdraw/", submission.withdraw, name="withdraw"),
    path("<id:practice_id>/<slug:step>/", submission.edit, name="edit"),
]

moved_urlpatterns = [
    path("", submission.moved, name="moved_submit"),
    path("<id:practice_id>/<slug:step>/", submission.moved, name="moved_edit"),
]
