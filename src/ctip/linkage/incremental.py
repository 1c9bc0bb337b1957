"""Incremental matching of one person against the resolved population (no retraining).

Called when a person is recorded or changed (in the request: it takes milliseconds):

1. **Candidates by blind index**: persons sharing with this one a name form (full name in
   either order, the order-free phonetic key of the name, the Khmer-script name) or an
   identifier digest. No name is decrypted to find them.
2. Only this person and the candidates are decrypted (through the persons extract).
3. **Term frequencies from the blind indexes**: how common a given or family name is, is the
   number of persons sharing its digest, divided by the population: exact, and no name
   leaves the database to compute it.
4. The candidates are scored with the current run's stored model (Splink ``score_pairs``),
   in a private in-memory DuckDB kept per model version.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import pyarrow as pa
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ctip.auth.scope import SYSTEM
from ctip.identifiers.models import Identifier
from ctip.linkage.features import ARRAY_COLUMNS, COLUMNS, registry_frame
from ctip.linkage.models import LinkModel, LinkRun
from ctip.persons.extract import persons_table
from ctip.persons.models import PersonNameKey

CANDIDATE_KINDS = ("full", "phon", "km")
MAX_CANDIDATES = 2000
# tf column → the name-key kind whose digest counts give it.
TF_KINDS = {
    "tf_first": "given",
    "tf_last": "family",
    "tf_first_key": "gkey",
    "tf_last_key": "fkey",
    "tf_km": "km",
}
DEFAULT_FLOOR = 0.5

_lock = threading.Lock()
_scorers: dict[str, Any] = {}


def candidate_ids(session: Session, *, person_id: int) -> list[int]:
    """Persons sharing a name form or an identifier with ``person_id`` (blind indexes)."""
    names = select(PersonNameKey.digest).where(
        PersonNameKey.person_id == person_id, PersonNameKey.kind.in_(CANDIDATE_KINDS)
    )
    idents = select(Identifier.digest).where(
        Identifier.person_id == person_id, Identifier.valid.is_(True)
    )
    by_name = select(PersonNameKey.person_id).where(
        PersonNameKey.digest.in_(names), PersonNameKey.person_id != person_id
    )
    by_ident = select(Identifier.person_id).where(
        Identifier.digest.in_(idents),
        Identifier.person_id.is_not(None),
        Identifier.person_id != person_id,
    )
    found = set(session.scalars(by_ident.distinct().limit(MAX_CANDIDATES)))
    found |= set(session.scalars(by_name.distinct().limit(MAX_CANDIDATES)))
    return sorted(int(i) for i in found if i is not None)[-MAX_CANDIDATES:]


def _current(session: Session) -> tuple[LinkRun, LinkModel] | None:
    run = session.scalar(
        select(LinkRun)
        .where(LinkRun.is_current.is_(True), LinkRun.status == "complete")
        .order_by(LinkRun.id.desc())
        .limit(1)
    )
    if run is None or not run.model_version:
        return None
    model = session.scalar(select(LinkModel).where(LinkModel.version == run.model_version))
    return None if model is None else (run, model)


def _term_frequencies(
    session: Session, person_ids: list[int], population: int
) -> dict[int, dict[str, float]]:
    rows = session.execute(
        select(PersonNameKey.person_id, PersonNameKey.kind, PersonNameKey.digest).where(
            PersonNameKey.person_id.in_(person_ids),
            PersonNameKey.kind.in_(list(TF_KINDS.values())),
        )
    ).all()
    digests = {d for _, _, d in rows}
    counts = dict(
        session.execute(
            select(PersonNameKey.digest, func.count())
            .where(PersonNameKey.digest.in_(digests))
            .group_by(PersonNameKey.digest)
        ).all()
    )
    by_kind = {kind: col for col, kind in TF_KINDS.items()}
    out: dict[int, dict[str, float]] = {}
    n = max(population, 1)
    for pid, kind, digest in rows:
        out.setdefault(int(pid), {})[by_kind[kind]] = min(1.0, counts.get(digest, 1) / n)
    return out


def _arrow(df: Any, tfs: dict[int, dict[str, float]], tf_columns: list[str]) -> pa.Table:
    fields = []
    for name in COLUMNS:
        if name in ARRAY_COLUMNS:
            fields.append((name, pa.list_(pa.string())))
        elif name in ("unique_id", "birth_year", "block_year4a", "block_year4b"):
            fields.append((name, pa.int64()))
        elif name == "has_latin":
            fields.append((name, pa.bool_()))
        else:
            fields.append((name, pa.string()))
    data: dict[str, list[Any]] = {}
    for name, _ in fields:
        data[name] = [None if _missing(v) else v for v in df[name].tolist()]
    for col in tf_columns:
        fields.append((col, pa.float64()))
        data[col] = [tfs.get(int(uid), {}).get(col) for uid in df["unique_id"].tolist()]
    return pa.table(data, schema=pa.schema(fields))


def _missing(value: Any) -> bool:
    if isinstance(value, list):
        return False
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


class _Scorer:
    """A private in-memory DuckDB with one model loaded, and Splink's scoring SQL for it.

    Splink writes the SQL that scores a left table against a right one (``score_pairs``);
    generating it costs more than running it, so it is generated once per model, for two
    fixed input views, and run on each call with the new records in those views."""

    LEFT, RIGHT = "ctip_score_left", "ctip_score_right"

    def __init__(self, model: dict[str, Any], sample: pa.Table) -> None:
        import duckdb
        from splink import DuckDBAPI, Linker

        self.con = duckdb.connect(":memory:")
        self.con.execute("SET enable_progress_bar = false")
        captured: list[str] = []

        class Capturing(DuckDBAPI):
            def sql_pipeline_to_splink_dataframe(self, pipeline: Any) -> Any:
                if pipeline.output_table_name != "__splink__df_predict":
                    return super().sql_pipeline_to_splink_dataframe(pipeline)
                captured.append(pipeline.generate_cte_pipeline_sql())
                return None

        self.db_api = Capturing(connection=self.con)
        self.tf_columns = sorted(
            {
                f"tf_{lv['tf_adjustment_column']}"
                for comp in model.get("comparisons", [])
                for lv in comp.get("comparison_levels", [])
                if lv.get("tf_adjustment_column")
            }
        )
        self.con.register(self.LEFT, sample)
        self.con.register(self.RIGHT, sample)
        linker = Linker(self.db_api.register(sample), model, log_level=None)
        left = self.db_api.table_to_splink_dataframe(self.LEFT, self.LEFT)
        right = self.db_api.table_to_splink_dataframe(self.RIGHT, self.RIGHT)
        linker.inference.score_pairs(left, right)
        self.sql = captured[-1]

    def score(self, left: pa.Table, right: pa.Table) -> Any:
        self.con.register(self.LEFT, left)
        self.con.register(self.RIGHT, right)
        return self.con.execute(self.sql).fetch_df()


def _tf_columns(model: dict[str, Any]) -> list[str]:
    return sorted(
        {
            f"tf_{lv['tf_adjustment_column']}"
            for comp in model.get("comparisons", [])
            for lv in comp.get("comparison_levels", [])
            if lv.get("tf_adjustment_column")
        }
    )


def match_one(
    session: Session, *, person_id: int, floor: float = DEFAULT_FLOOR
) -> list[tuple[int, float]]:
    """(other person id, probability ≥ ``floor``) of the candidates, best first."""
    found = _current(session)
    if found is None:
        return []
    run, stored = found
    candidates = candidate_ids(session, person_id=person_id)
    if not candidates:
        return []
    table = persons_table(
        session,
        actor=SYSTEM,
        purpose="incremental match",
        person_ids=[person_id, *candidates],
        audit=False,
    )
    df = registry_frame(table)
    if person_id not in set(df["unique_id"].tolist()):
        return []
    model = json.loads(stored.settings)
    tfs = _term_frequencies(session, [person_id, *candidates], run.n_records)
    with _lock:
        scorer = _scorers.get(stored.version)
        if scorer is None:
            scorer = _Scorer(model, _arrow(df.iloc[:1], tfs, _tf_columns(model)))
            _scorers.clear()
            _scorers[stored.version] = scorer
        new = df[df["unique_id"] == person_id]
        others = df[df["unique_id"] != person_id]
        scored = scorer.score(
            _arrow(new, tfs, scorer.tf_columns), _arrow(others, tfs, scorer.tf_columns)
        )
    out = [
        (int(r), float(p))
        for r, p in zip(scored["unique_id_r"], scored["match_probability"], strict=True)
        if float(p) >= floor
    ]
    return sorted(out, key=lambda item: (-item[1], item[0]))
