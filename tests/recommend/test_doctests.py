"""Run the doctests of every module in ``kansou.recommend`` (the docs are tested code)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import kansou.recommend

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(kansou.recommend.__path__, prefix="kansou.recommend.")
)


@pytest.mark.parametrize("name", MODULES)
def test_doctests_pass(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"
