"""Signal receivers of the public library (connected in `PracticesConfig.ready`).

The library keeps its result lists, facet counts and related practices in the cache under a
version token (`practices.library`). Whatever changes what the public may see starts a new
version: a practice published, unpublished, moved or deleted, a taxonomy term saved or deleted,
a page made private or public again, and the search index updated for a practice. A deleted page
needs no receiver of its own: Wagtail unpublishes a live page before deleting it, which sends
`page_unpublished`; a draft was never public.

Each change bumps the version twice: at once, so that the same request (and the tests) see it,
and again after the transaction commits. The second bump matters: between the first and the
commit, another request may still read the old rows and cache them under the new version.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_tasks.signals import task_finished
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from .library import bump_library_version
from .models import (
    Action,
    City,
    Country,
    Fund,
    GovernanceLevel,
    Partnership,
    PracticeIndexPage,
    PracticePage,
    TargetGroup,
    Theme,
)

TAXONOMY = (Theme, Fund, GovernanceLevel, TargetGroup, Country, City, Partnership, Action)
#: The search index task of Wagtail (modelsearch) updates a practice's entry after the save,
#: in the task worker in production.
SEARCH_INDEX_TASK = "modelsearch.tasks.insert_or_update_object_task"


def library_changed(practices: list[int] | None = None) -> None:
    """A new version now and after the commit; `practices` are the only ones that changed
    (None: anything may have, as for a taxonomy term)."""
    bump_library_version(practices)
    transaction.on_commit(partial(bump_library_version, practices))


@receiver(page_published, dispatch_uid="practices_library_published")
@receiver(page_unpublished, dispatch_uid="practices_library_unpublished")
@receiver(post_page_move, dispatch_uid="practices_library_moved")
def page_changed(sender, instance, **kwargs) -> None:
    # A move sends the generic Page as the instance and the specific class as the sender.
    if isinstance(instance, PracticePage) or (
        isinstance(sender, type) and issubclass(sender, PracticePage)
    ):
        library_changed([instance.pk])
    elif isinstance(instance, PracticeIndexPage) or (
        isinstance(sender, type) and issubclass(sender, PracticeIndexPage)
    ):
        library_changed()


@receiver(post_save, sender=PracticePage, dispatch_uid="practices_library_practice_saved")
def practice_saved(sender, instance: PracticePage, raw: bool = False, **kwargs) -> None:
    # A live practice saved without a revision (a script, a fixture) is public at once. Drafts
    # change nothing the public sees until they are published.
    if instance.live and not raw:
        library_changed([instance.pk])


def taxonomy_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        library_changed()


for model in TAXONOMY:
    post_save.connect(
        taxonomy_changed, sender=model, dispatch_uid=f"practices_library_{model.__name__}_saved"
    )
    post_delete.connect(
        taxonomy_changed, sender=model, dispatch_uid=f"practices_library_{model.__name__}_deleted"
    )
post_save.connect(
    taxonomy_changed, sender=PageViewRestriction, dispatch_uid="practices_library_privacy_saved"
)
post_delete.connect(
    taxonomy_changed, sender=PageViewRestriction, dispatch_uid="practices_library_privacy_deleted"
)


@receiver(task_finished, dispatch_uid="practices_library_search_index")
def search_index_updated(sender, task_result, **kwargs) -> None:
    """Searches cached before the worker indexed a published practice would miss it: start again.

    Drafts are indexed too, on every save; they change nothing the public can find.
    """
    args = list(getattr(task_result, "args", None) or [])
    if task_result.task.module_path != SEARCH_INDEX_TASK or args[:2] != [
        "practices",
        "practicepage",
    ]:
        return
    if PracticePage.objects.filter(pk=args[2], live=True).exists():
        # The in-memory index holds no words: nothing of it changes.
        bump_library_version(practices=())
