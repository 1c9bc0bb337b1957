"""Which tables of the definitions a differentially private release can hold, and a release
of tables beyond the nine standard ones on a real database (OpenDP's accounting)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from ctip.auth.scope import Actor
from ctip.config import Settings
from ctip.errors import ValidationFailed
from ctip.reference import TRAFFICKING_STATUSES
from ctip.stats import publication_service as pub
from ctip.stats.privacy import DEFAULT_TABLES, VOCABULARIES
from ctip.stats.queries import QUERIES
from tests.stats.publication_data import seed_registry

REFUSED = {
    "durations.intervention_to_charge": "not a count",
    "durations.intervention_to_verdict": "not a count",
    "cases.nationalities_of_women": "one unit can change it by more than one",
    "cases.forced_labour_nationalities_of_women": "one unit can change it by more than one",
    "victims.by_nationality": "its codes are not a fixed list",
}


@pytest.mark.parametrize("key", [q.metric for q in QUERIES])
def test_every_metric_is_either_releasable_or_refused_with_the_reason(key: str) -> None:
    if key in REFUSED:
        with pytest.raises(ValidationFailed) as caught:
            pub.check_dp_tables([key])
        assert caught.value.errors[0].field == "tables"
        assert REFUSED[key] in caught.value.errors[0].template
    else:
        assert pub.check_dp_tables([key]) == (key,)


def test_the_default_is_the_nine_standard_tables_and_unknown_metrics_are_refused() -> None:
    assert pub.check_dp_tables(None) == DEFAULT_TABLES
    with pytest.raises(ValidationFailed) as caught:
        pub.check_dp_tables(["cases.totl"])
    assert caught.value.errors[0].field == "tables"


@pytest.fixture
def cfg(settings: Settings) -> Settings:
    return settings.model_copy(update={"stats_copy_attach": False, "stats_copy_path": ":memory:"})


def test_a_release_of_named_tables_holds_them_on_their_whole_vocabulary(
    db: Session, cfg: Settings, make_actor: Callable[..., Actor]
) -> None:
    seed_registry(db)
    secretariat = make_actor("secretariat")
    keys = ["victims.identified", "victims.by_recruitment_method", "cases.stalled", "victims.total"]
    summary = pub.create_release(
        db, actor=secretariat, settings=cfg, year=2024, method="dp", epsilon=2.0, tables=keys
    )
    detail = pub.get_release(db, actor=secretariat, release_id=summary.id)
    by_key = {t.table.key: t for t in detail.tables}
    assert list(by_key) == keys
    identified = by_key["victims.identified"].table
    assert identified.rows == list(TRAFFICKING_STATUSES)
    assert identified.columns == list(VOCABULARIES["deciding_org_type"])
    assert all(v is not None and v >= 0 for row in identified.cells for v in row)
    assert by_key["victims.by_recruitment_method"].table.rows == list(
        VOCABULARIES["recruitment_method"]
    )
    assert {s for t in detail.tables for row in t.status for s in row} == {"noisy"}
    assert pub.budget(db, settings=cfg, year=2024).spent == pytest.approx(2.0)
