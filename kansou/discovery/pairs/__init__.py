"""Recommendation pairs ("if you liked X, watch Y"): ``models`` (exposed by
``kansou.discovery.models``), ``services`` (writes, moderation, editorial sync), ``selectors``,
``forms``, ``views``, ``urls`` under ``/recommendations/`` and ``api``."""
