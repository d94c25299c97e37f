"""Discovery's tables; each feature keeps its models in its own module (``pairs/models.py``,
``search/models.py``, ``model_versions.py``), imported here so Django finds them."""

from kansou.discovery.model_versions import ModelVersion
from kansou.discovery.pairs.models import AnimePair, PairAgreement
from kansou.discovery.search.models import SearchDocument, SearchTag

__all__ = ["AnimePair", "ModelVersion", "PairAgreement", "SearchDocument", "SearchTag"]
