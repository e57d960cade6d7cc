"""Every command is documented in the README, with the options users need."""
from __future__ import annotations

from pathlib import Path

from newskg.cli import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme():
    for name in main.commands:
        assert f"newskg {name}" in README, name


def test_readme_gives_the_two_setup_commands_and_exit_codes():
    assert "make demo" in README and "make test" in README
    for code in ("**0**", "**1**", "**2**"):
        assert code in README
