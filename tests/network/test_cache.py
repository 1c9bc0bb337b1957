"""The built network is reused while the registry is unchanged, rebuilt after any change,
never shared between scopes, and never holds a decrypted name."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ctip.auth.scope import visible_cases
from ctip.cases import participants, timeline
from ctip.cases import service as cases
from ctip.cases.models import Case
from ctip.cases.schemas import CaseIn, EventIn
from ctip.identifiers import service as digests
from ctip.identifiers.models import Identifier
from ctip.identifiers.normalize import index_form
from ctip.network import service
from ctip.persons import service as persons
from ctip.persons.schemas import PersonIn


def test_reused_until_something_changes(demo, demo_actor, busy_broker):
    officer = demo_actor("officer-pp")
    first = service.scoped_network(demo, actor=officer)
    assert service.scoped_network(demo, actor=officer) is first
    case = cases.create(
        demo,
        actor=officer,
        data=CaseIn(
            title="Begging ring",
            province="KH-12",
            opened_on=date(2025, 6, 1),
            exploitation_types=["ForcedBegging"],
        ),
    )
    person = persons.create(
        demo, actor=officer, data=PersonIn(given_name="Vanna", sex="M", nationalities=["KH"])
    )
    participants.add_participant(
        demo, actor=officer, case_id=case.id, person_id=person.id, role="suspect"
    )
    demo.flush()
    second = service.scoped_network(demo, actor=officer)
    assert second is not first
    assert second.find("person", person.id) is not None
    assert first.find("person", person.id) is None


def test_scopes_never_share_a_network(demo, demo_actor):
    national = service.scoped_network(demo, actor=demo_actor("secretariat"))
    local = service.scoped_network(demo, actor=demo_actor("officer-bmc"))
    ngo = service.scoped_network(demo, actor=demo_actor("caseworker"))
    assert len({id(national), id(local), id(ngo)}) == 3
    assert len(local.nodes) < len(national.nodes) and len(ngo.nodes) < len(national.nodes)


def test_kept_network_holds_no_decrypted_name(demo, demo_actor, busy_broker):
    investigator = demo_actor("investigator")
    view = service.neighbourhood(
        demo, actor=investigator, kind="person", record_id=busy_broker, hops=2
    )
    assert any(n.kind == "person" and n.label not in ("", "—") for n in view.nodes)
    service.networks(demo, actor=investigator)
    service.export(demo, actor=investigator, fmt="graphml")
    kept = service.scoped_network(demo, actor=investigator)
    assert all(n.label == "" for n in kept.nodes.values() if n.kind in ("person", "identifier"))


def _shared_identifier(demo, actor) -> tuple[Identifier, Identifier]:
    """Two identifiers of one value held by two persons the actor sees."""
    net = service.scoped_network(demo, actor=actor)
    for node in net.nodes.values():
        if node.kind == "identifier" and len(node.members) >= 2:
            first, second = sorted(node.members)[:2]
            return demo.get_one(Identifier, first), demo.get_one(Identifier, second)
    raise AssertionError("the demo's brokers share phones")


def test_an_edited_identifier_value_is_seen_at_once(demo, demo_actor):
    investigator = demo_actor("investigator")
    first, second = _shared_identifier(demo, investigator)
    before = service.scoped_network(demo, actor=investigator)
    assert before.find("identifier", second.id) == before.find("identifier", first.id)
    # A correction of the value in place: same row, same count, same newest id.
    purpose, form, result = index_form("phone", "+85599000111")
    second.id_type, second.raw, second.normalised = "phone", "099 000 111", result.value
    second.digest = digests.digest_of(purpose, form)
    demo.flush()
    after = service.scoped_network(demo, actor=investigator)
    assert after is not before
    assert after.find("identifier", second.id) != after.find("identifier", first.id)


def test_a_new_event_is_seen_at_once(demo, demo_actor):
    investigator = demo_actor("investigator")
    case_id = demo.scalar(
        select(Case.id).where(visible_cases(investigator)).order_by(Case.id).limit(1)
    )
    before = service.scoped_network(demo, actor=investigator)
    event = timeline.add_event(
        demo,
        actor=investigator,
        case_id=case_id,
        data=EventIn(
            event_type="border_crossing", occurred_on=date(2024, 3, 2), border_crossing="bavet"
        ),
    )
    demo.flush()
    after = service.scoped_network(demo, actor=investigator)
    assert after is not before
    crossed = [lk for lk in after.links if lk.type == "crossed_at" and lk.event_id == event.id]
    assert crossed and all(lk.case_id == case_id for lk in crossed)
