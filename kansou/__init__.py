"""Kansou (感想): a self-hosted anime review platform with a real catalog and recommendations."""

__version__ = "0.1.0"
