"""Every string the case pages show has a Khmer translation (draft catalogue)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from ctip import reference as ref
from ctip.cases import lifecycle
from ctip.i18n import catalogue, label_in
from ctip.labels import LABELS

TEMPLATES = Path(lifecycle.__file__).parent / "templates" / "cases"
MSGID = re.compile(r"""_\(\s*(["'])(.+?)\1""")
SHOWN_CODES = (
    lifecycle.STATUSES
    + ref.EVENT_TYPES
    + ref.PERSON_ROLES
    + ref.EXPLOITATION_TYPES
    + ref.FORCED_LABOUR_SUBTYPES
    + ref.ISIC_SECTIONS
    + ref.GENDERS
    + ref.TRAFFICKING_STATUSES
    + ref.DECIDING_ORG_TYPES
    + ref.METHODS_OF_CONTROL
    + ref.RECRUITMENT_METHODS
    + ref.RECRUITMENT_APPS
    + ref.PERPETRATOR_ROLES
    + ref.CUSTODY_STATUSES
    + ref.IDENTIFIER_TYPES
    + ref.REFERRAL_REASONS
)


def _template_ids() -> list[str]:
    found = []
    for path in sorted(TEMPLATES.glob("*.html")):
        found += [m.group(2) for m in MSGID.finditer(path.read_text())]
    return sorted(set(found))


@pytest.mark.parametrize("msgid", _template_ids())
def test_template_strings_have_khmer(msgid):
    assert msgid in catalogue("km")


@pytest.mark.parametrize("code", sorted(set(SHOWN_CODES)))
def test_vocabulary_labels_have_khmer(code):
    english, khmer = LABELS[code]  # written labels (tests/test_labels.py checks them all)
    assert label_in(code, "km") == khmer and (khmer != english or code == "QQ")


MESSAGE_CALLS = frozenset(
    {
        "FieldError",
        "single",
        "TransitionRefused",
        "RoleTaken",
        "Conflict",
        "StaleVersion",
        "NotFound",
        "PermissionDenied",
    }
)


def _messages(tree: ast.AST) -> set[str]:
    """English message templates passed to domain errors, or returned as refusal reasons."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in MESSAGE_CALLS:
                found |= {
                    a.value
                    for a in node.args[:2]
                    if isinstance(a, ast.Constant)
                    and isinstance(a.value, str)
                    and (" " in a.value or a.value == "required")
                }
        elif (
            isinstance(node, ast.Return)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            and "%(" in node.value.value
        ):
            found.add(node.value.value)
    return found


def test_service_messages_have_khmer():
    sources = Path(lifecycle.__file__).parent.glob("*.py")
    messages = set().union(*(_messages(ast.parse(p.read_text())) for p in sources))
    assert len(messages) > 30
    assert sorted(m for m in messages if m not in catalogue("km")) == []
