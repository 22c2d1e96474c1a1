"""The person's own links, from every registration e-mail (no sign-in: the secret is the key),
and the calendar subscriptions."""

from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("calendar/renew/", views.renew_personal_feed, name="renew_feed"),
    path("my-data.json", views.my_data, name="my_data"),
    path("calendar/<str:secret>.ics", views.personal_feed, name="personal_feed"),
    path("<str:secret>/", views.registration, name="registration"),
    path("<str:secret>/confirm/", views.confirm, name="confirm"),
]

#: Mounted at the site's root: the public calendar of every event.
feed_urlpatterns = [path("events/feed.ics", views.public_feed, name="events_feed")]
