"""Editors run the Urban Academy's editions as they run events: the Academy index grants
them adding and publishing in its own subtree when it is created (see events.signals)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from events.signals import let_editors_publish

from .models import AcademyIndexPage


@receiver(post_save, sender=AcademyIndexPage, dispatch_uid="academy_let_editors_publish")
def _let_editors_publish_in_a_new_index(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        let_editors_publish(instance)
