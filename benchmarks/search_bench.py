"""Benchmark: ``search()`` against its raw SQL (see ``kansou.cli.bench_search``).

    KANSOU_DATA_DIR=/tmp/kds python benchmarks/search_bench.py [QUERY_LOG]

The same numbers as ``kansou bench --section search``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kansou.settings")
    import django

    django.setup()
    from kansou.cli.bench_search import print_search_bench, run_search_bench

    print_search_bench(
        run_search_bench(**({"queries_path": sys.argv[1]} if len(sys.argv) > 1 else {}))
    )


if __name__ == "__main__":
    main()
