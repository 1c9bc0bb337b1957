"""Blind indexes recomputed from decrypted values, for the rows of one batch of a rotation.

Each function takes the batch's plaintexts (row id → column → value) and rewrites the digests
those values produce under the current blind-index key, in the batch's transaction. They
compute exactly what the services compute when they write (identifier, person-name, roster
and offer digests); digests nothing stores for long (log-in throttling, rate limits) are left
to expire.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection

from ctip.identifiers.models import Identifier
from ctip.identifiers.normalize import normalise, raw_key
from ctip.identifiers.service import digest_of
from ctip.offers.models import OfferIdentifier
from ctip.persons.models import PersonNameKey
from ctip.persons.names import field_keys, name_keys
from ctip.persons.service import split_aliases
from ctip.screening.models import RosterEntry
from ctip.security import keyring

Plain = dict[int, dict[str, str | None]]


def _table(model: type[Any]) -> Table:
    table: Table = model.__table__
    return table


FIELD_KINDS = ("given", "family", "km", "gkey", "fkey", "phon")  # linkage's field keys


def _identifiers(conn: Connection, rows: Plain) -> None:
    types = {
        r[0]: r[1]
        for r in conn.execute(
            select(Identifier.id, Identifier.id_type).where(Identifier.id.in_(rows))
        )
    }
    params = []
    for row_id, values in rows.items():
        normalised, raw = values.get("normalised"), values.get("raw") or ""
        if normalised:
            digest = digest_of(types[row_id], normalised)
        else:
            digest = digest_of("raw", raw_key(raw))
        params.append({"row": row_id, "new": digest})
    table = _table(Identifier)
    conn.execute(
        update(table).where(table.c.id == bindparam("row")).values(digest=bindparam("new")), params
    )


def _persons(conn: Connection, rows: Plain) -> None:
    keys = _table(PersonNameKey)
    with_fields = set(
        conn.scalars(
            select(keys.c.person_id).where(keys.c.person_id.in_(rows), keys.c.kind.in_(FIELD_KINDS))
        )
    )
    conn.execute(delete(keys).where(keys.c.person_id.in_(rows)))
    ring = keyring()
    fresh: list[dict[str, Any]] = []
    for person_id, v in rows.items():
        given, family, km = v.get("given_name"), v.get("family_name"), v.get("name_km")
        forms = name_keys(given, family, km, split_aliases(v.get("aliases")))
        if person_id in with_fields:
            forms = [*forms, *field_keys(given, family, km)]
        fresh += [
            {"person_id": person_id, "kind": kind, "digest": ring.blind_index("name:" + kind, form)}
            for kind, form in forms
        ]
    if fresh:
        conn.execute(insert(keys), fresh)


def _roster(conn: Connection, rows: Plain) -> None:
    from ctip.screening.roster import _phone_form, _stable_key

    table = _table(RosterEntry)
    facts = {
        r.id: r
        for r in conn.execute(
            select(table.c.id, table.c.date_of_birth, table.c.age, table.c.nationality).where(
                table.c.id.in_(rows)
            )
        )
    }
    params = []
    for row_id, v in rows.items():
        fact = facts[row_id]
        given_passport = v.get("passport")
        passport = normalise("passport", given_passport).value if given_passport else None
        phone = v.get("phone")
        values = {
            "passport_key": passport,
            "given_name": v.get("given_name"),
            "family_name": v.get("family_name"),
            "date_of_birth": fact.date_of_birth,
            "age": fact.age,
            "nationality": fact.nationality,
        }
        params.append(
            {
                "row": row_id,
                "key": _stable_key(values),
                "pp": digest_of("passport", passport) if passport else None,
                "ph": digest_of(*_phone_form(phone, fact.nationality)[:2]) if phone else None,
            }
        )
    conn.execute(
        update(table)
        .where(table.c.id == bindparam("row"))
        .values(
            row_key=bindparam("key"), passport_digest=bindparam("pp"), phone_digest=bindparam("ph")
        ),
        params,
    )


def _offers(conn: Connection, rows: Plain) -> None:
    from ctip.offers.service import _PURPOSE

    table = _table(OfferIdentifier)
    kinds = {
        r[0]: r[1]
        for r in conn.execute(select(table.c.id, table.c.kind).where(table.c.id.in_(rows)))
    }
    params = [
        {"row": i, "new": digest_of(_PURPOSE.get(kinds[i], "social_handle"), v.get("value") or "")}
        for i, v in rows.items()
    ]
    conn.execute(
        update(table).where(table.c.id == bindparam("row")).values(digest=bindparam("new")), params
    )


REINDEX: dict[str, Callable[[Connection, Plain], None]] = {
    "identifiers": _identifiers,
    "persons": _persons,
    "roster_entries": _roster,
    "offer_identifiers": _offers,
}
