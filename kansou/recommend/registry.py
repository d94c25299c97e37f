"""Every recommender by name, built-ins registered like any other (datasette's plugin dict).

The name is what ``manifest.json`` records, so a saved model finds its class again.
"""

from __future__ import annotations

from kansou.recommend.als import ALSRecommender
from kansou.recommend.base import Recommender
from kansou.recommend.content import ContentRecommender
from kansou.recommend.ease import EASERecommender
from kansou.recommend.hybrid import HybridRecommender
from kansou.recommend.popular import PopularRecommender

MODELS: dict[str, type[Recommender]] = {
    cls.name: cls
    for cls in (
        PopularRecommender,
        EASERecommender,
        ContentRecommender,
        HybridRecommender,
        ALSRecommender,
    )
}
