"""Documentation stays complete: settings, CLI commands, audit actions and roles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer

from ctip.audit.events import AUDIT_ACTIONS
from ctip.auth.models import ROLES
from ctip.cli import app
from ctip.config import Settings

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _commands(command: Any, prefix: str) -> list[str]:
    subcommands = getattr(command, "commands", None)
    if not subcommands:
        return [prefix]
    found: list[str] = []
    for name, sub in subcommands.items():
        found += _commands(sub, f"{prefix} {name}")
    return found


def cli_commands() -> list[str]:
    return sorted(_commands(typer.main.get_command(app), "ctip"))


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_setting_is_documented(name):
    assert f"CTIP_{name.upper()}" in (DOCS / "configuration.md").read_text()


@pytest.mark.parametrize("command", cli_commands())
def test_cli_command_is_documented(command):
    assert f"`{command}" in (DOCS / "cli.md").read_text()


@pytest.mark.parametrize("action", sorted(AUDIT_ACTIONS))
def test_audit_action_is_documented(action):
    assert f"`{action}`" in (DOCS / "audit.md").read_text()


@pytest.mark.parametrize("role", ROLES)
def test_role_is_documented(role):
    assert f"`{role}`" in (DOCS / "access-control.md").read_text()
