"""``kansou.recommend`` is pure numpy/scipy: no Django, pandas, torch or pickle, implicit lazily."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import kansou.recommend

PACKAGE = Path(kansou.recommend.__file__).parent
FORBIDDEN = ("django", "pandas", "torch", "implicit")

CHECK = """
import importlib, pkgutil, sys
import kansou.recommend
for info in pkgutil.walk_packages(kansou.recommend.__path__, prefix="kansou.recommend."):
    importlib.import_module(info.name)
print(",".join(sorted(m for m in {forbidden} if m in sys.modules)))
"""


def test_importing_every_recommend_module_loads_no_django_pandas_torch_or_implicit():
    result = subprocess.run(
        [sys.executable, "-c", CHECK.format(forbidden=FORBIDDEN)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == ""


def test_no_recommend_module_imports_pickle_or_allows_it():
    # numpy imports pickle itself, so this one is checked in the source instead.
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import pickle" not in text, path
        assert "allow_pickle=True" not in text, path


def test_every_module_is_found():
    names = {info.name for info in pkgutil.walk_packages(kansou.recommend.__path__)}
    assert {"ids", "matrix", "base", "ease", "persist", "metrics"} <= names
