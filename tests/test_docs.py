"""Documentation stays complete: settings, CLI commands, audit actions and roles."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
import typer

from ctip.audit.events import AUDIT_ACTIONS
from ctip.auth.models import ROLES
from ctip.cli import app
from ctip.config import Settings

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _commands(group: click.Group, prefix: str) -> list[str]:
    found = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            found += _commands(command, path)
        else:
            found.append(path)
    return found


def cli_commands() -> list[str]:
    root = typer.main.get_command(app)
    assert isinstance(root, click.Group)
    return sorted(_commands(root, "ctip"))


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
