"""Who people are in a demo case: documents they carry and the HTCDS details of their role.

Pure functions over the block's random stream (see :mod:`ctip.demo.generator`).
"""

from __future__ import annotations

import random
from datetime import date
from itertools import accumulate

from ctip.demo import timeline
from ctip.demo.people import (
    Entity,
    IdentPlan,
    account_number,
    below,
    between,
    handle_name,
    handle_plan,
    kh_phone,
    passport_number,
    passport_plan,
    phone_plan,
    pick,
    plan,
    render,
    wallet,
    weighted,
)
from ctip.demo.plans import CasePlan, Participation, ReferralPlan
from ctip.demo.world import DEMO_TODAY, NGOS, Profile

_NGO_NAMES = tuple(n[0] for n in NGOS)
_NGO_CUM = tuple(accumulate(n[2] for n in NGOS))
_NGO_SERVICES = {n[0]: n[3] for n in NGOS}
_CHARGED = frozenset({"charged", "at_trial", "convicted", "acquitted", "dismissed"})
_OVERRIDES = (
    "Child victim; guardian could not be reached; referral in the child's best interest.",
    "Victim needed urgent medical care; consent to be recorded on arrival.",
)


def documents(rng: random.Random, entity: Entity, phone_share: float) -> None:
    """Give a new person a phone (often), passport, national ID or handle (sometimes)."""
    if rng.random() < phone_share:
        entity.phones = [kh_phone(rng)]
    foreign = entity.nationality != "KH"
    if rng.random() < (0.65 if foreign else 0.2):
        entity.passport = passport_number(rng, entity.nationality)
    if not foreign and rng.random() < 0.25:
        entity.national_id = f"{below(rng, 10**9):09d}"
    if rng.random() < 0.1:
        entity.handle = handle_name(rng, entity.given[0])


def extras(rng: random.Random, entity: Entity, profile: Profile) -> None:
    """Things suspects leave behind: bank accounts, wallets (scams), plates, e-mail."""
    if rng.random() < 0.1:
        entity.extras.append(("bank_account", account_number(rng)))
    if profile.scam and rng.random() < 0.15:
        entity.extras.append(("crypto_wallet", wallet(rng)))
    if rng.random() < 0.05:
        plate = f"2{pick(rng, 'ABCEF')}-{below(rng, 10**4):04d}"
        entity.extras.append(("vehicle_plate", plate))
    if rng.random() < 0.05:
        entity.extras.append(("email", f"{handle_name(rng, entity.given[0])}@example.com"))


def known_ids(rng: random.Random, entity: Entity) -> list[IdentPlan]:
    """The entity's identifiers this record happens to hold, each in its own format."""
    found = [phone_plan(rng, phone) for phone in entity.phones if rng.random() < 0.85]
    if entity.passport and rng.random() < 0.8:
        found.append(passport_plan(rng, entity))
    if entity.national_id and rng.random() < 0.8:
        nid = entity.national_id
        found.append(
            plan(
                "national_id",
                nid if rng.random() < 0.6 else f"{nid[:3]} {nid[3:6]} {nid[6:]}",
                issuing_country="KH",
            )
        )
    if entity.handle and rng.random() < 0.7:
        found.append(handle_plan(rng, entity.handle, pick(rng, ("telegram", "facebook"))))
    found += [plan(kind, value) for kind, value in entity.extras if rng.random() < 0.8]
    return found


def age(part: Participation, on: date) -> int:
    """Age in whole years on the day ``on``."""
    return (on - part.record.entity.born).days // 365


def charged(case: CasePlan) -> bool:
    """Whether the case got as far as a charge (victim status and custody depend on it)."""
    return any(status in _CHARGED for status, _ in case.statuses)


def victim_role(
    rng: random.Random, case: CasePlan, profile: Profile, entity: Entity, intervened: date
) -> Participation:
    """A victim with HTCDS status, deciding organisation, control and recruitment."""
    record = render(rng, entity, case.opened_on)
    record.identifiers = known_ids(rng, entity)
    advanced = charged(case)
    status = weighted(
        rng,
        ("ActualVictimOfTrafficking", "PossibleVictimOfTrafficking", "NotAVictimOfTrafficking"),
        (65, 95, 100) if advanced else (25, 95, 100),
    )
    deciders = ("Police", "NGO", "NonPoliceGovernmentalOrganization", "CourtOrProsecution")
    decided_by = weighted(rng, deciders, (55, 75, 90, 100 if advanced else 90))
    method = pick(rng, profile.recruitment)
    online = method.startswith("ThroughOnline") or method == "ThroughAnOnlineAdvertisement"
    apps = (
        rng.sample(profile.apps, min(len(profile.apps), pick(rng, (1, 1, 2))))
        if profile.apps and (online or rng.random() < 0.3)
        else []
    )
    return Participation(
        record,
        "victim",
        trafficking_status=status,
        status_decided_by=decided_by,
        status_decided_on=timeline.capped(rng, intervened, 0, 20),
        methods_of_control=rng.sample(
            profile.controls, between(rng, 1, min(4, len(profile.controls)))
        ),
        recruitment_method=method,
        recruitment_apps=apps,
    )


def arrest_day(rng: random.Random, custody: str, intervened: date) -> date | None:
    """When a suspect was arrested (none when at large or after the demo ends)."""
    if custody == "at_large":
        return None
    return timeline.capped(rng, intervened, 0, 30)


def suspect_role(
    rng: random.Random, case: CasePlan, entity: Entity, role: str, intervened: date
) -> Participation:
    """A suspect with ``per_RoleInProcess`` and custody; many abscond."""
    record = render(
        rng, entity, case.opened_on, f"Boss {entity.given[0]}" if rng.random() < 0.1 else None
    )
    record.identifiers = known_ids(rng, entity)
    cum = (45, 60, 85, 100) if charged(case) else (30, 35, 50, 100)
    custody = weighted(rng, ("in_custody", "on_bail", "absconded", "at_large"), cum)
    arrested = arrest_day(rng, custody, intervened)
    return Participation(
        record,
        "suspect",
        role_in_process=role,
        custody_status=custody if arrested or custody == "at_large" else "at_large",
        arrested_on=arrested,
    )


def referral(rng: random.Random, case: CasePlan, person: int, referred: date) -> ReferralPlan:
    """A victim's referral to an NGO, with consent or a recorded override."""
    victim = case.participations[person]
    to_org = weighted(rng, _NGO_NAMES, _NGO_CUM)
    foreign = victim.record.entity.nationality != "KH"
    reason = (
        "MigrationOrChangeOfLocation"
        if foreign and rng.random() < 0.5
        else weighted(rng, ("AdditionalServicesRequired", "Other"), (90, 100))
    )
    consent = rng.random() < 0.9
    override = None if consent else _OVERRIDES[0 if age(victim, referred) < 18 else 1]
    recent = (DEMO_TODAY - referred).days < 10
    status = (
        "pending" if recent else weighted(rng, ("accepted", "declined", "pending"), (80, 88, 100))
    )
    responded = timeline.capped(rng, referred, 1, 10) if status != "pending" else None
    return ReferralPlan(
        person,
        to_org,
        case.reporting_org,
        reason,
        pick(rng, _NGO_SERVICES[to_org]),
        referred,
        consent,
        override,
        status if responded or status == "pending" else "pending",
        responded,
    )
