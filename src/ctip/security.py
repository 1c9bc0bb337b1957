"""Keys, encryption at rest, blind indexes and password hashing.

Sensitive values (names, identifier values, addresses, notes about persons) are stored as
AES-GCM ciphertext bound to their place: the associated data names the table, the column
and the row id, so a value copied into another row or column fails to decrypt. Exact search
still works through *blind indexes*: a keyed HMAC of the normalised value, under a key of
its own for each purpose (names, name tokens, each kind of identifier, rosters, log-in
throttling), derived from the index root key, so one leaked purpose key gives no other.
The keys live outside the database, in a key file or environment variables; the audit
trail's key is a separate random key (docs/security-hardening.md, "Keys").
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ctip.config import DEV_SECRET_KEY, Settings

NONCE_BYTES = 12
# Ciphertext forms, told apart by the first byte (a data key id is never 0):
#   legacy   key id, nonce, ciphertext+tag                   (no associated data)
#   marked   0, form, key id, nonce, ciphertext+tag
# with form PLACED (associated data: table and column) or BOUND (table, column and row id).
MARK = 0
PLACED = 1
BOUND = 2
HEADER = 3
AUDIT_PURPOSE = b"ctip audit seal v1"


class KeyConfigError(RuntimeError):
    """Keys are missing, malformed, or unfit for the environment."""


class CiphertextError(RuntimeError):
    """A stored value does not decrypt in its place: moved, altered, or its key is gone."""


def associated_data(place: str | None, row: int | None) -> bytes | None:
    """What a ciphertext is bound to: ``table.column`` and, when known, the row id."""
    if place is None:
        return None
    return f"ctip:{place}".encode() if row is None else f"ctip:{place}:{row}".encode()


def form_of(blob: bytes) -> tuple[int, int]:
    """(form, key id) of a stored ciphertext; form 0 is the legacy unbound one."""
    if blob[0] != MARK:
        return 0, blob[0]
    return blob[1], blob[2]


@lru_cache(maxsize=512)
def purpose_key(root: bytes, purpose: str) -> bytes:
    """The blind-index key of one purpose: HKDF-SHA256 of the root key, the purpose as info."""
    info = b"ctip blind index v2:" + purpose.encode()
    return HKDF(algorithm=SHA256(), length=32, salt=None, info=info).derive(root)


@dataclass(frozen=True)
class IndexKey:
    """One generation of the blind-index key.

    Scheme 1 (key files and environment keys from before per-purpose keys): one key, the
    purpose prefixed to the message. Scheme 2: a key per purpose derived from ``root``.
    """

    id: int
    root: bytes
    scheme: int = 2

    def digest(self, purpose: str, normalised: str) -> str:
        if self.scheme == 1:
            key, msg = self.root, f"{purpose}:{normalised}".encode()
        else:
            key, msg = purpose_key(self.root, purpose), normalised.encode()
        return hmac.new(key, msg, hashlib.sha256).hexdigest()[:40]


@dataclass(frozen=True)
class Keyring:
    """Data keys by id (the current one encrypts, all decrypt), the blind-index key and the
    audit key.

    ``previous_index`` holds older blind-index generations still present in the database
    while ``ctip keys rotate`` runs: lookups compute every live generation's digest.
    ``audit`` is the audit key; ``None`` (key files from before it existed, environment
    keys) derives it from the blind-index key, as those databases' seals were made.
    """

    data_keys: dict[int, bytes]
    current_key_id: int
    blind_index_key: bytes
    development: bool = False
    index_scheme: int = 1
    index_key_id: int = 1
    previous_index: tuple[IndexKey, ...] = ()
    audit: bytes | None = None
    _aeads: dict[int, AESGCM] = field(default_factory=dict, compare=False, repr=False)

    @property
    def index_key(self) -> IndexKey:
        return IndexKey(self.index_key_id, self.blind_index_key, self.index_scheme)

    @property
    def audit_key(self) -> bytes:
        if self.audit is not None:
            return self.audit
        return hmac.new(self.blind_index_key, AUDIT_PURPOSE, hashlib.sha256).digest()

    def _aead(self, key_id: int) -> AESGCM:
        aead = self._aeads.get(key_id)
        if aead is None:
            key = self.data_keys.get(key_id)
            if key is None:
                raise CiphertextError(f"no data key with id {key_id} (retired or missing)")
            aead = self._aeads[key_id] = AESGCM(key)
        return aead

    def encrypt(self, plaintext: str, place: str | None = None, row: int | None = None) -> bytes:
        """AES-GCM ciphertext with a fresh 12-byte nonce, bound to ``place`` (``table.column``)
        and ``row`` when given; without a place, the legacy unbound form."""
        nonce = os.urandom(NONCE_BYTES)
        kid = self.current_key_id
        body = self._aead(kid).encrypt(
            nonce, plaintext.encode("utf-8"), associated_data(place, row)
        )
        if place is None:
            return bytes([kid]) + nonce + body
        return bytes([MARK, PLACED if row is None else BOUND, kid]) + nonce + body

    def decrypt(self, blob: bytes, place: str | None = None, row: int | None = None) -> str:
        """The plaintext; ``CiphertextError`` naming the place when the value does not belong
        there (copied from another row or column, or altered) or its key is missing."""
        form, kid = form_of(blob)
        start = 1 if form == 0 else HEADER
        if form == 0:
            aad = None
        elif form == PLACED and place is not None:
            aad = associated_data(place, None)
        elif form == BOUND and place is not None and row is not None:
            aad = associated_data(place, row)
        else:
            raise CiphertextError(f"a value bound to its place was read without it ({place})")
        nonce, body = blob[start : start + NONCE_BYTES], blob[start + NONCE_BYTES :]
        try:
            return self._aead(kid).decrypt(nonce, body, aad).decode("utf-8")
        except InvalidTag:
            where = f"{place} of row {row}" if place else "a value"
            raise CiphertextError(
                f"{where} does not decrypt: it was copied from another row or column, "
                "or altered, outside CTIP"
            ) from None

    def blind_index(self, purpose: str, normalised: str) -> str:
        """The current blind index of ``normalised`` for ``purpose`` (hex, 40 digits)."""
        return self.index_key.digest(purpose, normalised)

    def lookup_indexes(self, purpose: str, normalised: str) -> list[str]:
        """Every live generation's digest (one outside a rotation): what search compares."""
        return [self.blind_index(purpose, normalised)] + [
            old.digest(purpose, normalised) for old in self.previous_index
        ]


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


def new_key_document(*, development: bool) -> dict[str, Any]:
    """A key file's content with fresh random keys: data key 1, blind-index root 1 (a key
    per purpose), and a separate audit key."""
    return {
        "format": 2,
        "development": development,
        "current": 1,
        "data_keys": {"1": _b64(secrets.token_bytes(32))},
        "index_current": 1,
        "index_keys": {"1": {"key": _b64(secrets.token_bytes(32)), "scheme": 2}},
        "audit_key": _b64(secrets.token_bytes(32)),
    }


def write_key_document(path: Path, doc: dict[str, Any], *, replace: bool = False) -> None:
    """Write a key file readable by the owner only; ``replace`` swaps it in atomically."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = path.with_name(path.name + ".new") if replace else path
    if replace:
        # A left-over ``.new`` (a crashed rotation, or a file or link planted there) must not
        # lend its permissions or its target to the new keys: remove it and create afresh.
        target.unlink(missing_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(target, flags, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(doc, fh, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    if replace:
        os.replace(target, path)


def create_key_file(path: Path, *, development: bool) -> None:
    """Write a new key file with fresh random keys, readable by the owner only."""
    write_key_document(path, new_key_document(development=development))


def keyring_from_document(doc: dict[str, Any]) -> Keyring:
    """The keyring a key file describes (both the first format and format 2)."""
    keys = {int(k): _unb64(v, f"data key {k}") for k, v in doc["data_keys"].items()}
    if 0 in keys:
        raise KeyConfigError("data key id 0 is reserved; number data keys from 1")
    if "index_keys" in doc:
        gens = {
            int(k): IndexKey(int(k), _unb64(v["key"], f"index key {k}"), int(v["scheme"]))
            for k, v in doc["index_keys"].items()
        }
    else:
        gens = {1: IndexKey(1, _unb64(doc["blind_index_key"], "blind index key"), 1)}
    current = gens[int(doc.get("index_current", 1))]
    audit = doc.get("audit_key")
    return Keyring(
        keys,
        int(doc["current"]),
        current.root,
        bool(doc.get("development", False)),
        index_scheme=current.scheme,
        index_key_id=current.id,
        previous_index=tuple(g for i, g in sorted(gens.items()) if i != current.id),
        audit=_unb64(audit, "audit key") if audit else None,
    )


def read_key_document(path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(path.read_text())
    return doc


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
        ring = keyring_from_document(read_key_document(path))
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
