"""Lifecycle progress and timeline events of a demo case, with realistic delays.

Many cases stall: investigations that never lead to a charge, trials that drag on, suspects
who abscond. Nothing happens after ``DEMO_TODAY``, so recent cases are still early on.
Locations are keys the loader resolves: a province code, ``country:XX``, ``crossing:<code>``
or ``hub:<key>``.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from ctip.demo.people import between, pick, weighted
from ctip.demo.plans import EventPlan
from ctip.demo.world import DEMO_TODAY

# (status, probability of reaching it from the previous one, min days, max days)
_STEPS = (
    ("under_investigation", 0.93, 0, 21),
    ("charged", 0.55, 20, 300),
    ("at_trial", 0.8, 30, 240),
    ("verdict", 0.75, 60, 500),
    ("closed", 0.7, 15, 200),
)
_VERDICTS = ("convicted", "acquitted", "dismissed")
_VERDICT_CUM = (72, 82, 100)  # convicted 72 %, acquitted 10 %, dismissed 18 %
_CROSSINGS = {
    "TH": (("poipet", 6), ("osmach", 2), ("cham_yeam", 2)),
    "VN": (("bavet", 3), ("prek_chak", 1)),
    "LA": (("trapeang_kriel", 1),),
    "MM": (("poipet", 1),),
}
_JOBS = {
    "scam_in": "well-paid customer-service work",
    "scam_out": "an office job abroad",
    "fishing": "work on a fishing boat",
    "construction": "construction work",
    "brick_kiln": "a loan repaid by work at a brick kiln",
    "agriculture": "farm work",
    "domestic": "a housekeeping job",
    "sexual": "a job as a waitress",
    "marriage": "marriage to a wealthy husband",
    "surrogacy": "paid surrogacy",
    "begging": "a job selling flowers",
}
_INTERVENTIONS = (
    "Police raid freed the victims",
    "Victim escaped and called the 1288 hotline",
    "Family reported the victim missing",
    "Embassy request led to a rescue",
    "NGO outreach team identified the victims",
)


def _later(rng: random.Random, day: date, low: int, high: int) -> date:
    return day + timedelta(days=between(rng, low, high))


def _step(
    rng: random.Random, history: list[tuple[str, date]], status: str, low: int, high: int
) -> bool:
    """Append ``status`` ``low``..``high`` days after the last one, unless that is too late."""
    day = _later(rng, history[-1][1], low, high)
    if day > DEMO_TODAY:
        return False
    history.append((status, day))
    return True


def lifecycle(rng: random.Random, opened: date) -> list[tuple[str, date]]:
    """The case's status history: ``reported`` on opening, then as far as it got.

    Some cases are referred to another agency (half come back), some investigations are
    dropped, some charges dismissed before trial; many simply stall.
    """
    history = [("reported", opened)]
    referred = rng.random() < 0.06
    if referred and (not _step(rng, history, "referred", 3, 40) or rng.random() < 0.5):
        return history
    for status, chance, low, high in _STEPS:
        if rng.random() >= chance:
            if status == "charged" and rng.random() < 0.25:
                _step(rng, history, "closed", 180, 600)
            break
        if status == "at_trial" and rng.random() < 0.08:
            status = "dismissed"
        elif status == "verdict":
            status = weighted(rng, _VERDICTS, _VERDICT_CUM)
        if not _step(rng, history, status, low, high):
            break
        if status == "dismissed" and history[-2][0] == "charged":
            _step(rng, history, "closed", 15, 200)
            break
    return history


def status_events(history: list[tuple[str, date]]) -> list[EventPlan]:
    """One ``status_change`` event per transition, the first from nothing to ``reported``."""
    events = []
    previous: str | None = None
    for status, day in history:
        events.append(EventPlan("status_change", day, from_status=previous, to_status=status))
        previous = status
    return events


def crossing(rng: random.Random, country: str) -> str:
    """The location key where a journey to or from ``country`` crosses Cambodia's border."""
    options = _CROSSINGS.get(country)
    if not options:
        return "hub:pp_airport"
    codes, weights = zip(*options, strict=True)
    return "crossing:" + rng.choices(codes, weights)[0]


def journey(
    rng: random.Random,
    profile: str,
    recruited_on: date,
    origin: str,
    exploited_in: str,
    app: str | None,
    origin_place: str,
    exploitation_place: str,
) -> list[EventPlan]:
    """Recruitment, border crossing when the journey leaves or enters Cambodia, exploitation."""
    how = f" through {app}" if app else ""
    events = [
        EventPlan(
            "recruitment",
            recruited_on,
            origin_place,
            f"Recruited with a promise of {_JOBS[profile]}{how}.",
        )
    ]
    day = _later(rng, recruited_on, 1, 20)
    if origin != exploited_in:
        abroad = exploited_in if origin == "KH" else origin
        events.append(
            EventPlan(
                "border_crossing",
                day,
                crossing(rng, abroad),
                "Crossed the border, often on a tourist visa.",
            )
        )
        day = _later(rng, day, 1, 10)
    events.append(
        EventPlan(
            "exploitation",
            day,
            exploitation_place,
            "Held and exploited; movement and documents controlled.",
        )
    )
    return events


def intervention(rng: random.Random, day: date, place: str) -> EventPlan:
    return EventPlan("intervention", day, place, pick(rng, _INTERVENTIONS) + ".")


def court_events(
    rng: random.Random, history: list[tuple[str, date]], court_place: str
) -> list[EventPlan]:
    """Charge, hearings, verdict and sometimes an appeal, on the status dates."""
    events = []
    ends = [day for _, day in history[1:]] + [DEMO_TODAY]
    for (status, day), until in zip(history, ends, strict=True):
        if status == "charged":
            events.append(
                EventPlan(
                    "charge",
                    day,
                    court_place,
                    "Charged under the 2008 law on "
                    "suppression of human trafficking and sexual exploitation.",
                )
            )
        elif status == "at_trial":
            events += _hearings(rng, day, until, court_place)
        elif status in _VERDICTS:
            events.append(EventPlan("verdict", day, court_place, f"Verdict: {status}."))
            appeal = _later(rng, day, 10, 60)
            if status == "convicted" and rng.random() < 0.12 and appeal <= DEMO_TODAY:
                events.append(EventPlan("appeal", appeal, court_place, "Appeal lodged."))
    return events


def _hearings(rng: random.Random, first: date, until: date, court_place: str) -> list[EventPlan]:
    events = [EventPlan("hearing", first, court_place, "Trial hearing.")]
    day = first
    for _ in range(pick(rng, (0, 0, 1, 2))):
        day = _later(rng, day, 20, 90)
        if day >= until:
            break
        events.append(EventPlan("hearing", day, court_place, "Trial hearing adjourned."))
    return events


def capped(rng: random.Random, day: date, low: int, high: int) -> date | None:
    """A day ``low``..``high`` days after ``day``, or None when it would be after the demo."""
    later = _later(rng, day, low, high)
    return later if later <= DEMO_TODAY else None
