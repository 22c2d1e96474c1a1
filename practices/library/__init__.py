"""The public practice library: what a visitor asked for, and which practices match it.

One module per job, each importing only the ones listed before it:

- `version`: the token every cached part of the library is filed under, and its bump;
- `facets`: the facets (theme, fund, country...) and their vocabulary, every term in them;
- `query`: a library URL's GET parameters, checked, as a `LibraryQuery`, and the URLs it makes;
- `search`: the ids of the practices that contain a search's terms, best first (one query);
- `matching`: which practices anyone may read, in the database's terms;
- `index`: each worker's in-memory index of them, per facet value a bitset: the ids that match
  a query, in order, and the count of each facet value;
- `results`: one page of them, with facets, active filters and cities (`search_library`);
- `related`: the practices that share most themes and funds with one practice.

The views (`practices.views.library`, `practices.feeds`, `practices.exports`) and the practice
page use the names below; the rest is imported from its module where it is needed.
"""

from .matching import library_base
from .query import LibraryQuery
from .related import related_practices
from .results import LibraryResult, matching_ids, search_library
from .version import bump_library_version, library_version

__all__ = [
    "LibraryQuery",
    "LibraryResult",
    "bump_library_version",
    "library_base",
    "library_version",
    "matching_ids",
    "related_practices",
    "search_library",
]
