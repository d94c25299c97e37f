"""Kansou's settings with a one-view URLconf: the plain-``HttpResponse`` baseline of read_bench."""

from kansou.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.plain_urls"
