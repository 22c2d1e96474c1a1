"""The library version: the token that every cached part of the library is filed under.

Result lists, facet counts, the vocabulary, related practices and the rendered HTML are kept in
Django's cache under the current version. `practices.signals` starts a new version whenever
something the public may see changes, so nothing ever has to be found and deleted.
"""

import uuid

from django.core.cache import cache

#: The version is kept without expiry; the data under it expires so that old versions go away.
CACHE_TIMEOUT = 60 * 60
VERSION_KEY = "practices:library:version"


def library_version() -> str:
    """The token that every cached part of the library is filed under."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # First request, or the cache lost the key: a new token is as good as a bump.
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_library_version() -> None:
    """Make every cached list, count and related-practice list stale at once."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
