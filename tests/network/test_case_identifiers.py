"""Identifiers recorded on a case itself (the recruiter's number or page) are the offender
side: an NGO case worker's network of a case referred to them leaves them out, an
investigator's keeps them."""

from __future__ import annotations

from sqlalchemy import select

from ctip.auth.scope import visible_cases
from ctip.cases.models import Case
from ctip.identifiers import service as identifiers
from ctip.network import service

VALUE = "recruiter.scope-check@example.org"


def _shared_case(demo, caseworker, investigator) -> int:
    case_id = demo.scalar(
        select(Case.id)
        .where(visible_cases(caseworker), visible_cases(investigator))
        .order_by(Case.id)
        .limit(1)
    )
    assert case_id is not None, "the demo refers cases the investigator also sees"
    return int(case_id)


def test_case_level_identifiers_only_for_those_who_see_the_offender_side(demo, demo_actor):
    caseworker, investigator = demo_actor("caseworker"), demo_actor("investigator")
    case_id = _shared_case(demo, caseworker, investigator)
    ident = identifiers.add(demo, actor=investigator, id_type="email", value=VALUE, case_id=case_id)
    demo.flush()
    key = f"identifier:{ident.id}"

    def shown(actor) -> tuple[set[str], set[str], bytes]:
        out = service.neighbourhood(demo, actor=actor, kind="case", record_id=case_id, hops=1)
        graphml = service.export(
            demo, actor=actor, fmt="graphml", around_person=case_id, kind="case", hops=1
        )
        return {n.key for n in out.nodes}, {n.label for n in out.nodes}, graphml

    keys, labels, graphml = shown(investigator)
    assert key in keys and VALUE in labels and VALUE.encode() in graphml

    keys, labels, graphml = shown(caseworker)
    assert f"case:{case_id}" in keys
    assert key not in keys and VALUE not in labels
    assert VALUE.encode() not in graphml and key.encode() not in graphml
