"""Personal recommendations for a reader: from a MyAnimeList export or picked titles (``views``,
``urls`` under ``/discover/``, and ``api``)."""
