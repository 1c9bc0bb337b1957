"""Log-in throttling and lock-out, per account and per client address.

Every failed log-in is kept twice (``login_failures``): once under the username tried and once
under the client address, each as a keyed digest. When either has reached its limit within
the window, log-in is refused with 429 and ``Retry-After`` — even with the right password —
until the window has passed or an administrator unlocks it. Unknown usernames are counted
and locked exactly like real ones, so a lock-out reveals nothing about which accounts exist.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ctip.auth.models import LoginFailure
from ctip.errors import DomainError
from ctip.security import keyring

ACCOUNT, ADDRESS = "account", "address"


class LoginThrottled(DomainError):
    """Too many failed log-ins for this username or address; try again later."""

    status_code = 429

    @property
    def retry_after(self) -> int:
        return int(self.params.get("seconds", 60))


@dataclass(frozen=True)
class Limits:
    account: int
    address: int
    window_seconds: int


def failure_key(kind: str, value: str) -> str:
    """The digest a failure is counted under (never the username or address itself)."""
    return keyring().blind_index(f"login-{kind}", value.strip().casefold())


def _wait(session: Session, kind: str, value: str, limit: int, window: int, now: datetime) -> int:
    since = now - timedelta(seconds=window)
    times = list(
        session.scalars(
            select(LoginFailure.at)
            .where(
                LoginFailure.kind == kind,
                LoginFailure.key == failure_key(kind, value),
                LoginFailure.at > since,
            )
            .order_by(LoginFailure.at.desc())
            .limit(limit)
        )
    )
    if len(times) < limit:
        return 0
    # Locked until the oldest of the last ``limit`` failures leaves the window.
    until = times[-1] + timedelta(seconds=window)
    return max(1, math.ceil((until - now).total_seconds()))


def seconds_locked(
    session: Session, *, username: str, address: str | None, limits: Limits, now: datetime
) -> int:
    """How long log-in stays refused for this username or address (0: not locked)."""
    waits = [_wait(session, ACCOUNT, username, limits.account, limits.window_seconds, now)]
    if address:
        waits.append(_wait(session, ADDRESS, address, limits.address, limits.window_seconds, now))
    return max(waits)


def note_failure(session: Session, *, username: str, address: str | None, now: datetime) -> None:
    session.add(LoginFailure(kind=ACCOUNT, key=failure_key(ACCOUNT, username), at=now))
    if address:
        session.add(LoginFailure(kind=ADDRESS, key=failure_key(ADDRESS, address), at=now))


def clear(session: Session, *, username: str | None = None, address: str | None = None) -> int:
    """Forget the failures of a username and/or an address (success, or an admin's unlock);
    returns how many were forgotten."""
    removed = 0
    for kind, value in ((ACCOUNT, username), (ADDRESS, address)):
        if value:
            result = session.execute(
                delete(LoginFailure).where(
                    LoginFailure.kind == kind, LoginFailure.key == failure_key(kind, value)
                )
            )
            removed += int(getattr(result, "rowcount", 0) or 0)
    return removed
