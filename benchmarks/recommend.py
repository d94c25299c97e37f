"""Recommender benchmark: the same as ``kansou bench --section recommend``.

Usage: python benchmarks/recommend.py [--ratings CSV] [--catalog FILE]
"""

from __future__ import annotations

import sys

from kansou.cli import cli

if __name__ == "__main__":
    cli(["bench", "--section", "recommend", *sys.argv[1:]], prog_name="kansou")
