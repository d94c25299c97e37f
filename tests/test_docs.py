"""The README documents every command and every setting (as sqlite-utils and datasette do)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from kansou import conf
from kansou.cli import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "kansou"):
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        yield path, command
        if isinstance(command, click.Group):
            yield from _commands(command, path)


@pytest.mark.parametrize(("path", "command"), list(_commands(cli)), ids=lambda v: str(v))
def test_every_command_has_help_and_a_readme_entry(path, command):
    assert command.help and command.help.strip(), f"{path} has no help text"
    assert f"`{path}" in README, f"{path} is not in the README"


@pytest.mark.parametrize("setting", conf.SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_documented(setting):
    assert f"`{setting.name}`" in README


def test_readme_starts_with_the_two_commands():
    first_blocks = README.split("```sh")[1:3]
    assert [block.split("```")[0].strip() for block in first_blocks] == ["make demo", "make test"]
