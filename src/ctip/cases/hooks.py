"""Seams through which later parts react to case work without the registry importing them.

A part registers here at import time (``screening`` keeps non-punishment flags in step,
adds the latest screening to case and person pages and marks flagged cases in the list);
the registry calls the hooks, so the dependency points from the part to the registry, never
back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from ctip.auth.scope import Actor

RoleHook = Callable[[Session, Actor, list[int]], None]
PageHook = Callable[[Session, Actor, int], dict[str, Any]]

_role_hooks: list[RoleHook] = []
_case_page_hooks: list[PageHook] = []
_person_page_hooks: list[PageHook] = []
MarkBuilder = Callable[[Actor], ColumnElement[bool]]
_case_list_marks: dict[str, MarkBuilder] = {}


def on_roles_changed(hook: RoleHook) -> RoleHook:
    """Call ``hook(session, actor, person_ids)`` in the same transaction whenever persons'
    roles or victim status on a case change."""
    if hook not in _role_hooks:
        _role_hooks.append(hook)
    return hook


def roles_changed(session: Session, *, actor: Actor, person_ids: Iterable[int]) -> None:
    ids = sorted(set(person_ids))
    for hook in _role_hooks:
        hook(session, actor, ids)


def on_case_page(hook: PageHook) -> PageHook:
    """Add ``hook(session, actor, case_id)``'s entries to the case page context."""
    if hook not in _case_page_hooks:
        _case_page_hooks.append(hook)
    return hook


def on_person_page(hook: PageHook) -> PageHook:
    """Add ``hook(session, actor, person_id)``'s entries to the person page context."""
    if hook not in _person_page_hooks:
        _person_page_hooks.append(hook)
    return hook


def on_case_list_mark(name: str) -> Callable[[MarkBuilder], MarkBuilder]:
    """Mark the case list's rows where ``build(actor)`` holds: a clause correlated to
    ``Case`` that the list's own query reads as a column (one statement per page, however
    many parts mark rows); each row's ``marks`` names the marks that hold."""

    def register(build: MarkBuilder) -> MarkBuilder:
        # Statements are cached by mark name: another builder under a known name would
        # never reach the statements built with the first.
        if _case_list_marks.setdefault(name, build) is not build:
            raise ValueError(f"a case list mark named {name!r} is registered already")
        return build

    return register


def mark_names() -> tuple[str, ...]:
    """The names of the registered case list marks (a key for statements built with them)."""
    return tuple(sorted(_case_list_marks))


def case_list_marks(actor: Actor, names: tuple[str, ...]) -> list[ColumnElement[bool]]:
    """The marks ``names`` (from :func:`mark_names`) as labelled columns (``mark_<name>``)
    for ``actor``."""
    return [_case_list_marks[name](actor).label(f"mark_{name}") for name in names]


def case_page_extras(session: Session, *, actor: Actor, case_id: int) -> dict[str, Any]:
    extras: dict[str, Any] = {}
    for hook in _case_page_hooks:
        extras.update(hook(session, actor, case_id))
    return extras


def person_page_extras(session: Session, *, actor: Actor, person_id: int) -> dict[str, Any]:
    extras: dict[str, Any] = {}
    for hook in _person_page_hooks:
        extras.update(hook(session, actor, person_id))
    return extras
