"""The person's own links, from every registration e-mail: no sign-in, the secret is the key."""

from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("<str:secret>/", views.registration, name="registration"),
    path("<str:secret>/confirm/", views.confirm, name="confirm"),
]
