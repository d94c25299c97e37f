"""Offline metrics, one family per module: ``ranking`` (accuracy), ``beyond`` (beyond accuracy)."""
