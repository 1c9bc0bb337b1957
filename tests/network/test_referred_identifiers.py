"""An NGO case worker sees the identifiers of the victims referred to their organisation
only, in the network, its exports and the dossier as on the case page (one rule,
``ctip.auth.holders.identifiers_shown``); the secretariat sees every victim's."""

from __future__ import annotations

from sqlalchemy import select

from ctip.auth.scope import OPEN_REFERRAL, SYSTEM
from ctip.cases import participants
from ctip.identifiers import service as identifiers
from ctip.network import dossier, service
from ctip.persons import service as persons
from ctip.persons.schemas import PersonIn
from ctip.referrals.models import Referral

REFERRED_PHONE, OTHER_PHONE = "+85597111222", "+85597333444"


def _setting(demo, caseworker):
    """A case referred to the case worker's organisation, its referred victim with a phone,
    and a second victim of the same case, not referred, with another phone."""
    ref = demo.scalars(
        select(Referral)
        .where(
            Referral.to_org_id == caseworker.organisation_id,
            Referral.status.in_(OPEN_REFERRAL),
            Referral.person_id.is_not(None),
        )
        .order_by(Referral.id)
    ).first()
    assert ref is not None, "the demo refers victims to the case worker's organisation"
    identifiers.add(
        demo, actor=SYSTEM, id_type="phone", value=REFERRED_PHONE, person_id=ref.person_id
    )
    other = persons.create(
        demo,
        actor=SYSTEM,
        data=PersonIn(given_name="Sreyneang", family_name="Ouk", sex="F", nationalities=["KH"]),
    )
    participants.add_participant(
        demo, actor=SYSTEM, case_id=ref.case_id, person_id=other.id, role="victim"
    )
    identifiers.add(demo, actor=SYSTEM, id_type="phone", value=OTHER_PHONE, person_id=other.id)
    demo.flush()
    return ref.case_id, ref.person_id, other.id


def _everything(demo, actor, case_id, victims) -> str:
    """Every text the actor gets about the case and its victims: the network around the
    case, its GraphML and ANX, the whole GEXF, and each victim's dossier (page and PDF)."""
    parts = []
    view = service.neighbourhood(demo, actor=actor, kind="case", record_id=case_id, hops=2)
    parts.append(" ".join(n.label for n in view.nodes))
    for fmt in ("graphml", "anx"):
        parts.append(
            service.export(
                demo, actor=actor, fmt=fmt, around_person=case_id, kind="case", hops=2
            ).decode()
        )
    parts.append(service.export(demo, actor=actor, fmt="gexf").decode())
    for pid in victims:
        data = dossier.build(demo, actor=actor, person_id=pid)
        parts.append(data.model_dump_json())
    return "\n".join(parts)


def test_caseworker_sees_only_the_referred_victims_identifiers(demo, demo_actor):
    caseworker = demo_actor("caseworker")
    case_id, referred, other = _setting(demo, caseworker)
    shown = identifiers.for_person(demo, actor=caseworker, person_id=referred)
    assert REFERRED_PHONE in {i.normalised for i in shown}
    seen = _everything(demo, caseworker, case_id, [referred, other])
    assert REFERRED_PHONE in seen
    assert OTHER_PHONE not in seen
    again = dossier.build(demo, actor=caseworker, person_id=other)
    assert again.identifiers == [] and again.records  # the victim is shown, not her phone


def test_the_secretariat_still_sees_every_victims_identifiers(demo, demo_actor):
    case_id, referred, other = _setting(demo, demo_actor("caseworker"))
    seen = _everything(demo, demo_actor("secretariat"), case_id, [referred, other])
    assert REFERRED_PHONE in seen and OTHER_PHONE in seen
