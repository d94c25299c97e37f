"""Kansou's settings (database, its options and connection reuse) with no middleware at all and
the baselines' URLconf: the bare-Django insert view of load_comments."""

from kansou.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.plain_urls"
MIDDLEWARE: list[str] = []
