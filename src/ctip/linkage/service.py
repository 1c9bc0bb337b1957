"""Reading and deciding linkage results, always within the caller's scope.

Other parts code against three functions here:

- ``resolved_person_ids`` — person id → resolved entity (cluster) of the current run;
- ``probable_matches`` — the "probably the same person as" list of one person, scoped;
- ``match_new_person`` — one new or edited person scored against the resolved population
  without retraining (candidates by blind index, only candidates decrypted).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Float, String, Text, cast, delete, null, or_, select, union_all
from sqlalchemy.orm import Session

from ctip.audit.service import record
from ctip.auth.scope import Actor, require_role, visible_persons
from ctip.config import Settings
from ctip.db.base import utcnow
from ctip.errors import NotFound, ValidationFailed
from ctip.linkage.models import DECISIONS, LinkDecision, LinkPair, LinkRun, PersonCluster
from ctip.persons import service as persons
from ctip.persons.models import Person

# Roles that may see linkage results and decide pairs.
LINKAGE_READERS = frozenset({"admin", "secretariat", "investigator", "provincial_officer"})
HIDDEN_HINT = "a possible match exists in a record you cannot see — ask the secretariat"


@dataclass(frozen=True)
class ProbableMatch:
    """One "probably the same person as" entry; hidden ones carry neither id nor evidence."""

    other_person_id: int | None
    probability: float
    evidence: dict[str, Any] = field(default_factory=dict)
    hidden: bool = False
    decision: str | None = None


def require_reader(actor: Actor) -> None:
    require_role(actor, *sorted(LINKAGE_READERS))


def current_run(session: Session) -> LinkRun | None:
    """The run whose results are in force (the last complete one), or ``None``."""
    return session.scalar(
        select(LinkRun)
        .where(LinkRun.is_current.is_(True), LinkRun.status == "complete")
        .order_by(LinkRun.id.desc())
        .limit(1)
    )


def ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def decisions(session: Session) -> dict[tuple[int, int], str]:
    """Every analyst decision, by ordered pair."""
    rows = session.execute(
        select(LinkDecision.person_id_l, LinkDecision.person_id_r, LinkDecision.decision)
    )
    return {(left, right): decision for left, right, decision in rows}


def resolved_person_ids(*, session: Session) -> dict[int, int]:
    """person id → cluster id (smallest person id of the entity) of the current complete run.

    The stored clusters already apply the decisions known at run time; decisions taken since
    are applied here: a confirmed pair joins the two clusters, a rejected pair whose persons
    share a cluster splits the right-hand person off (it keeps its own id as cluster).
    ``{}`` when no run is complete.
    """
    run = current_run(session)
    if run is None:
        return {}
    rows = session.execute(
        select(PersonCluster.person_id, PersonCluster.cluster_id).where(
            PersonCluster.run_id == run.id
        )
    )
    mapping = {int(person_id): int(cluster_id) for person_id, cluster_id in rows}
    late = session.execute(
        select(LinkDecision.person_id_l, LinkDecision.person_id_r, LinkDecision.decision).where(
            LinkDecision.decided_at > (run.finished_at or run.started_at)
        )
    ).all()
    if late:
        mapping = apply_decisions(mapping, [(left, right, d) for left, right, d in late])
    return mapping


def apply_decisions(mapping: dict[int, int], late: list[tuple[int, int, str]]) -> dict[int, int]:
    """Clusters with later decisions applied (confirmed joins, rejected splits off)."""
    mapping = dict(mapping)
    for left, right, decision in late:
        cl, cr = mapping.get(left, left), mapping.get(right, right)
        if decision == "confirmed" and cl != cr:
            target, source = min(cl, cr), max(cl, cr)
            for pid, cid in list(mapping.items()):
                if cid == source:
                    mapping[pid] = target
            mapping[left] = mapping[right] = target
        elif decision == "rejected" and cl == cr:
            members = sorted(pid for pid, cid in mapping.items() if cid == cl and pid != right)
            new_id = min(members) if members else cl
            for pid in members:
                mapping[pid] = new_id
            mapping[right] = right
    return mapping


def _visible_ids(session: Session, actor: Actor, ids: set[int]) -> set[int]:
    if not ids:
        return set()
    if persons.proven_visible(session, actor=actor, person_ids=ids):
        return ids  # the person page has just read them within scope
    return set(session.scalars(select(Person.id).where(Person.id.in_(ids), visible_persons(actor))))


def _pairs_and_decisions(
    session: Session, person_id: int, floor: float
) -> tuple[list[tuple[int, float, str | None]], list[tuple[int, str]]]:
    """The person's pairs in the current run at or above ``floor`` (other person,
    probability, evidence) and every decision about them (other person, decision), read in
    one query."""
    current = (
        select(LinkRun.id)
        .where(LinkRun.is_current.is_(True), LinkRun.status == "complete")
        .order_by(LinkRun.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    pairs = select(
        LinkPair.person_id_l,
        LinkPair.person_id_r,
        LinkPair.match_probability,
        LinkPair.evidence,
        cast(null(), String).label("decision"),
    ).where(
        LinkPair.run_id == current,
        or_(LinkPair.person_id_l == person_id, LinkPair.person_id_r == person_id),
        LinkPair.match_probability >= floor,
    )
    decided = select(
        LinkDecision.person_id_l,
        LinkDecision.person_id_r,
        cast(null(), Float),
        cast(null(), Text),
        LinkDecision.decision,
    ).where(or_(LinkDecision.person_id_l == person_id, LinkDecision.person_id_r == person_id))
    found: list[tuple[int, float, str | None]] = []
    verdicts: list[tuple[int, str]] = []
    for left, right, probability, evidence, decision in session.execute(union_all(pairs, decided)):
        other = right if left == person_id else left
        if decision is None:
            found.append((other, probability, evidence))
        else:
            verdicts.append((other, decision))
    return found, verdicts


def probable_matches(
    *,
    session: Session,
    actor: Actor,
    person_id: int,
    floor: float = 0.5,
    hint_hidden: bool | None = None,
) -> list[ProbableMatch]:
    """Who this person probably is elsewhere, best first, within the actor's scope.

    The person must be visible to the actor (else ``NotFound``). A match whose other record
    the actor may not see comes back ``hidden`` without id or evidence (or not at all when
    the ``linkage_hidden_hint`` setting is off). Rejected pairs are left out; confirmed pairs
    come first with probability 1.
    """
    require_reader(actor)
    if not _visible_ids(session, actor, {person_id}):
        raise NotFound("person not found", id=person_id)
    if hint_hidden is None:
        hint_hidden = Settings().linkage_hidden_hint
    found: dict[int, tuple[float, dict[str, Any]]] = {}
    verdicts: dict[int, str] = {}
    pairs, decisions = _pairs_and_decisions(session, person_id, floor)
    for other, probability, stored in pairs:
        found[other] = (probability, json.loads(stored or "{}"))
    for other, decision in decisions:
        verdicts[other] = decision
        if decision == "confirmed":
            found[other] = (1.0, found.get(other, (1.0, {}))[1])
    visible = _visible_ids(session, actor, set(found))
    out: list[ProbableMatch] = []
    hidden_best: float | None = None
    for other, (probability, evidence) in found.items():
        if verdicts.get(other) == "rejected":
            continue
        if other in visible:
            out.append(ProbableMatch(other, probability, evidence, False, verdicts.get(other)))
        else:
            hidden_best = max(hidden_best or 0.0, probability)
    out.sort(key=lambda m: (-m.probability, m.other_person_id or 0))
    if hidden_best is not None and hint_hidden:
        out.append(ProbableMatch(None, hidden_best, {}, True))
    return out


def match_new_person(*, session: Session, person_id: int) -> list[tuple[int, float]]:
    """Score one new or edited person against the resolved population, without retraining.

    Candidates are found through blind indexes (shared name forms, shared identifiers); only
    candidates are decrypted and scored with the stored model. Unscoped (a system function):
    callers filter the result by the reader's scope. Returns (other person id, probability)
    above the floor, best first.
    """
    from ctip.linkage.incremental import match_one

    return match_one(session, person_id=person_id)


def decide(
    session: Session,
    *,
    actor: Actor,
    person_id_a: int,
    person_id_b: int,
    decision: str,
    note: str | None = None,
) -> LinkDecision:
    """Record an analyst's confirmation or rejection of a pair (replacing an earlier one).

    Both persons must be visible to the actor. The decision overrides the model in every
    later view and run, and is audited.
    """
    require_reader(actor)
    if decision not in DECISIONS:
        raise ValidationFailed.single("decision", "unknown decision %(value)s", value=decision)
    left, right = ordered(person_id_a, person_id_b)
    if left == right:
        raise ValidationFailed.single("person_id", "a person cannot be matched with themself")
    if _visible_ids(session, actor, {left, right}) != {left, right}:
        raise NotFound("person not found", id=person_id_b)
    existing = session.scalar(
        select(LinkDecision).where(
            LinkDecision.person_id_l == left, LinkDecision.person_id_r == right
        )
    )
    before = {"decision": existing.decision, "note": existing.note} if existing else None
    if existing is None:
        existing = LinkDecision(person_id_l=left, person_id_r=right)
        session.add(existing)
    existing.decision = decision
    existing.note = (note or "").strip()[:500] or None
    existing.decided_by_id = actor.id
    existing.decided_at = utcnow()
    existing.model_probability = model_probability(session, left, right)
    session.flush()
    record(
        session,
        actor=actor,
        action="linkage.decide",
        entity_type="person",
        entity_id=left,
        before=before,
        after={"pair": [left, right], "decision": decision, "note": existing.note},
    )
    return existing


def undo_decision(session: Session, *, actor: Actor, person_id_a: int, person_id_b: int) -> None:
    """Withdraw an analyst decision; the model's word counts again."""
    require_reader(actor)
    left, right = ordered(person_id_a, person_id_b)
    if _visible_ids(session, actor, {left, right}) != {left, right}:
        raise NotFound("person not found", id=person_id_b)
    session.execute(
        delete(LinkDecision).where(
            LinkDecision.person_id_l == left, LinkDecision.person_id_r == right
        )
    )
    record(
        session,
        actor=actor,
        action="linkage.decide",
        entity_type="person",
        entity_id=left,
        after={"pair": [left, right], "decision": None},
    )


def model_probability(session: Session, left: int, right: int) -> float | None:
    """The current run's probability for a pair: 0 when it was not scored above the floor,
    ``None`` when no run is complete."""
    run = current_run(session)
    if run is None:
        return None
    found = session.scalar(
        select(LinkPair).where(
            LinkPair.run_id == run.id, LinkPair.person_id_l == left, LinkPair.person_id_r == right
        )
    )
    if found is None:
        return 0.0
    analyst = json.loads(found.evidence or "{}").get("analyst")
    if analyst and len(analyst) > 2 and analyst[2] is not None:
        return float(analyst[2])  # the model's own score, before an earlier decision
    return float(found.match_probability)


@dataclass(frozen=True)
class ReviewItem:
    left: int
    right: int
    probability: float
    evidence: dict[str, Any]


def review_queue(
    session: Session, *, actor: Actor, limit: int = 50, floor: float | None = None
) -> list[ReviewItem]:
    """Undecided pairs of the current run that the actor may see on both sides, the most
    uncertain first (closest to the clustering threshold)."""
    require_reader(actor)
    run = current_run(session)
    if run is None:
        return []
    floor = Settings().linkage_floor if floor is None else floor
    decided = decisions(session)
    rows = session.execute(
        select(LinkPair)
        .where(LinkPair.run_id == run.id, LinkPair.match_probability >= floor)
        .order_by(LinkPair.id)
    ).scalars()
    candidates = [p for p in rows if (p.person_id_l, p.person_id_r) not in decided]
    candidates.sort(key=lambda p: (abs(p.match_probability - run.threshold), p.id))
    out: list[ReviewItem] = []
    for start in range(0, len(candidates), 500):
        chunk = candidates[start : start + 500]
        ids = {p.person_id_l for p in chunk} | {p.person_id_r for p in chunk}
        visible = _visible_ids(session, actor, ids)
        for pair in chunk:
            if pair.person_id_l in visible and pair.person_id_r in visible:
                out.append(
                    ReviewItem(
                        pair.person_id_l,
                        pair.person_id_r,
                        pair.match_probability,
                        json.loads(pair.evidence or "{}"),
                    )
                )
                if len(out) >= limit:
                    return out
    return out


@dataclass(frozen=True)
class Accuracy:
    """The model's verdicts at the threshold against analysts' decisions."""

    decided: int
    confirmed: int
    rejected: int
    true_positive: int
    false_positive: int
    false_negative: int

    @property
    def precision(self) -> float | None:
        called = self.true_positive + self.false_positive
        return self.true_positive / called if called else None

    @property
    def recall(self) -> float | None:
        real = self.true_positive + self.false_negative
        return self.true_positive / real if real else None


def accuracy(session: Session, *, threshold: float | None = None) -> Accuracy:
    """Precision and recall of the model measured on analysts' decisions (pairs the
    analysts chose to review, so not a random sample: read with care)."""
    run = current_run(session)
    cut = threshold if threshold is not None else (run.threshold if run else 0.9)
    rows = session.execute(
        select(LinkDecision.decision, LinkDecision.model_probability).where(
            LinkDecision.model_probability.is_not(None)
        )
    ).all()
    verdicts = [(str(d), float(p or 0.0) >= cut) for d, p in rows]
    tp = sum(1 for d, called in verdicts if d == "confirmed" and called)
    fn = sum(1 for d, called in verdicts if d == "confirmed" and not called)
    fp = sum(1 for d, called in verdicts if d == "rejected" and called)
    confirmed = sum(1 for d, _ in verdicts if d == "confirmed")
    return Accuracy(len(rows), confirmed, len(rows) - confirmed, tp, fp, fn)


@dataclass(frozen=True)
class LevelWeight:
    label: str
    weight: float | None
    m: float | None
    u: float | None


@dataclass(frozen=True)
class ComparisonWeights:
    name: str
    description: str
    levels: list[LevelWeight]


def model_weights(settings_json: str) -> tuple[float | None, list[ComparisonWeights]]:
    """The prior match weight and each comparison level's match weight, for the chart."""
    import math

    model = json.loads(settings_json)
    prior = model.get("probability_two_random_records_match")
    prior_weight = math.log2(prior / (1 - prior)) if prior and 0 < prior < 1 else None
    out: list[ComparisonWeights] = []
    for comp in model.get("comparisons", []):
        levels = []
        for lv in comp.get("comparison_levels", []):
            if lv.get("is_null_level"):
                continue
            m, u = lv.get("m_probability"), lv.get("u_probability")
            weight = math.log2(m / u) if m and u else None
            levels.append(LevelWeight(lv.get("label_for_charts") or "", weight, m, u))
        out.append(
            ComparisonWeights(
                comp.get("output_column_name", ""), comp.get("comparison_description", ""), levels
            )
        )
    return prior_weight, out
