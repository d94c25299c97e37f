"""Run the doctests of every module in ``kansou`` (the docs are tested code).

Left out: migrations (no examples; importing them is Django's business) and ``kansou.__main__``
(importing it runs the command line). Django is set up by pytest-django before collection, so
modules that need it import as they do in the site.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import kansou

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(kansou.__path__, prefix="kansou.")
    if ".migrations" not in info.name and info.name != "kansou.__main__"
)


@pytest.mark.parametrize("name", MODULES)
def test_doctests_pass(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"
