"""Helpers for each app's demo content (`<app>/demo.py`, gathered by `manage.py load_demo`)."""

from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def sync(model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M:
    """`update_or_create`, but saving only the fields whose value differs.

    Every save of a taxonomy term or a page updates the search index and Wagtail's reference
    index; a second `load_demo` that saves nothing stays quick and really changes nothing.
    """
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        return model._default_manager.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.save(update_fields=changed)
    return instance
