"""Turning case plans into table rows: ids, reference numbers, ciphertext and blind indexes.

Names and identifiers are encrypted with the active keyring and blind-indexed exactly as the
person and identifier services do (``name:<kind>`` over ``ctip.persons.names.name_keys``,
``id:<purpose>`` over ``ctip.identifiers.normalize.index_form``), so search through the
application finds demo records. No database access: the loader reads the starting state
(next ids, sequences, organisation and place ids) and writes what this returns.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, repeat
from typing import Any, cast

from ctip.cases.service import format_reference
from ctip.demo.generator import Generator
from ctip.demo.people import IdentPlan, PersonRecord
from ctip.demo.plans import CasePlan, Participation
from ctip.demo.writer import COLUMNS, TABLES, Formats, Row
from ctip.persons.names import name_keys
from ctip.security import BOUND, MARK, NONCE_BYTES, Keyring, associated_data, purpose_key

# Cached name digests kept at most (a million cases would otherwise keep millions).
CACHE_LIMIT = 200_000
# The encrypted columns: rows carry their plaintext until ``Crypto.seal`` (see ``RowMaker``).
ENCRYPTED = {
    "persons": ("given_name", "family_name", "name_km", "aliases"),
    "cases": ("summary",),
    "identifiers": ("raw", "normalised"),
    "case_events": ("description",),
    "referrals": ("consent_override_reason",),
}
_SEALED = {
    table: tuple((COLUMNS[table].index(c), f"{table}.{c}") for c in columns)
    for table, columns in ENCRYPTED.items()
}


@dataclass
class Refs:
    """Ids the loader resolved: organisations by name, places by key, actors."""

    orgs: dict[str, int]
    locations: dict[str, int]
    actors: dict[str, int]  # province code or organisation name → user id


# A person's name keys as made: first row id, person id, kinds, normalised forms (their
# blind indexes are computed by the writing process: see ``Chunk``).
NameSpan = tuple[int, int, tuple[str, ...], tuple[str, ...]]


@dataclass
class Chunk:
    """The rows of a range of cases, their ground-truth lines, and the case sequences after
    them (what a batch that ends with this chunk saves).

    Name keys (about 54 a case, the most rows by far) travel as one :data:`NameSpan` per
    person in ``name_spans`` and become ``person_name_keys`` rows in the writing process
    (``spread_name_keys``): fewer objects to make, copy between the processes and unpickle.
    The spans carry the normalised name forms; the writing process blind-indexes them, which
    balances the work of the two processes (the helper's row making is the slower).
    """

    rows: dict[str, list[Row]] = field(default_factory=lambda: {t: [] for t in TABLES})
    name_spans: list[NameSpan] = field(default_factory=list)
    truth: list[dict[str, Any]] = field(default_factory=list)
    cases: int = 0
    stop: int = 0
    sequences: dict[tuple[str, int], int] = field(default_factory=dict)


@dataclass
class State:
    """What carries over between chunks (and, for a top-up, between loads)."""

    next_ids: dict[str, int]
    sequences: dict[tuple[str, int], int]
    registry: dict[str, int]  # broker reuse key → person id


def spread_name_keys(chunk: Chunk, crypto: Crypto) -> None:
    """Turn the chunk's name spans into its ``person_name_keys`` rows (ids in order), each
    form blind-indexed as ``name:<kind>`` (``crypto`` remembers repeated forms)."""
    index = crypto.cached_index
    chunk.rows["person_name_keys"] = list(
        chain.from_iterable(
            zip(
                range(first, first + len(kinds)),
                repeat(person),
                kinds,
                map(index, kinds, forms),
            )
            for first, person, kinds, forms in chunk.name_spans
        )
    )
    chunk.name_spans = []
    if len(crypto._cache) > CACHE_LIMIT:  # name forms seldom repeat across blocks
        crypto.clear()


class Crypto:
    """The keyring's AES-GCM and blind index, made fast for bulk work.

    Produces exactly what ``Keyring.encrypt`` (bound to table, column and row id: the loader
    knows every id before writing) and ``Keyring.blind_index`` produce (tests decrypt and
    compare), but reuses one cipher object, draws nonces from a buffer of ``os.urandom``
    bytes, computes HMAC-SHA256 from precomputed pads (RFC 2104), one pair per purpose key,
    and caches the blind indexes of repeated name forms.
    """

    def __init__(self, ring: Keyring) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._header = bytes([MARK, BOUND, ring.current_key_id])
        self._aead = AESGCM(ring.data_keys[ring.current_key_id])
        self._index = ring.index_key
        self._pads: dict[str, tuple[Any, Any]] = {}
        self._nonces = b""
        self._at = 0
        self._cache: dict[tuple[str, str], str] = {}

    def _nonce(self) -> bytes:
        if self._at + NONCE_BYTES > len(self._nonces):
            self._nonces, self._at = os.urandom(NONCE_BYTES * 8192), 0
        self._at += NONCE_BYTES
        return self._nonces[self._at - NONCE_BYTES : self._at]

    def encrypt(self, plaintext: str, place: str, row: int) -> bytes:
        """``plaintext`` bound to ``place`` (``table.column``) and row ``row``."""
        nonce = self._nonce()
        body = self._aead.encrypt(nonce, plaintext.encode(), associated_data(place, row))
        return self._header + nonce + body

    def _pad(self, purpose: str) -> tuple[Any, Any]:
        pads = self._pads.get(purpose)
        if pads is None:
            key = (
                self._index.root
                if self._index.scheme == 1
                else purpose_key(self._index.root, purpose)
            )
            key = key.ljust(64, b"\0")  # 32-byte key: no pre-hashing needed
            inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
            pads = self._pads[purpose] = (inner, hashlib.sha256(bytes(b ^ 0x5C for b in key)))
        return pads

    def blind_index(self, purpose: str, normalised: str) -> str:
        pad_in, pad_out = self._pad(purpose)
        inner = pad_in.copy()
        message = f"{purpose}:{normalised}" if self._index.scheme == 1 else normalised
        inner.update(message.encode())
        outer = pad_out.copy()
        outer.update(inner.digest())
        return outer.hexdigest()[:40]

    def seal(self, rows: dict[str, list[Row]]) -> None:
        """Encrypt, in place, the plaintext a ``RowMaker`` left in the :data:`ENCRYPTED`
        columns, each value bound to its column and its row's id (the row's first value):
        what ``encrypt`` does, with one nonce draw per column and no call per value."""
        aead, header = self._aead.encrypt, self._header
        for table, places in _SEALED.items():
            table_rows = cast(list[list[Any]], rows.get(table, []))  # RowMaker's lists
            for at, place in places:
                nonces = os.urandom(NONCE_BYTES * len(table_rows))
                bound = f"ctip:{place}:"  # ``associated_data(place, row)``
                for n, row in enumerate(table_rows):
                    value = row[at]
                    if value:
                        nonce = nonces[n * NONCE_BYTES : (n + 1) * NONCE_BYTES]
                        aad = f"{bound}{row[0]}".encode()
                        row[at] = header + nonce + aead(nonce, value.encode(), aad)

    def clear(self) -> None:
        """Forget the cached blind indexes (they bound memory, not correctness)."""
        self._cache.clear()

    def cached_index(self, kind: str, normalised: str) -> str:
        """``blind_index("name:" + kind, normalised)``, remembered (name forms repeat)."""
        key = (kind, normalised)
        digest = self._cache.get(key)
        if digest is None:
            digest = self._cache[key] = self.blind_index("name:" + kind, normalised)
        return digest


class RowMaker:
    """Rows for ranges of demo cases of one seed, in order.

    Rows of the tables with :data:`ENCRYPTED` columns are lists holding those columns'
    plaintext: the process that writes them seals them (``Crypto.seal``) just before, so a
    helper process making rows and the writer share the work and no ciphertext is copied
    between them.
    """

    def __init__(
        self, *, seed: int, refs: Refs, state: State, ring: Keyring, formats: Formats
    ) -> None:
        self.generator = Generator(seed)
        self.refs = refs
        self.state = state
        self.crypto = Crypto(ring)
        self.blind_index = self.crypto.blind_index
        self.day: Callable[[date | None], Any] = formats.day
        self.moment = formats.moment
        self._json: dict[tuple[str, ...], str] = {}
        self._names: dict[tuple[Any, ...], tuple[tuple[str, ...], tuple[str, ...]]] = {}

    def _id(self, table: str) -> int:
        value = self.state.next_ids[table]
        self.state.next_ids[table] = value + 1
        return value

    def _list(self, values: list[str]) -> str:
        key = tuple(values)
        text = self._json.get(key)
        if text is None:
            text = self._json[key] = json.dumps(values)
        return text

    def chunk(self, start: int, stop: int) -> Chunk:
        """Rows for cases ``start`` ≤ i < ``stop``, numbered in order of opening date."""
        out = Chunk()
        plans = sorted(self.generator.cases(start, stop), key=lambda c: (c.opened_on, c.index))
        for case in plans:
            self._case(out, case)
        out.cases = len(plans)
        out.stop = stop
        out.sequences = dict(self.state.sequences)
        if len(self._names) > CACHE_LIMIT:  # name forms seldom repeat across blocks
            self._names.clear()
        return out

    def _reference(self, case: CasePlan) -> tuple[str, int]:
        key = (case.province, case.opened_on.year)
        sequence = self.state.sequences.get(key, 0) + 1
        self.state.sequences[key] = sequence
        return format_reference(case.province, case.opened_on.year, sequence), sequence

    def _case(self, out: Chunk, case: CasePlan) -> None:
        case_id = self._id("cases")
        reference, sequence = self._reference(case)
        actor = self.refs.actors.get(case.reporting_org) or self.refs.actors.get(case.province)
        created = self.moment(case.opened_on, "09:00:00")
        changed = case.statuses[-1][1]
        out.rows["cases"].append(
            [
                case_id,
                reference,
                case.province,
                case.opened_on.year,
                sequence,
                case.title,
                case.summary,
                self.refs.orgs[case.reporting_org],
                self.day(case.opened_on),
                self._list(case.exploitation_types),
                case.forced_labour_subtype,
                case.industry,
                self._list(case.origin_countries),
                self._list(case.transit_countries),
                self._list(case.exploitation_countries),
                case.status,
                self.day(changed),
                actor,
                1,
                created,
                self.moment(changed, "17:00:00"),
            ]
        )
        person_ids = [
            self._participant(out, case, case_id, reference, part, created)
            for part in case.participations
        ]
        for ident in case.identifiers:
            self._identifier(out, ident, None, case_id, created)
        self._events(out, case, case_id, person_ids, actor, created)
        self._referrals(out, case, case_id, person_ids, actor, created)
        for org in case.shared_with:
            out.rows["case_shares"].append(
                (self._id("case_shares"), case_id, self.refs.orgs[org], None, created)
            )

    def _participant(
        self,
        out: Chunk,
        case: CasePlan,
        case_id: int,
        reference: str,
        part: Participation,
        created: Any,
    ) -> int:
        person_id = self.state.registry.get(part.reuse_key) if part.reuse_key else None
        if person_id is None:
            person_id = self._person(out, case, part.record, created)
            entity = part.record.entity
            out.truth.append(
                {
                    "record_type": "person",
                    "record_id": person_id,
                    "entity_key": entity.key,
                    "network_key": entity.network,
                    "role": part.role,
                    "case_id": case_id,
                    "reference": reference,
                    "reuse_key": part.reuse_key,
                }
            )
            if part.reuse_key:
                self.state.registry[part.reuse_key] = person_id
        day = self.day
        out.rows["case_persons"].append(
            (
                self._id("case_persons"),
                case_id,
                person_id,
                part.role,
                part.trafficking_status,
                part.status_decided_by,
                day(part.status_decided_on),
                self._list(part.methods_of_control),
                part.recruitment_method,
                self._list(part.recruitment_apps),
                part.role_in_process,
                part.custody_status,
                day(part.arrested_on),
                1,
                created,
                created,
            )
        )
        return person_id

    def _person(self, out: Chunk, case: CasePlan, rec: PersonRecord, created: Any) -> int:
        person_id = self._id("persons")
        out.rows["persons"].append(
            [
                person_id,
                rec.given,
                rec.family,
                rec.name_km,
                "\n".join(rec.aliases) or None,
                rec.gender,
                self.day(rec.date_of_birth),
                rec.estimated_age,
                self.day(case.opened_on) if rec.estimated_age is not None else None,
                self._list([rec.entity.nationality]),
                case.province,
                self.refs.orgs[case.reporting_org],
                1,
                created,
                created,
            ]
        )
        kinds, forms = self._name_forms(rec)
        first = self.state.next_ids["person_name_keys"]
        self.state.next_ids["person_name_keys"] = first + len(kinds)
        out.name_spans.append((first, person_id, kinds, forms))
        for ident in rec.identifiers:
            self._identifier(out, ident, person_id, None, created)
        return person_id

    def _name_forms(self, rec: PersonRecord) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(kinds, normalised forms) of the record's name keys, in ``name_keys`` order."""
        key = (rec.given, rec.family, rec.name_km, *rec.aliases)
        found = self._names.get(key)
        if found is None:
            pairs = name_keys(rec.given, rec.family, rec.name_km, rec.aliases)
            found = self._names[key] = (
                tuple(kind for kind, _ in pairs),
                tuple(form for _, form in pairs),
            )
        return found

    def _identifier(
        self, out: Chunk, ident: IdentPlan, person_id: int | None, case_id: int | None, created: Any
    ) -> None:
        row = self._id("identifiers")
        out.rows["identifiers"].append(
            [
                row,
                ident.id_type,
                ident.platform,
                ident.raw,
                ident.normalised if ident.valid else None,
                self.blind_index("id:" + ident.purpose, ident.normalised),
                ident.valid,
                ident.problem,
                ident.issuing_country,
                person_id,
                case_id,
                created,
                created,
            ]
        )

    def _events(
        self,
        out: Chunk,
        case: CasePlan,
        case_id: int,
        person_ids: list[int],
        actor: int | None,
        created: Any,
    ) -> None:
        rows = out.rows["case_events"]
        places = self.refs.locations
        for event in case.events:
            row = self._id("case_events")
            rows.append(
                [
                    row,
                    case_id,
                    event.event_type,
                    self.day(event.occurred_on),
                    places[event.location] if event.location else None,
                    person_ids[event.person] if event.person is not None else None,
                    event.description,
                    event.from_status,
                    event.to_status,
                    actor if event.event_type == "status_change" else None,
                    self.moment(event.occurred_on, "12:00:00"),
                ]
            )

    def _referrals(
        self,
        out: Chunk,
        case: CasePlan,
        case_id: int,
        person_ids: list[int],
        actor: int | None,
        created: Any,
    ) -> None:
        orgs = self.refs.orgs
        for ref in case.referrals:
            row = self._id("referrals")
            out.rows["referrals"].append(
                [
                    row,
                    case_id,
                    person_ids[ref.person],
                    orgs[ref.from_org],
                    orgs[ref.to_org],
                    ref.reason,
                    ref.service,
                    self.day(ref.referred_on),
                    ref.consent_given,
                    self.day(ref.referred_on) if ref.consent_given else None,
                    ref.consent_override_reason,
                    ref.status,
                    self.day(ref.responded_on),
                    actor,
                    1,
                    self.moment(ref.referred_on, "10:00:00"),
                    created,
                ]
            )
