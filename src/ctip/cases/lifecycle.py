"""The case lifecycle: which status may follow which, and why a change is refused (pure).

    reported → under_investigation → charged → at_trial → convicted | acquitted | dismissed
             ↘ referred ↗ (and back)                    ↘ dismissed        ↓
    reported, under_investigation, referred, verdicts → closed → under_investigation (reopened)

A case may be referred to another agency while it is reported or under investigation and
comes back under investigation. A charge may be dismissed before trial. An unfounded report or
a dropped investigation may be closed; a closed case may be reopened for investigation.
Each refusal names both statuses and what is needed first.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ctip.errors import DomainError, InvalidTransition, ValidationFailed
from ctip.i18n import current_language, label_in, translate

STATUSES = (
    "reported",
    "under_investigation",
    "referred",
    "charged",
    "at_trial",
    "convicted",
    "acquitted",
    "dismissed",
    "closed",
)
VERDICTS = frozenset({"convicted", "acquitted", "dismissed"})
INITIAL = "reported"

TRANSITIONS: dict[str, frozenset[str]] = {
    "reported": frozenset({"under_investigation", "referred", "closed"}),
    "under_investigation": frozenset({"charged", "referred", "closed"}),
    "referred": frozenset({"under_investigation", "closed"}),
    "charged": frozenset({"at_trial", "dismissed"}),
    "at_trial": frozenset({"convicted", "acquitted", "dismissed"}),
    "convicted": frozenset({"closed"}),
    "acquitted": frozenset({"closed"}),
    "dismissed": frozenset({"closed"}),
    "closed": frozenset({"under_investigation"}),
}

# The step a case usually takes next, offered first on the status form. A trial has no natural
# verdict, so the officer must choose one.
NATURAL_NEXT: dict[str, str] = {
    "reported": "under_investigation",
    "under_investigation": "charged",
    "referred": "under_investigation",
    "charged": "at_trial",
    "convicted": "closed",
    "acquitted": "closed",
    "dismissed": "closed",
    "closed": "under_investigation",
}
# Moves that are hard to undo and so are confirmed before they are recorded.
NEEDS_CONFIRMATION = VERDICTS | {"closed"}

# Statuses at which a case has been charged (a trial or verdict needs one of them first).
_CHARGED = frozenset({"charged", "at_trial"}) | VERDICTS


def status_label(code: str, language: str | None = None) -> str:
    """A code as words inside a sentence: ``under_investigation`` → ``under investigation``."""
    language = language or current_language()
    text = label_in(code, language)
    return text.lower() if language == "en" else text


class Labelled(DomainError):
    """A domain error whose code parameters (statuses, roles) read as words in any language."""

    LABELLED = ("current", "target", "role")

    def _words(self, language: str | None) -> dict[str, Any]:
        return {
            key: status_label(value, language) if key in self.LABELLED else value
            for key, value in self.params.items()
        }

    @property
    def message(self) -> str:
        return self.template % self._words("en")

    def translated(self, language: str | None = None) -> str:
        return translate(self.template, language) % self._words(language)


class TransitionRefused(Labelled, InvalidTransition):
    """A lifecycle move that is not allowed, e.g. a verdict before a charge."""


def allowed_next(current: str) -> list[str]:
    """The statuses a case at ``current`` may move to, in lifecycle order."""
    targets = TRANSITIONS.get(current, frozenset())
    return [status for status in STATUSES if status in targets]


def natural_next(current: str) -> str | None:
    """The usual next status (``None`` when there is no single one, as at trial)."""
    target = NATURAL_NEXT.get(current)
    return target if target in TRANSITIONS.get(current, frozenset()) else None


def _reason(current: str, target: str) -> str:
    """The English message template explaining why ``current`` → ``target`` is refused."""
    if target == current:
        return "the case is already %(current)s"
    if target in VERDICTS and current not in _CHARGED:
        return "a verdict needs a charge first: the case is %(current)s"
    if target == "at_trial" and current not in _CHARGED:
        return "a trial needs a charge first: the case is %(current)s"
    if target in VERDICTS - {"dismissed"} and current == "charged":
        return "a verdict of %(target)s needs a trial first: the case is %(current)s"
    if target == "charged" and current in ("reported", "referred"):
        return "a charge needs an investigation first: the case is %(current)s"
    if current == "closed":
        return "the case is closed; reopen it for investigation before it can become %(target)s"
    if current in VERDICTS:
        return "the case has a verdict (%(current)s); it can only be closed now, not %(target)s"
    return "a case cannot move from %(current)s to %(target)s"


def check_status(value: str, field: str = "status") -> None:
    """Refuse a status code that is not part of the lifecycle."""
    if value not in STATUSES:
        raise ValidationFailed.single(
            field,
            "unknown status %(value)s; one of %(allowed)s",
            value=value,
            allowed=", ".join(STATUSES),
        )


def check_transition(
    current: str, target: str, on: date, last_changed_on: date | None, today: date | None = None
) -> None:
    """Refuse ``current`` → ``target`` dated ``on`` unless the lifecycle allows it.

    The date may not lie before the last status change nor in the future.
    """
    check_status(target)
    if target not in TRANSITIONS.get(current, frozenset()):
        raise TransitionRefused(
            _reason(current, target), field="status", current=current, target=target
        )
    today = today or date.today()
    if on > today:
        raise ValidationFailed.single("on", "the date %(on)s is in the future", on=on.isoformat())
    if last_changed_on is not None and on < last_changed_on:
        raise ValidationFailed.single(
            "on",
            "the date %(on)s is before the last status change on %(last)s",
            on=on.isoformat(),
            last=last_changed_on.isoformat(),
        )
