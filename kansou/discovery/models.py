"""Discovery's tables; each feature keeps its models in its own module, imported here."""

from kansou.discovery.pairs_models import AnimePair, PairAgreement
from kansou.discovery.search_models import SearchDocument, SearchTag

__all__ = ["AnimePair", "PairAgreement", "SearchDocument", "SearchTag"]
