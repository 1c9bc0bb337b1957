"""Broker networks: groups of brokers who share phones and Telegram channels.

A network works from one or a few home provinces for a few kinds of case; a handful of
networks are very active (Zipf-like weights), so brokers recur across cases even in a small
demo. Each block of cases has its own networks, and a set of national networks spans blocks
and provinces, so re-use shows at every scale.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate

from ctip.demo.people import (
    Entity,
    IdentPlan,
    between,
    handle_name,
    handle_plan,
    kh_phone,
    new_entity,
    phone_plan,
    pick,
    weighted,
)
from ctip.demo.world import PROFILES, PROVINCE_WEIGHTS

_PROVINCES = tuple(PROVINCE_WEIGHTS)
_PROVINCE_CUM = tuple(accumulate(PROVINCE_WEIGHTS.values()))
_BROKER_PROFILES = tuple(p.key for p in PROFILES if p.broker_share >= 0.4)
_FOREIGN_BROKERS = {"scam_in": ("CN", "VN", "TH", "MY"), "marriage": ("CN",)}
_REFERENCE_DAY = date(2022, 1, 1)


@dataclass(slots=True)
class Network:
    """Brokers working together, their shared identifiers and where and how they work."""

    key: str
    homes: frozenset[str]
    profiles: frozenset[str]
    weight: float
    brokers: list[Entity] = field(default_factory=list)
    broker_cum: list[float] = field(default_factory=list)
    shared_phones: list[tuple[str, str]] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    page: str | None = None


def _broker(rng: random.Random, key: str, network: str, profiles: frozenset[str]) -> Entity:
    nationality = "KH"
    for profile in sorted(profiles):  # sorted: set order changes between processes
        if profile in _FOREIGN_BROKERS and rng.random() < 0.35:
            nationality = pick(rng, _FOREIGN_BROKERS[profile])
    entity = new_entity(rng, key, nationality, rng.random() < 0.4, (22, 55), _REFERENCE_DAY)
    entity.phones = [kh_phone(rng) for _ in range(pick(rng, (1, 1, 2)))]
    entity.handle = handle_name(rng, entity.given[0]) if rng.random() < 0.6 else None
    entity.network = network
    return entity


def make_network(rng: random.Random, key: str, rank: int, national: bool) -> Network:
    """One network; ``rank`` sets its activity (rank 0 is the busiest)."""
    n_homes = between(rng, 2, 4) if national else pick(rng, (1, 1, 1, 2))
    homes = frozenset(rng.choices(_PROVINCES, cum_weights=_PROVINCE_CUM, k=n_homes))
    profiles = frozenset(rng.sample(_BROKER_PROFILES, pick(rng, (1, 1, 2))))
    net = Network(key, homes, profiles, 1.0 / (rank + 1) ** 1.1)
    size = pick(rng, (2, 2, 3, 3, 4, 5, 6))
    net.brokers = [_broker(rng, f"{key}-b{i}", key, profiles) for i in range(size)]
    net.broker_cum = list(accumulate(1.0 / (i + 1) for i in range(size)))
    net.shared_phones = [kh_phone(rng) for _ in range(between(rng, 1, 3))]
    net.channels = [
        handle_name(rng, pick(rng, ("jobs", "work", "thai", "kh")))
        for _ in range(between(rng, 1, 2))
    ]
    net.page = handle_name(rng, "jobcenter") if rng.random() < 0.5 else None
    return net


class NetworkPool:
    """The networks a block of cases draws its brokers from."""

    def __init__(self, networks: list[Network]) -> None:
        self.networks = networks
        self._cum: dict[tuple[str, str], list[float]] = {}

    def _weights(self, province: str, profile: str) -> list[float]:
        key = (province, profile)
        if key not in self._cum:
            self._cum[key] = list(
                accumulate(
                    n.weight
                    * (1.0 if province in n.homes else 0.06)
                    * (1.0 if profile in n.profiles else 0.1)
                    for n in self.networks
                )
            )
        return self._cum[key]

    def pick(self, rng: random.Random, province: str, profile: str) -> Network:
        """A network for a case in ``province`` of kind ``profile``."""
        return weighted(rng, self.networks, self._weights(province, profile))


def network_pool(seed: int, scope: str, count: int, national: bool) -> NetworkPool:
    """``count`` networks for ``scope`` (a block number or ``"national"``), from the seed."""
    rng = random.Random(f"ctip-demo:{seed}:networks:{scope}")
    prefix = f"{seed}-{scope}-n"
    return NetworkPool([make_network(rng, f"{prefix}{i}", i, national) for i in range(count)])


def broker_identifiers(rng: random.Random, broker: Entity, net: Network) -> list[IdentPlan]:
    """What a case file holds about a broker: own phone, often a shared one and a channel."""
    found = [phone_plan(rng, pick(rng, broker.phones))]
    if rng.random() < 0.5:
        found.append(phone_plan(rng, pick(rng, net.shared_phones)))
    if broker.handle and rng.random() < 0.5:
        found.append(handle_plan(rng, broker.handle))
    elif rng.random() < 0.35:
        found.append(handle_plan(rng, pick(rng, net.channels)))
    return found


def case_identifiers(rng: random.Random, net: Network) -> list[IdentPlan]:
    """Identifiers on the case itself: the channel or page that carried the job offer."""
    if net.page and rng.random() < 0.4:
        return [handle_plan(rng, net.page, platform="facebook")]
    if rng.random() < 0.4:
        return [handle_plan(rng, pick(rng, net.channels))]
    return []
