"""Keys (issue 9 §2): ciphertexts bound to their place, a blind-index key per purpose, a
separate audit key, and ``ctip keys rotate`` resumable after an interruption."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from ctip.audit.chain import verify
from ctip.audit.models import AuditEntry
from ctip.identifiers import service as identifiers
from ctip.keys import rotation
from ctip.keys.places import status
from ctip.persons import service as persons
from ctip.persons.models import Person
from ctip.persons.schemas import PersonIn
from ctip.security import (
    BOUND,
    CiphertextError,
    Keyring,
    form_of,
    keyring,
    keyring_from_document,
    new_key_document,
    purpose_key,
    set_keyring,
)
from tests.conftest import BIDX_KEY, ENC_KEY


@pytest.fixture
def restore_keyring(test_keyring: Keyring) -> Iterator[None]:
    yield
    set_keyring(test_keyring)


@pytest.fixture(autouse=True)
def suite_keys(test_keyring: Keyring) -> None:
    """These tests build key files from the suite's own keys, so they start from them: a
    command run by an earlier test (``ctip demo load`` without keys in its environment makes
    a key file of its own) may have left its keyring in force."""
    set_keyring(test_keyring)


@pytest.fixture
def admin(make_actor):
    return make_actor("admin")


def _person(db, admin, given: str, family: str, phone: str) -> Person:
    person = persons.create(db, actor=admin, data=PersonIn(given_name=given, family_name=family))
    identifiers.add(db, actor=admin, id_type="phone", value=phone, person_id=person.id)
    db.flush()
    return person


def _raw(db, table: str, column: str, row: int) -> bytes:
    return bytes(
        db.execute(text(f"SELECT {column} FROM {table} WHERE id = :i"), {"i": row}).scalar()
    )


def _set_raw(db, table: str, column: str, row: int, blob: bytes) -> None:
    db.execute(text(f"UPDATE {table} SET {column} = :b WHERE id = :i"), {"b": blob, "i": row})


def _read(db, person_id: int) -> Person | None:
    db.expire_all()
    return db.scalar(select(Person).where(Person.id == person_id))


def test_values_written_by_the_orm_are_bound_to_their_row(db, admin):
    person = _person(db, admin, "Sokha", "Chea", "012 345 678")
    blob = _raw(db, "persons", "given_name", person.id)
    assert form_of(blob) == (BOUND, keyring().current_key_id)
    assert keyring().decrypt(blob, "persons.given_name", person.id) == "Sokha"
    with pytest.raises(CiphertextError):
        keyring().decrypt(blob, "persons.given_name", person.id + 1)
    assert _read(db, person.id).given_name == "Sokha"


@pytest.mark.parametrize("where", ["another row", "another column"])
def test_a_ciphertext_moved_elsewhere_fails_to_decrypt_naming_its_place(db, admin, where):
    one = _person(db, admin, "Sokha", "Chea", "012 345 678").id
    two = _person(db, admin, "Dara", "Kim", "012 999 888").id
    if where == "another row":  # swap two persons' given names in the raw database
        a, b = _raw(db, "persons", "given_name", one), _raw(db, "persons", "given_name", two)
        _set_raw(db, "persons", "given_name", one, b)
        _set_raw(db, "persons", "given_name", two, a)
    else:
        _set_raw(db, "persons", "family_name", one, _raw(db, "persons", "given_name", one))
    with pytest.raises(CiphertextError) as failure:
        _read(db, one)
    column = "given_name" if where == "another row" else "family_name"
    assert f"persons.{column} of row {one} does not decrypt" in str(failure.value)


def test_old_unbound_values_still_read_and_rebind_binds_them(db, sessions, admin):
    person = _person(db, admin, "Sokha", "Chea", "012 345 678")
    _set_raw(db, "persons", "given_name", person.id, keyring().encrypt("Old Sokha"))  # legacy form
    db.commit()
    assert _read(db, person.id).given_name == "Old Sokha"
    before = {c.place: c for c in status(db.connection()) if c.form == "unbound"}
    assert before["persons.given_name"].values >= 1
    out = rotation.rebind(sessions, batch=2)
    assert out.finished and out.rewritten["persons"] >= 1
    assert form_of(_raw(db, "persons", "given_name", person.id))[0] == BOUND
    assert _read(db, person.id).given_name == "Old Sokha"
    assert not [c for c in status(db.connection()) if c.form != "bound to row"]


def test_blind_index_keys_are_one_per_purpose_and_the_audit_key_is_separate():
    ring = keyring_from_document(new_key_document(development=True))
    assert ring.index_scheme == 2 and ring.audit is not None
    assert ring.audit_key != Keyring(ring.data_keys, 1, ring.blind_index_key).audit_key
    phone, name = (
        purpose_key(ring.blind_index_key, "id:phone"),
        purpose_key(ring.blind_index_key, "name:token"),
    )
    assert len({phone, name, ring.blind_index_key, ring.audit_key}) == 4
    # the same value under two purposes: unrelated digests, so no join across purposes
    assert ring.blind_index("name:full", "sokha chea") != ring.blind_index(
        "name:token", "sokha chea"
    )


def _legacy_key_file(tmp_path: Path) -> Path:
    """The key file this suite's keys would have had before per-purpose keys."""
    path = tmp_path / "keys.json"
    doc = {
        "current": 1,
        "data_keys": {"1": base64.b64encode(ENC_KEY).decode()},
        "blind_index_key": base64.b64encode(BIDX_KEY).decode(),
    }
    path.write_text(json.dumps(doc))
    return path


class Killed(Exception):
    """Stands for the process dying inside a batch's transaction."""


def test_rotation_interrupted_mid_way_resumes_and_loses_nothing(
    db, sessions, admin, tmp_path, restore_keyring
):
    people = [_person(db, admin, f"Name{i}", "Chea", f"012 345 {i:03d}") for i in range(7)]
    db.commit()
    path = _legacy_key_file(tmp_path)
    stale = sum(c.values for c in status(db.connection()))
    batches = iter(range(100))

    def die_in_third_batch(table: str, rows: int) -> None:
        if next(batches) == 2:
            raise Killed

    with pytest.raises(Killed):
        rotation.rotate(sessions, path, batch=3, inside=die_in_third_batch)
    doc = json.loads(path.read_text())
    assert "rotation" in doc and doc["current"] == 2  # new keys in force, old ones kept
    ring = keyring()
    assert ring.previous_index  # both generations searched mid-way
    assert [p.id for p in persons.search(db, actor=admin, query="Name0 Chea")] == [people[0].id]
    hits = identifiers.search(db, actor=admin, value="+855 12 345 006")
    assert [h.id for h in hits.persons] == [people[6].id]
    first = rotation.walk(sessions, reindex=True, batch=10_000)  # what was left, counted
    assert 0 < sum(first.values()) < stale

    out = rotation.rotate(sessions, path, batch=3)  # the re-run: nothing left to do twice
    assert out.finished and out.total == 0
    doc = json.loads(path.read_text())
    assert "rotation" not in doc and set(doc["data_keys"]) == {"2"}
    assert set(doc["retired"]["data_keys"]) == {"1"}
    ring = keyring()
    assert ring.current_key_id == 2 and ring.index_scheme == 2 and not ring.previous_index
    counts = status(db.connection())
    assert {(c.form, c.key_id) for c in counts} == {("bound to row", 2)}
    db.expire_all()
    for i, person in enumerate(people):
        assert _read(db, person.id).given_name == f"Name{i}"
        assert [p.id for p in persons.search(db, actor=admin, query=f"Chea Name{i}")] == [person.id]
        hits = identifiers.search(db, actor=admin, value=f"012 345 {i:03d}")
        assert [h.id for h in hits.persons] == [person.id]
    actions = db.scalars(select(AuditEntry.detail).where(AuditEntry.action == "keys.rotate"))
    assert any(d.startswith("finished") for d in actions)
    assert ring.audit_key == Keyring({1: ENC_KEY}, 1, BIDX_KEY).audit_key  # seals still verify
    report = verify(db)
    assert report.ok, report.findings


def test_a_rotation_in_progress_refuses_rebind(tmp_path, sessions, restore_keyring):
    ring = keyring_from_document(rotation.begin(_legacy_key_file(tmp_path)))
    set_keyring(ring)
    with pytest.raises(Exception, match="rotation is pending"):
        rotation.rebind(sessions)


def test_the_audit_trigger_lets_only_the_encrypted_changes_be_rewritten(db, admin):
    from sqlalchemy.exc import DatabaseError

    persons.create(db, actor=admin, data=PersonIn(given_name="Sokha"))
    db.flush()
    entry = db.scalar(select(AuditEntry.id).where(AuditEntry.changes.is_not(None)).limit(1))
    blob = _raw(db, "audit_log", "changes", entry)
    with db.begin_nested():
        db.execute(text("UPDATE audit_log SET changes = :b WHERE id = :i"), {"b": blob, "i": entry})
    for statement in ("UPDATE audit_log SET detail = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DatabaseError, match="append-only"), db.begin_nested():
            db.execute(text(statement))


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_the_migrations_frozen_trigger_equals_the_live_one(dialect):
    import importlib.util

    from ctip.audit.triggers import FIXED_COLUMNS, rewrite_changes_sql

    path = Path(__file__).resolve().parents[2] / "src/ctip/db/migrations/versions/0012_keys.py"
    spec = importlib.util.spec_from_file_location("keys_0012", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.FIXED == FIXED_COLUMNS
    assert [" ".join(s.split()) for s in module._sql(dialect, module.FIXED)] == [
        " ".join(s.split()) for s in rewrite_changes_sql(dialect)
    ]


ROSTER = (
    "Given name,Family name,Sex,Age,Nationality,Passport,Phone\n"
    "Lan,Tran,F,16,VN,B1234567,+84 912 345 678\n"
)


def test_rotation_recomputes_roster_and_offer_digests_as_their_services_do(
    db, sessions, officer, intervention, tmp_path, restore_keyring
):
    from datetime import date

    from ctip.offers.models import OfferIdentifier, OfferReport
    from ctip.offers.service import _PURPOSE
    from ctip.screening import roster
    from ctip.screening.models import RosterEntry

    roster.import_file(
        db,
        actor=officer,
        intervention_id=intervention.id,
        data=ROSTER.encode(),
        filename="r.csv",
        today=date(2024, 3, 3),
    )
    report = OfferReport(
        source="public", text="Job in Bangkok", language="en", risk="high", score=0.9
    )
    report.identifiers = [
        OfferIdentifier(
            kind="whatsapp",
            value="+66812345678",
            digest=identifiers.digest_of(_PURPOSE["whatsapp"], "+66812345678"),
        )
    ]
    db.add(report)
    db.commit()
    out = rotation.rotate(sessions, _legacy_key_file(tmp_path), batch=50)
    assert (
        out.finished
        and out.rewritten["roster_entries"] == 1
        and out.rewritten["offer_identifiers"] == 1
    )
    db.expire_all()
    entry = db.scalar(select(RosterEntry).where(RosterEntry.intervention_id == intervention.id))
    rotated = {c: getattr(entry, c) for c in ("row_key", "passport_digest", "phone_digest")}
    offer = db.scalar(select(OfferIdentifier).where(OfferIdentifier.report_id == report.id))
    assert offer.digest == identifiers.digest_of("phone", "+66812345678")
    db.execute(text("DELETE FROM roster_entries WHERE id = :i"), {"i": entry.id})
    db.expunge_all()
    roster.import_file(  # the same row imported afresh under the new keys: the same digests
        db,
        actor=officer,
        intervention_id=intervention.id,
        data=ROSTER.encode(),
        filename="r.csv",
        today=date(2024, 3, 3),
    )
    again = db.scalar(select(RosterEntry).where(RosterEntry.intervention_id == intervention.id))
    assert {c: getattr(again, c) for c in rotated} == rotated
    assert None not in rotated.values()


def test_replacing_a_key_file_ignores_a_planted_new_file(tmp_path: Path):
    """A ``.new`` left beside the key file (world-readable, or a link to elsewhere) neither
    widens the new key file's permissions nor receives the keys through the link."""
    from ctip.security import new_key_document, write_key_document

    keys = tmp_path / "keys" / "ctip-keys.json"
    write_key_document(keys, new_key_document(development=False))
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text("{}")
    elsewhere.chmod(0o644)
    planted = keys.with_name(keys.name + ".new")
    planted.symlink_to(elsewhere)

    write_key_document(keys, new_key_document(development=False), replace=True)

    assert elsewhere.read_text() == "{}"
    assert not keys.is_symlink()
    assert keys.stat().st_mode & 0o777 == 0o600
    assert not planted.exists()
    assert json.loads(keys.read_text())["format"] == 2
