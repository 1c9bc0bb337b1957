"""Keys, encryption at rest, blind indexes and password hashing.

Sensitive values (names, identifier values, addresses, notes about persons) are stored as
AES-GCM ciphertext. Exact search still works through *blind indexes*: a keyed HMAC of the
normalised value, so equal values give equal indexes without the database holding the value.
The keys live outside the database, in a key file or environment variables.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ctip.config import DEV_SECRET_KEY, Settings

NONCE_BYTES = 12


class KeyConfigError(RuntimeError):
    """Keys are missing, malformed, or unfit for the environment."""


@dataclass(frozen=True)
class Keyring:
    """Data keys by id (the newest encrypts, all decrypt) and the blind-index key."""

    data_keys: dict[int, bytes]
    current_key_id: int
    blind_index_key: bytes
    development: bool = False

    def encrypt(self, plaintext: str) -> bytes:
        """AES-GCM ciphertext: one byte key id, 12-byte nonce, ciphertext with tag."""
        nonce = os.urandom(NONCE_BYTES)
        aead = AESGCM(self.data_keys[self.current_key_id])
        body = aead.encrypt(nonce, plaintext.encode("utf-8"), None)
        return bytes([self.current_key_id]) + nonce + body

    def decrypt(self, blob: bytes) -> str:
        key = self.data_keys.get(blob[0])
        if key is None:
            raise KeyConfigError(f"no data key with id {blob[0]}")
        nonce, body = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
        return AESGCM(key).decrypt(nonce, body, None).decode("utf-8")

    def blind_index(self, purpose: str, normalised: str) -> str:
        """Keyed HMAC-SHA256 of ``purpose:value``, hex; the purpose separates kinds of value."""
        msg = f"{purpose}:{normalised}".encode()
        return hmac.new(self.blind_index_key, msg, hashlib.sha256).hexdigest()[:40]


_active: Keyring | None = None


def set_keyring(keyring: Keyring | None) -> None:
    """Make ``keyring`` the one encrypted columns use (set once at start-up)."""
    global _active
    _active = keyring


def keyring() -> Keyring:
    """The keyring configured at start-up."""
    if _active is None:
        raise KeyConfigError("no keyring configured: call ctip.security.load_keyring(settings)")
    return _active


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError as exc:
        raise KeyConfigError(f"{what} is not valid base64") from exc
    if len(raw) != 32:
        raise KeyConfigError(f"{what} must be 32 bytes, got {len(raw)}")
    return raw


def create_key_file(path: Path, *, development: bool) -> None:
    """Write a new key file with fresh random keys, readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    doc = {
        "development": development,
        "current": 1,
        "data_keys": {"1": _b64(secrets.token_bytes(32))},
        "blind_index_key": _b64(secrets.token_bytes(32)),
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(doc, fh, indent=2)


def _read_key_file(path: Path) -> Keyring:
    doc = json.loads(path.read_text())
    keys = {int(k): _unb64(v, f"data key {k}") for k, v in doc["data_keys"].items()}
    return Keyring(
        keys,
        int(doc["current"]),
        _unb64(doc["blind_index_key"], "blind index key"),
        bool(doc.get("development", False)),
    )


def load_keyring(settings: Settings) -> Keyring:
    """Read keys from the environment or the key file; in development create the file."""
    if settings.encryption_key and settings.blind_index_key:
        ring = Keyring(
            {1: _unb64(settings.encryption_key, "CTIP_ENCRYPTION_KEY")},
            1,
            _unb64(settings.blind_index_key, "CTIP_BLIND_INDEX_KEY"),
        )
    else:
        path = settings.resolved_key_file
        if not path.exists():
            if settings.is_production:
                raise KeyConfigError(f"key file {path} is missing; production never creates keys")
            create_key_file(path, development=True)
        ring = _read_key_file(path)
    check_production_safety(settings, ring)
    return ring


def check_production_safety(settings: Settings, ring: Keyring | None = None) -> None:
    """Refuse to run in production with development keys or the demo secret key."""
    if not settings.is_production:
        return
    if settings.secret_key == DEV_SECRET_KEY or len(settings.secret_key) < 32:
        raise KeyConfigError("CTIP_SECRET_KEY must be set to a long random value in production")
    if ring is not None and ring.development:
        raise KeyConfigError(
            "the key file was made for development; create production keys with `ctip keys create`"
        )


# Argon2id with argon2-cffi's defaults (RFC 9106's low-memory profile): time_cost 3,
# memory_cost 64 MiB, parallelism 4, 32-byte hash, 16-byte salt (docs/security-hardening.md).
_hasher = PasswordHasher()
_dummy_hash: tuple[PasswordHasher, str] | None = None


def set_password_hasher(hasher: PasswordHasher) -> None:
    """Use other Argon2 parameters (the test suite uses cheap ones; hashes stay verifiable)."""
    global _hasher
    _hasher = hasher


def burn_password_check(password: str) -> None:
    """Verify ``password`` against a throw-away hash made with the current parameters, so a
    log-in with an unknown username costs as much time as one with a wrong password."""
    global _dummy_hash
    if _dummy_hash is None or _dummy_hash[0] is not _hasher:
        _dummy_hash = (_hasher, _hasher.hash(secrets.token_urlsafe(16)))
    verify_password(_dummy_hash[1], password)


def hash_password(password: str) -> str:
    """Argon2id hash of a password."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches; never raises for a wrong password."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    """A random bearer token (shown once, stored only as its SHA-256)."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
