"""Kansou's recommender core: pure numpy/scipy, no Django (see ``tests/test_architecture.py``).

Modules: ``ids`` (IdMap), ``matrix`` (user_items), ``weighting``, ``features``, ``base``
(the contract), ``popular``, ``content``, ``ease``, ``hybrid``, ``als`` (implicit baseline),
``neighbours`` (precomputed tables), ``reasons``, ``persist``, ``registry``, ``split``,
``metrics.ranking``, ``metrics.beyond``, ``evaluate``.
"""
