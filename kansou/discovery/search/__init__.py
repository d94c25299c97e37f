"""One search box over anime and reviews, ranked by the database (see ``engine``).

``query``: what a search asks for; ``sqlite`` and ``postgres``: the SQL each database runs;
``engine``: ``search`` and its facets; ``items``: the rows a page shows; ``models``: the index's
rows; ``index``: writing them (``search_reindex``). Titles are matched by the catalog's
``lookup.title_matches``; timings are ``kansou bench --section search``.
"""

from .engine import MAX_RESULTS, Facet, Hit, SearchResults, search, search_facets
from .items import HitItem, search_hit_items
from .query import ParsedQuery, SearchFilters, parse_query

__all__ = [
    "MAX_RESULTS",
    "Facet",
    "Hit",
    "HitItem",
    "ParsedQuery",
    "SearchFilters",
    "SearchResults",
    "parse_query",
    "search",
    "search_facets",
    "search_hit_items",
]
