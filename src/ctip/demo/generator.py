"""Seeded, deterministic demo cases: pure functions, no database.

Cases come in blocks of ``BLOCK``; each block has its own random stream, broker networks and
pool of recurring people, so case *i* of a seed is the same whether 400 or 1,000,000 cases are
asked for, and a load can be topped up later. A set of national networks spans all blocks.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from functools import cache
from itertools import accumulate
from typing import Any

from ctip.demo import roles, timeline
from ctip.demo.networks import Network, NetworkPool, broker_identifiers, case_identifiers
from ctip.demo.networks import network_pool as make_pool
from ctip.demo.people import (
    Entity,
    below,
    between,
    new_entity,
    pick,
    render,
    weighted,
)
from ctip.demo.plans import CasePlan, EventPlan, Participation
from ctip.demo.world import (
    DEMO_TODAY,
    HUBS,
    IMMIGRATION,
    NATIONAL_POLICE,
    NGOS,
    PROFILES,
    PROVINCE_WEIGHTS,
    YEAR_WEIGHTS,
    YEARS,
    Profile,
    police_unit,
)
from ctip.reference import countries, province_name

BLOCK = 5_000
BLOCK_NETWORKS = 70
NATIONAL_NETWORKS = 24
_PROVINCES = tuple(PROVINCE_WEIGHTS)
_PROVINCE_CUM = tuple(accumulate(PROVINCE_WEIGHTS.values()))
_YEAR_CUM = tuple(accumulate(YEAR_WEIGHTS))
_NGO_NAMES = tuple(n[0] for n in NGOS)
_NGO_CUM = tuple(accumulate(n[2] for n in NGOS))
_HUB_LABELS = {
    "sihanoukville": "Sihanoukville",
    "poipet_hub": "Poipet",
    "bavet_hub": "Bavet",
    "osmach_hub": "O'Smach",
    "myawaddy": "Myawaddy, Myanmar",
    "golden_triangle": "Golden Triangle, Laos",
    "tachileik": "Tachileik, Myanmar",
    "pp_airport": "Phnom Penh",
}
_LABOUR = frozenset({"brick_kiln", "agriculture", "fishing", "construction"})
_SUSPECT_CUM = (35, 80, 95, 100)  # cases with 0, 1, 2, 3 suspects: 35 %, 45 %, 15 %, 5 %


@cache
def _cumulative(
    weighted: tuple[tuple[str | int, float], ...],
) -> tuple[tuple[Any, ...], tuple[float, ...]]:
    """Items and cumulative weights of ``((item, weight), ...)`` (cached per profile)."""
    items, weights = zip(*weighted, strict=True)
    return items, tuple(accumulate(weights))


@cache
def _profile_cum(province: str, scam_era: bool) -> tuple[float, ...]:
    """Cumulative profile weights in a province; scam compounds are rare before 2021."""
    return tuple(
        accumulate(
            p.weight * p.affinity.get(province, 1.0) * (1.0 if scam_era or not p.scam else 0.1)
            for p in PROFILES
        )
    )


def place_label(key: str) -> str:
    """A short English name for a location key (used in titles)."""
    kind, _, code = key.partition(":")
    if kind == "hub":
        return _HUB_LABELS[code]
    if kind == "country":
        return countries("en").get(code, code)
    return province_name(key)


class Generator:
    """Demo case plans for one seed."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.national = make_pool(seed, "national", NATIONAL_NETWORKS, True)

    def cases(self, start: int, stop: int) -> Iterator[CasePlan]:
        """Cases ``start`` ≤ i < ``stop``, the same whatever range they are asked in."""
        if stop <= start:
            return
        for block in range(start // BLOCK, (stop - 1) // BLOCK + 1):
            maker = _Block(self.seed, block, self.national)
            first = block * BLOCK
            for index in range(first, min(stop, first + BLOCK)):
                case = maker.case(index)
                if index >= start:
                    yield case


class _Block:
    """One block's random stream, networks and recurring people."""

    def __init__(self, seed: int, block: int, national: NetworkPool) -> None:
        self.rng = random.Random(f"ctip-demo:{seed}:block:{block}")
        self.local = make_pool(seed, str(block), BLOCK_NETWORKS, False)
        self.national = national
        self.prefix = f"{seed}-{block}-p"
        self.count = 0
        self.past_victims: list[Entity] = []
        self.past_suspects: list[Entity] = []

    def _key(self) -> str:
        self.count += 1
        return f"{self.prefix}{self.count}"

    def _remember(self, pool: list[Entity], entity: Entity, share: float) -> None:
        if self.rng.random() < share:
            if len(pool) < 400:
                pool.append(entity)
            else:
                pool[below(self.rng, 400)] = entity

    def case(self, index: int) -> CasePlan:
        rng = self.rng
        province = weighted(rng, _PROVINCES, _PROVINCE_CUM)
        year = weighted(rng, YEARS, _YEAR_CUM)
        opened = min(
            date(year, 1, 1) + timedelta(days=below(rng, 365)), DEMO_TODAY - timedelta(days=1)
        )
        profile = weighted(rng, PROFILES, _profile_cum(province, year >= 2021))
        exploited, hub = _destination(rng, profile, province)
        case = CasePlan(
            index,
            province,
            opened,
            profile.key,
            "",
            "",
            list(profile.exploitation),
            profile.subtype,
            profile.industry,
            [],
            [],
            [exploited],
            _reporter(rng, profile, province),
            timeline.lifecycle(rng, opened),
        )
        if rng.random() < 0.15 and case.reporting_org != NATIONAL_POLICE:
            case.shared_with.append(NATIONAL_POLICE)
        self._fill(case, profile, hub)
        return case

    def _fill(self, case: CasePlan, profile: Profile, hub: str) -> None:
        rng = self.rng
        intervened = case.opened_on - timedelta(days=between(rng, 0, 5))
        self._victims(case, profile, intervened)
        self._offenders(case, profile, intervened)
        self._others(case)
        _countries(rng, case, profile)
        _events(rng, case, hub, intervened)
        self._referrals(case, intervened)
        _describe(case, profile, hub)

    # -- people -------------------------------------------------------------------------

    def _victim_entity(
        self, profile: Profile, nationality: str, on: date, taken: set[str]
    ) -> Entity:
        rng = self.rng
        if self.past_victims and rng.random() < 0.03:
            entity = pick(rng, self.past_victims)
            if entity.key not in taken:
                return entity
        entity = new_entity(
            rng, self._key(), nationality, rng.random() < profile.female_share, profile.ages, on
        )
        roles.documents(rng, entity, phone_share=0.55 if nationality == "KH" else 0.4)
        self._remember(self.past_victims, entity, 0.08)
        return entity

    def _victims(self, case: CasePlan, profile: Profile, intervened: date) -> None:
        rng = self.rng
        counts, count_cum = _cumulative(profile.victims)
        n = weighted(rng, counts, count_cum)
        nats, nat_cum = _cumulative(profile.victim_nationalities)
        main = weighted(rng, nats, nat_cum)
        taken: set[str] = set()
        for _ in range(n):
            nat = main if rng.random() < 0.7 else weighted(rng, nats, nat_cum)
            entity = self._victim_entity(profile, nat, case.opened_on, taken)
            taken.add(entity.key)
            case.participations.append(roles.victim_role(rng, case, profile, entity, intervened))

    def _suspect_entity(self, profile: Profile, on: date, taken: set[str]) -> tuple[Entity, bool]:
        rng = self.rng
        roll = rng.random()
        source = self.past_victims if roll < 0.02 else self.past_suspects if roll < 0.08 else []
        if source:
            entity = pick(rng, source)
            if entity.key not in taken:
                return entity, source is self.past_victims
        nat = "CN" if profile.key == "scam_in" and rng.random() < 0.5 else "KH"
        entity = new_entity(rng, self._key(), nat, rng.random() < 0.3, (20, 60), on)
        roles.documents(rng, entity, phone_share=0.7)
        roles.extras(rng, entity, profile)
        self._remember(self.past_suspects, entity, 0.1)
        return entity, False

    def _offenders(self, case: CasePlan, profile: Profile, intervened: date) -> None:
        rng = self.rng
        taken = {p.record.entity.key for p in case.participations}
        for _ in range(weighted(rng, (0, 1, 2, 3), _SUSPECT_CUM)):
            entity, was_victim = self._suspect_entity(profile, case.opened_on, taken)
            taken.add(entity.key)
            role = "RecruiterOrIntermediary" if was_victim else pick(rng, profile.roles)
            case.participations.append(roles.suspect_role(rng, case, entity, role, intervened))
        if rng.random() < profile.broker_share:
            for _ in range(1 if rng.random() < 0.8 else 2):
                self._broker(case, taken, intervened)

    def _broker(self, case: CasePlan, taken: set[str], intervened: date) -> None:
        rng = self.rng
        pool = self.national if rng.random() < 0.25 else self.local
        net: Network = pool.pick(rng, case.province, case.profile)
        broker = weighted(rng, net.brokers, net.broker_cum)
        if broker.key in taken:
            return
        taken.add(broker.key)
        alias = f"Bong {broker.given[0]}" if rng.random() < 0.2 else None
        record = render(rng, broker, case.opened_on, alias)
        record.identifiers = broker_identifiers(rng, broker, net)
        custody = weighted(
            rng, ("at_large", "absconded", "in_custody", "on_bail"), (70, 80, 95, 100)
        )
        case.participations.append(
            Participation(
                record,
                "broker",
                role_in_process=pick(rng, ("RecruiterOrIntermediary", "BrokerTravelAgent")),
                custody_status=custody,
                arrested_on=roles.arrest_day(rng, custody, intervened),
                reuse_key=f"{broker.key}@{case.reporting_org}",
            )
        )
        if net.key not in case.networks:
            case.networks.append(net.key)
            case.identifiers += case_identifiers(rng, net)

    def _others(self, case: CasePlan) -> None:
        """A guardian for a child victim, sometimes a reporter or a witness."""
        rng = self.rng
        child = next(
            (
                p
                for p in case.participations
                if p.role == "victim" and roles.age(p, case.opened_on) < 18
            ),
            None,
        )
        if child is not None and rng.random() < 0.4:
            guardian = new_entity(
                rng,
                self._key(),
                child.record.entity.nationality,
                rng.random() < 0.6,
                (30, 60),
                case.opened_on,
            )
            guardian.family = child.record.entity.family
            roles.documents(rng, guardian, phone_share=0.8)
            self._add_plain(case, guardian, "guardian")
        for role, share in (("reporter", 0.1), ("witness", 0.06)):
            if rng.random() < share:
                entity = new_entity(
                    rng, self._key(), "KH", rng.random() < 0.5, (18, 65), case.opened_on
                )
                roles.documents(rng, entity, phone_share=0.9)
                self._add_plain(case, entity, role)

    def _add_plain(self, case: CasePlan, entity: Entity, role: str) -> None:
        record = render(self.rng, entity, case.opened_on)
        record.identifiers = roles.known_ids(self.rng, entity)
        case.participations.append(Participation(record, role))

    def _referrals(self, case: CasePlan, intervened: date) -> None:
        rng = self.rng
        victims = [i for i, p in enumerate(case.participations) if p.role == "victim"]
        for person in victims[:3]:
            if rng.random() >= 0.45:
                continue
            referred = timeline.capped(rng, intervened, 1, 20)
            if referred is None:
                continue
            ref = roles.referral(rng, case, person, referred)
            case.referrals.append(ref)
            case.events.append(
                EventPlan(
                    "referral",
                    referred,
                    case.province,
                    f"Referred to {ref.to_org} for {ref.service} support.",
                    person=person,
                )
            )
        case.events.sort(key=lambda e: e.occurred_on)


# -- helpers (pure, take the block's random stream) -------------------------------------


def _destination(rng: random.Random, profile: Profile, province: str) -> tuple[str, str]:
    """The country of exploitation and the location key where it happened."""
    abroad_hubs = [h for h in profile.hubs if HUBS[h][1] != "KH"]
    if abroad_hubs:
        hub = pick(rng, abroad_hubs)
        return HUBS[hub][1], "hub:" + hub
    country = pick(rng, profile.destination)
    if country != "KH":
        return country, "country:" + country
    local = [h for h in profile.hubs if HUBS[h][2] == province]
    if local:
        return "KH", "hub:" + local[0]
    return "KH", province


def _reporter(rng: random.Random, profile: Profile, province: str) -> str:
    roll = rng.random()
    if roll < 0.12:
        return NATIONAL_POLICE
    if roll < 0.17 and profile.key == "scam_in":
        return IMMIGRATION
    if roll < 0.24:
        return weighted(rng, _NGO_NAMES, _NGO_CUM)
    return police_unit(province_name(province))


def _countries(rng: random.Random, case: CasePlan, profile: Profile) -> None:
    """Origins from the victims' nationalities, a transit country for some cross-border
    journeys, and child labour where a labour case has a child victim."""
    victims = [p for p in case.participations if p.role == "victim"]
    case.origin_countries = sorted({p.record.entity.nationality for p in victims})
    abroad = [c for c in (*case.origin_countries, *case.exploitation_countries) if c != "KH"]
    if abroad and rng.random() < 0.5:
        case.transit_countries = [c for c in profile.transit if c not in abroad][:1]
    if profile.key in _LABOUR and any(roles.age(p, case.opened_on) < 18 for p in victims):
        case.exploitation_types.append("ChildLabour")


def _events(rng: random.Random, case: CasePlan, hub: str, intervened: date) -> None:
    victim = next((p for p in case.participations if p.role == "victim"), None)
    app = victim.recruitment_apps[0] if victim and victim.recruitment_apps else None
    origin = case.origin_countries[0] if case.origin_countries else "KH"
    origin_place = case.province if origin == "KH" else "country:" + origin
    recruited = intervened - timedelta(days=between(rng, 20, 400))
    events = timeline.journey(
        rng, case.profile, recruited, origin, case.exploitation_countries[0], app, origin_place, hub
    )
    events.append(timeline.intervention(rng, intervened, hub))
    screened = timeline.capped(rng, intervened, 0, 5)
    if screened and rng.random() < 0.3:
        events.append(
            EventPlan("screening", screened, case.province, "Screened for trafficking indicators.")
        )
    for i, part in enumerate(case.participations):
        if part.arrested_on:
            events.append(
                EventPlan("arrest", part.arrested_on, case.province, "Suspect arrested.", person=i)
            )
    events += timeline.court_events(rng, case.statuses, case.province)
    home = timeline.capped(rng, intervened, 14, 120)
    if home and origin != case.exploitation_countries[0] and rng.random() < 0.6:
        back = countries("en").get(origin, origin)
        events.append(
            EventPlan("repatriation", home, origin_place, f"Victims repatriated to {back}.")
        )
    events += timeline.status_events(case.statuses)
    case.events = sorted(events, key=lambda e: e.occurred_on)


def _describe(case: CasePlan, profile: Profile, hub: str) -> None:
    victims = [p for p in case.participations if p.role == "victim"]
    foreign = any(p.record.entity.nationality != "KH" for p in victims)
    place = place_label(hub)
    case.title = profile.title.format(
        place=place, n=len(victims), who="foreign nationals" if foreign else "people"
    )
    nats = ", ".join(countries("en").get(c, c) for c in case.origin_countries)
    case.summary = (
        f"{len(victims)} victim(s) from {nats}. Exploitation at {place}; "
        f"reported on {case.opened_on.isoformat()} by {case.reporting_org}."
    )
