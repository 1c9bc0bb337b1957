"""The built network is reused while the registry is unchanged, rebuilt after any change,
never shared between scopes, and never holds a decrypted name."""

from __future__ import annotations

from datetime import date

from ctip.cases import participants
from ctip.cases import service as cases
from ctip.cases.schemas import CaseIn
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
