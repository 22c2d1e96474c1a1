"""The Urban Academy's pages outside the page tree, mounted at /my/: the member's dilemmas and
the experts' area. Both are private; the editions themselves are pages (/academy/...)."""

from django.urls import path

from .views import experts, files, members

app_name = "academy"

urlpatterns = [
    # The member's dilemmas.
    path("dilemmas/", members.my_dilemmas, name="dilemmas"),
    path("dilemmas/new/<id:edition_id>/", members.start, name="start"),
    path("dilemmas/<id:pk>/", members.dilemma, name="dilemma"),
    path("dilemmas/<id:pk>/edit/", members.edit, name="edit"),
    path("dilemmas/<id:pk>/submit/", members.submit, name="submit"),
    path("dilemmas/<id:pk>/withdraw/", members.withdraw, name="withdraw"),
    path("dilemmas/<id:pk>/summary/", members.summary_consent, name="summary_consent"),
    path(
        "dilemmas/<id:pk>/attachments/<id:attachment_id>/remove/",
        members.remove_attachment,
        name="remove_attachment",
    ),
    # A dilemma's files, for everyone who may see the dilemma (submitter, experts, editors).
    path(
        "dilemmas/<id:pk>/attachments/<id:attachment_id>/",
        files.attachment,
        name="attachment",
    ),
    # The experts' area.
    path("reviews/", experts.reviews, name="reviews"),
    path("reviews/<id:assignment_id>/", experts.review, name="review"),
    path("reviews/feedback/<id:dilemma_id>/", experts.feedback, name="feedback"),
]
