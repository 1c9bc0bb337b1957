"""The password policy: long enough, not a commonly used password, not the username.

The list of common passwords (``data/common-passwords.txt``) is generated from patterns by
``scripts/make_common_passwords.py``; a password is refused when it, lower-cased, is on the
list, or when it is one character repeated. Passwords are hashed with Argon2id (see
``ctip.security``; parameters in ``docs/security-hardening.md``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ctip.errors import FieldError

DEFAULT_MIN_LENGTH = 10
MAX_LENGTH = 1024  # Argon2 hashes any length; a cap keeps a huge body from costing CPU
LIST = Path(__file__).parent / "data" / "common-passwords.txt"


@cache
def common_passwords() -> frozenset[str]:
    lines = LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def problems(
    password: str, *, username: str = "", min_length: int = DEFAULT_MIN_LENGTH
) -> list[FieldError]:
    """What is wrong with a new password (empty when it is acceptable)."""
    if len(password) < min_length:
        return [FieldError("password", "at least %(n)s characters", {"n": min_length})]
    if len(password) > MAX_LENGTH:
        return [FieldError("password", "at most %(n)s characters", {"n": MAX_LENGTH})]
    lowered = password.casefold()
    if lowered in common_passwords() or len(set(password)) == 1:
        return [FieldError("password", "this password is too common; choose another")]
    if username and lowered == username.strip().casefold():
        return [FieldError("password", "the password must not be the username")]
    return []
