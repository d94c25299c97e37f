"""Discovery's tables; each feature keeps its models in its own module (``pairs/models.py``,
``search_models.py``), imported here so Django finds them."""

from kansou.discovery.pairs.models import AnimePair, PairAgreement
from kansou.discovery.search_models import SearchDocument, SearchTag

__all__ = ["AnimePair", "PairAgreement", "SearchDocument", "SearchTag"]
