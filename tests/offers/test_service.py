"""Offer services on a real database: identifier hits, reports, scan hits, grouping."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ctip.audit.models import AuditEntry
from ctip.errors import PermissionDenied
from ctip.identifiers import service as identifiers
from ctip.offers import service
from ctip.offers.engine import OfferChecker
from ctip.offers.models import OfferReport
from tests.persons.helpers import attach, make_case, make_person

SCAM = (
    "Urgent! Typing job in Sihanoukville, salary $1,500, free ticket, no experience. "
    "Call 012 345 678 or Telegram @broker_kh"
)


def _suspect_with_phone(db, actor, role: str = "suspect", phone: str = "+855 12 345 678"):  # type: ignore[no-untyped-def]
    person = make_person(db)
    attach(db, make_case(db), person, role)
    identifiers.add(db, actor=actor, id_type="phone", value=phone, person_id=person.id)
    return person


def _audit(db, action: str) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    return list(db.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_check_stores_nothing(db, checker: OfferChecker) -> None:
    result = service.check(db, checker=checker, text=SCAM, lang="en")
    assert result.risk == "high" and not result.reported
    assert db.scalars(select(OfferReport)).all() == []
    assert _audit(db, "offer.identifier_hit") == []


@pytest.mark.parametrize("role", ["suspect", "broker"])
def test_number_of_a_suspect_or_broker_is_reported_and_audited(db, make_actor, checker, role):
    _suspect_with_phone(db, make_actor("admin"), role)
    result = service.check(db, checker=checker, text=SCAM, lang="en")
    assert result.reported and result.risk == "high"
    assert "reported in connection with trafficking" in result.summary
    (entry,) = _audit(db, "offer.identifier_hit")
    assert entry.actor_name == "public"
    kept = entry.changes or ""
    assert "012 345 678" not in kept and "Sihanoukville" not in kept


def test_number_of_a_victim_is_not_reported(db, make_actor, checker) -> None:
    _suspect_with_phone(db, make_actor("admin"), "victim")
    assert not service.check(db, checker=checker, text=SCAM, lang="en").reported


def test_report_keeps_the_tip_with_identifiers(db, checker) -> None:
    result = service.check(db, checker=checker, text=SCAM, lang="en")
    offer = service.report(db, result=result, text=SCAM, contact="@Recruiter_99")
    assert offer.source == "public" and offer.risk == "high" and "C5" in offer.flags
    values = sorted((i.kind, i.value) for i in offer.identifiers)
    assert values == [
        ("phone", "+85512345678"),
        ("telegram", "broker_kh"),
        ("telegram", "recruiter_99"),
    ]
    assert offer.identifiers[0].digest == service.digest_for(result.identifiers[0])
    assert len(_audit(db, "offer.report")) == 1


def test_groups_join_offers_sharing_an_identifier(db, make_actor, checker) -> None:
    analyst = make_actor("secretariat")
    texts = [
        SCAM,
        "Easy job in Poipet, $2000. Telegram @broker_kh",
        "Hotel receptionist in Siem Reap, $250. Call 017 111 222",
    ]
    for text in texts:
        service.report(db, result=checker.check(text), text=text)
    _suspect_with_phone(db, make_actor("admin"), phone="017 111 222")
    found = service.groups(db, actor=analyst)
    assert [len(g.reports) for g in found] == [2, 1]
    assert found[1].in_registry == {service.digest_for(checker.check(texts[2]).identifiers[0])}
    assert len(_audit(db, "offer.read")) == 1


def test_ngo_caseworkers_do_not_see_reported_offers(db, make_actor, make_org) -> None:
    ngo = make_org("Hope", "NGO")
    with pytest.raises(PermissionDenied):
        service.groups(db, actor=make_actor("ngo_caseworker", org=ngo))


def test_review_and_scan_hits(db, make_actor, make_org, checker) -> None:
    analyst = make_actor("investigator", org=make_org("Anti-trafficking police"))
    saved = service.save_scan_hits(
        db, actor=analyst, hits=[("posts.jsonl#7", SCAM, checker.check(SCAM))]
    )
    assert saved == 1
    (offer,) = db.scalars(select(OfferReport)).all()
    assert (offer.source, offer.scan_ref, offer.created_by_id) == (
        "scan",
        "posts.jsonl#7",
        analyst.id,
    )
    service.set_status(db, actor=analyst, report_id=offer.id, status="dismissed")
    assert offer.status == "dismissed"
    assert service.groups(db, actor=analyst) == []


@pytest.mark.parametrize(
    "text, phone",
    [
        ("งานแอดมิน เงินเดือนสูง ฟรีตั๋วเครื่องบิน สนใจโทร 081 234 5678", "+66 81 234 5678"),
        (
            "Việc nhẹ lương cao tại Campuchia, bao vé máy bay, liên hệ 0912 345 678",
            "+84 912 345 678",
        ),
        (
            "Urgent typing job in Sihanoukville, free ticket, call 00855 12 345 678",
            "+855 12 345 678",
        ),
    ],
)
def test_local_numbers_are_read_in_the_offers_country(db, make_actor, checker, text, phone):
    _suspect_with_phone(db, make_actor("admin"), "broker", phone)
    assert service.check(db, checker=checker, text=text).reported
