"""The library version: the token that every cached part of the library is filed under.

Rendered lists, the vocabulary, related practices and each worker's in-memory index
(`practices.library.index`) are kept under the current version. `practices.signals` starts a
new version whenever something the public may see changes, so nothing ever has to be found and
deleted.

A new version also says what changed since the one before it, when that is known: the ids of
the practices published, unpublished, moved or saved. A worker whose index is a few versions
old follows that chain back to its own version and updates the index for those practices only,
instead of reading the whole library again (`changes_since`); a change that touches more than
practices (a taxonomy term, a private part of the tree) says nothing, and the index is built
again.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.core.cache import cache

#: The version is kept without expiry; the data under it expires so that old versions go away.
CACHE_TIMEOUT = 60 * 60
VERSION_KEY = "practices:library:version"
#: How many versions back a worker follows the chain before it reads the library again.
MAX_CHAIN = 50


def library_version() -> str:
    """The token that every cached part of the library is filed under."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # First request, or the cache lost the key: a new token is as good as a bump.
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_library_version(practices: Iterable[int] | None = None) -> None:
    """Make every cached list, count and related-practice list stale at once.

    `practices` are the ids of the only practices that changed (none: only the search index
    did); None, the default, means that anything may have changed.
    """
    previous = cache.get(VERSION_KEY)
    version = uuid.uuid4().hex
    if previous is not None:
        changed = None if practices is None else tuple(sorted(set(practices)))
        cache.set(f"{VERSION_KEY}:{version}:changes", (previous, changed), CACHE_TIMEOUT)
    cache.set(VERSION_KEY, version, timeout=None)


def changes_since(old: str, new: str) -> set[int] | None:
    """The practices that changed between versions `old` and `new`; None when it is not known
    (a change to more than practices, a link of the chain gone from the cache, or too long).

    Two bumps at the same instant could both name `old` as their previous version, and one
    would be skipped; every change bumps again once its transaction commits, which names the
    same practices after both.
    """
    changed: set[int] = set()
    version = new
    for _step in range(MAX_CHAIN):
        if version == old:
            return changed
        link = cache.get(f"{VERSION_KEY}:{version}:changes")
        if link is None or link[1] is None:
            return None
        version, practices = link
        changed.update(practices)
    return None
