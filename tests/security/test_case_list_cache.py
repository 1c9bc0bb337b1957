"""Outsider test: the case list's statements cached per scope and filters (``per_scope``)
must not keep what a reader typed. The reference filter is free text: baked into a cached
statement it stays in the process (up to 1,024 statements per query, each with a request
line's worth of text) and every distinct text is one more cached statement."""

from __future__ import annotations

import ctip.screening.flags  # noqa: F401  (the list's mark is in the statements too)
from ctip.auth.scope import SYSTEM
from ctip.cases import hooks, service
from ctip.cases.schemas import CaseFilters
from tests.persons.helpers import make_case

TYPED = "kh-1-2023 sokha chea's case"


def _bound_values(statement: object) -> list[object]:
    return list(statement.compile().params.values())  # type: ignore[attr-defined]


def test_the_reference_typed_is_not_kept_in_a_cached_statement() -> None:
    key = service._filter_key(CaseFilters(reference=TYPED))
    statements = [
        service._plain_count(SYSTEM, key),
        *(f(SYSTEM, key, hooks.mark_names()) for f in (service._plain_page, service._plain_after)),
    ]
    for statement in statements:
        values = _bound_values(statement)
        assert not [v for v in values if isinstance(v, str) and "SOKHA" in v.upper()]


def test_the_reference_filter_still_narrows_each_search(db) -> None:  # type: ignore[no-untyped-def]
    make_case(db, province="KH-1", title="Poipet")  # references KH-1-2024-..., KH-18-2024-...
    make_case(db, province="KH-18", title="Sihanoukville")
    db.flush()
    for reference, titles in [
        ("kh-1-2024", ["Poipet"]),
        ("KH-18", ["Sihanoukville"]),
        ("kh-1-2023", []),
        ("%", []),
        ("kh", ["Sihanoukville", "Poipet"]),
    ]:
        rows, total = service.search(db, actor=SYSTEM, filters=CaseFilters(reference=reference))
        assert ([r.title for r in rows], total) == (titles, len(titles)), reference
    filters = CaseFilters(reference="kh")
    first, cursor = service.next_page(db, actor=SYSTEM, filters=filters, page_size=1)
    assert [r.title for r in first] == ["Sihanoukville"] and cursor
    after, _ = service.next_page(db, actor=SYSTEM, filters=filters, after=cursor, page_size=1)
    assert [r.title for r in after] == ["Poipet"]
    after, _ = service.next_page(
        db, actor=SYSTEM, filters=CaseFilters(reference="KH-18"), after=cursor, page_size=1
    )
    assert after == []
