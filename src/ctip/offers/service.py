"""Offer checker services: check (public), report (public tip), save scan hits, review.

The public check stores nothing. It compares the phones and handles in the offer with
identifiers of persons who are suspects or brokers on a case, through blind indexes only,
and tells the visitor no more than "this number has been reported in connection with
trafficking"; each such hit is audited with the blind indexes, never the text.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from ctip.audit.service import record
from ctip.auth.scope import Actor, visible_cases, visible_persons
from ctip.cases.models import Case, CasePerson
from ctip.config import Settings
from ctip.errors import NotFound, PermissionDenied, ValidationFailed
from ctip.identifiers.models import Identifier as RegistryIdentifier
from ctip.identifiers.service import digest_of
from ctip.offers.engine import CheckResult, OfferChecker
from ctip.offers.identifiers import Identifier, extract_identifiers
from ctip.offers.language import detect_language
from ctip.offers.model import OfferModel, load_or_train
from ctip.offers.models import REPORT_STATUSES, OfferIdentifier, OfferReport
from ctip.persons.models import Person
from ctip.reference import OFFENDER_ROLES

# Who may read reported offers (they name suspected recruiters): not NGO case workers or
# read-only viewers.
ANALYST_ROLES = frozenset({"admin", "secretariat", "investigator", "provincial_officer"})
PUBLIC = Actor(id=None, username="public", role="public")
_PURPOSE = {"phone": "phone", "whatsapp": "phone", "email": "email"}
_CHECKERS: dict[tuple[Path, str], OfferChecker] = {}
_MODELS: dict[Path, OfferModel] = {}


def model_dir(settings: Settings) -> Path:
    """Where the fitted model is cached: ``<data_dir>/offers``."""
    return settings.data_dir / "offers"


def use_model(settings: Settings, model: OfferModel) -> None:
    """Serve ``model`` for this data directory (tests and ``ctip offers train``)."""
    _MODELS[model_dir(settings)] = model


_BUILDING = threading.Lock()


def checker_for(settings: Settings) -> OfferChecker:
    """The checker for these settings; the model is trained on first use and cached."""
    folder = model_dir(settings)
    key = (folder, settings.hotline_numbers)
    with _BUILDING:  # the first requests after install would otherwise each train the model
        if key not in _CHECKERS:
            model = _MODELS.get(folder) or load_or_train(cache_dir=folder)
            _MODELS[folder] = model
            hotlines = [h.strip() for h in settings.hotline_numbers.split(",") if h.strip()]
            _CHECKERS[key] = OfferChecker(model, hotlines=hotlines)
    return _CHECKERS[key]


# One short message per script, so that a warm-up loads the language identifier (Latin
# script), the Khmer word segmenter and every compiled pattern set before the first visitor.
_WARM_UP = (
    "Typing job, salary $1500, Telegram @x",
    "ការងារវាយអក្សរ ប្រាក់ខែ ១៥០០ ដុល្លារ",
    "งานแอดมิน เงินเดือน 30,000 บาท",
    "Tuyển gấp, lương 15 triệu",
    "viec nhe luong cao khong can kinh nghiem",
    "急招客服，月薪2万",
    "Bonjour, un travail à Paris",
)


def warm_up(settings: Settings, sessions: Callable[[], Session] | None = None) -> OfferChecker:
    """Load (or train, once) the model and every lazily loaded part before the first
    check, so that the first visitor's check is as fast as the rest; with ``sessions``,
    also run one public check against the database (a read: nothing is stored)."""
    checker = checker_for(settings)
    for text in _WARM_UP:
        checker.check(text)
    if sessions is not None:
        with sessions() as session:
            check(session, checker=checker, text=_WARM_UP[0])
    return checker


def digest_for(ident: Identifier) -> str:
    """The registry blind index of an identifier found in an offer."""
    return digest_of(_PURPOSE.get(ident.kind, "social_handle"), ident.value)


def reported_digests(session: Session, digests: Sequence[str]) -> set[str]:
    """Which of ``digests`` belong to a person who is a suspect or broker on some case."""
    if not digests:
        return set()
    offenders = select(CasePerson.person_id).where(CasePerson.role.in_(sorted(OFFENDER_ROLES)))
    query = select(RegistryIdentifier.digest).where(
        RegistryIdentifier.digest.in_(list(digests)), RegistryIdentifier.person_id.in_(offenders)
    )
    return set(session.scalars(query))


def check(
    session: Session, *, checker: OfferChecker, text: str, lang: str | None = None
) -> CheckResult:
    """Check one offer for the public; an identifier hit is audited, nothing else is kept."""
    # Read local numbers in the offer's own language's country, as the checker does.
    digests = [digest_for(i) for i in extract_identifiers(text, detect_language(text))]
    hits = reported_digests(session, digests)
    result = checker.check(text, lang, is_reported=lambda i: digest_for(i) in hits)
    if hits:
        record(
            session,
            actor=PUBLIC,
            action="offer.identifier_hit",
            entity_type="offer",
            detail=f"{len(hits)} identifier(s) linked to a suspect or broker",
            after={"digests": sorted(hits)},
        )
    return result


def contact_identifiers(contact: str, lang: str) -> list[Identifier]:
    """Identifiers in the optional "phone number or Telegram handle" field."""
    contact = contact.strip()
    if not contact:
        return []
    found = extract_identifiers(contact, lang, contact=True)
    if not found and " " not in contact:
        handle = contact.lstrip("@").lower()
        found = [Identifier("telegram", handle, contact, 0, len(contact))]
    return found


def report(session: Session, *, result: CheckResult, text: str, contact: str = "") -> OfferReport:
    """Keep an offer a member of the public chose to report, as a tip for analysts."""
    if not text.strip():
        raise ValidationFailed.single("text", "paste the offer first")
    idents = [*result.identifiers, *contact_identifiers(contact, result.language)]
    offer = _new_report("public", text, result, idents)
    session.add(offer)
    session.flush()
    record(
        session,
        actor=PUBLIC,
        action="offer.report",
        entity_type="offer",
        entity_id=offer.id,
        detail=f"risk {result.risk}, {len(offer.identifiers)} identifiers",
    )
    return offer


def _new_report(
    source: str,
    text: str,
    result: CheckResult,
    idents: Sequence[Identifier],
    scan_ref: str | None = None,
    actor: Actor | None = None,
) -> OfferReport:
    unique = {(i.kind, i.value): i for i in idents}.values()
    return OfferReport(
        source=source,
        text=text,
        language=result.language,
        risk=result.risk,
        score=result.score,
        flags=[f.code for f in result.flags],
        scan_ref=scan_ref,
        created_by_id=actor.id if actor else None,
        status="new",
        identifiers=[
            OfferIdentifier(kind=i.kind, value=i.value, digest=digest_for(i)) for i in unique
        ],
    )


def save_scan_hits(
    session: Session, *, actor: Actor, hits: Sequence[tuple[str, str, CheckResult]]
) -> int:
    """Keep flagged posts of a bulk scan (``(post id, text, result)``) for review."""
    for ref, text, result in hits:
        session.add(_new_report("scan", text, result, result.identifiers, ref[:200], actor))
    session.flush()
    record(
        session,
        actor=actor,
        action="offer.scan",
        entity_type="offer",
        detail=f"{len(hits)} flagged posts saved",
    )
    return len(hits)


@dataclass
class OfferGroup:
    """Offers connected by shared identifiers (directly or through other offers)."""

    reports: list[OfferReport]
    identifiers: list[tuple[str, str, str]] = field(default_factory=list)  # kind, value, digest
    in_registry: set[str] = field(default_factory=set)  # digests a case also holds


def require_analyst(actor: Actor) -> None:
    if actor.role not in ANALYST_ROLES:
        raise PermissionDenied("reported offers are for analysts")


def groups(
    session: Session, *, actor: Actor, status: str = "new", limit: int = 500
) -> list[OfferGroup]:
    """Reported offers and scan hits, grouped by the identifiers they share (audited)."""
    require_analyst(actor)
    query = select(OfferReport).where(OfferReport.status == status)
    offers = list(session.scalars(query.order_by(OfferReport.id.desc()).limit(limit)))
    found = _group(offers)
    digests = [d for g in found for _, _, d in g.identifiers]
    known = _in_registry(session, actor, digests)
    for g in found:
        g.in_registry = {d for _, _, d in g.identifiers if d in known}
    record(
        session,
        actor=actor,
        action="offer.read",
        entity_type="offer",
        detail=f"{len(offers)} offers in {len(found)} groups ({status})",
    )
    return found


def _group(offers: list[OfferReport]) -> list[OfferGroup]:
    """Connected components of offers linked by a shared identifier digest."""
    parent = {o.id: o.id for o in offers}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for o in offers:
        for ident in o.identifiers:
            other = first.setdefault(ident.digest, o.id)
            parent[root(o.id)] = root(other)
    by_root: dict[int, OfferGroup] = {}
    for o in offers:
        group = by_root.setdefault(root(o.id), OfferGroup([]))
        group.reports.append(o)
        for ident in o.identifiers:
            if ident.digest not in {d for _, _, d in group.identifiers}:
                group.identifiers.append((ident.kind, ident.value, ident.digest))
    return sorted(by_root.values(), key=lambda g: (-len(g.reports), -g.reports[0].id))


def _in_registry(session: Session, actor: Actor, digests: list[str]) -> set[str]:
    """Which of ``digests`` the registry holds on a person or case *in the actor's scope*
    (a holder outside it is never hinted at, so the list is no oracle)."""
    if not digests:
        return set()
    on_person = exists().where(Person.id == RegistryIdentifier.person_id, visible_persons(actor))
    on_case = exists().where(Case.id == RegistryIdentifier.case_id, visible_cases(actor))
    query = select(RegistryIdentifier.digest).where(
        RegistryIdentifier.digest.in_(digests), or_(on_person, on_case)
    )
    return set(session.scalars(query))


def set_status(session: Session, *, actor: Actor, report_id: int, status: str) -> OfferReport:
    """Mark a reported offer reviewed or dismissed (audited)."""
    require_analyst(actor)
    if status not in REPORT_STATUSES:
        raise ValidationFailed.single("status", "unknown status %(value)s", value=status)
    offer = session.get(OfferReport, report_id)
    if offer is None:
        raise NotFound("no such offer")
    before = offer.status
    offer.status = status
    record(
        session,
        actor=actor,
        action="offer.review",
        entity_type="offer",
        entity_id=offer.id,
        before={"status": before},
        after={"status": status},
    )
    return offer
