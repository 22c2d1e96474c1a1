"""Alerts for a saved library search (mounted at /alerts/): saving, confirming, unsubscribing."""

from django.urls import path

from .views import alerts

app_name = "alerts"

urlpatterns = [
    path("save/", alerts.save, name="save"),
    path("<id:alert_id>/remove/", alerts.remove, name="remove"),
    path("confirm/<str:secret>/", alerts.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", alerts.unsubscribe, name="unsubscribe"),
]
