"""The SQL of every table, for DuckDB over the analytic copy (pure: strings, no connection).

The engine defines ``sc`` — the cases in the reader's scope (and province, when the report is
for one) — and small temporary tables every query reads instead of joining the copy again:
``PREPARE_SCOPE`` once (``ps`` the suspects in scope, ``steps`` each case's first intervention,
charge, trial and verdict), ``PREPARE_PERIOD`` per period ``$start``..``$end`` (``pc`` the
period's cases, ``pv`` their victims with age and resolved person). Both read the copy's
derived tables (``case_timeline``, ``victim_rows``: ``ctip.stats.analytic.DERIVED``) rather
than the events and the participants joined to persons. Each query returns rows
``(row_code, column_code, figure)``; a scalar's ``value_sql`` is one figure. The engine runs all
scalars as one statement, all breakdowns as one ``UNION ALL`` and all distinct totals as one.
``total_sql`` gives the distinct-unit total of a multi-select table (smaller than the sum of its
cells).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Shape = Literal["scalar", "rows", "pairs", "duration"]

PCASES = "pc"
VICTIMS = "pv"
SUSPECTS = "ps"
WHO = "coalesce('c' || pc.cluster_id, 'p' || {person})"
PREPARE_PERIOD: tuple[str, ...] = (
    "CREATE OR REPLACE TEMP TABLE pc AS SELECT * FROM sc WHERE opened_on BETWEEN $start AND $end",
    """CREATE OR REPLACE TEMP TABLE pv AS
  SELECT c.id AS case_id, c.province, c.exploitation_types, v.person_id,
    coalesce('c' || pc.cluster_id, 'p' || v.person_id) AS who,
    v.gender, v.nationalities, v.trafficking_status, v.status_decided_by,
    v.methods_of_control, v.recruitment_method, v.recruitment_apps, v.age
  FROM pc c
  JOIN victim_rows v ON v.case_id = c.id
  LEFT JOIN person_clusters pc ON pc.person_id = v.person_id""",
)
PREPARE_SCOPE: tuple[str, ...] = (
    """CREATE OR REPLACE TEMP TABLE ps AS
  SELECT cp.case_id, cp.person_id, cp.custody_status, cp.arrested_on,
    coalesce('c' || pc.cluster_id, 'p' || cp.person_id) AS who
  FROM case_persons cp JOIN sc ON sc.id = cp.case_id
  LEFT JOIN person_clusters pc ON pc.person_id = cp.person_id
  WHERE cp.role IN ('suspect', 'broker')""",
    """CREATE OR REPLACE TEMP TABLE steps AS
  SELECT sc.id AS case_id, sc.province, sc.exploitation_types,
    coalesce(t.intervention_on, sc.opened_on) AS started_on, t.charged_on, t.trial_on,
    t.convicted_on, t.acquitted_on, t.verdict_on
  FROM sc LEFT JOIN case_timeline t ON t.case_id = sc.id""",
)
WOMEN = f"(SELECT * FROM {VICTIMS} WHERE gender = 'Feminine' AND (age IS NULL OR age >= 18))"
FORCED = "list_contains(exploitation_types, 'ForcedLabour')"
AGE_BAND = """CASE
  WHEN age IS NULL THEN NULL WHEN age <= 8 THEN '0-8' WHEN age <= 17 THEN '9-17'
  WHEN age <= 20 THEN '18-20' WHEN age <= 23 THEN '21-23' WHEN age <= 26 THEN '24-26'
  WHEN age <= 29 THEN '27-29' WHEN age <= 38 THEN '30-38' WHEN age <= 47 THEN '39-47'
  ELSE '48+' END"""
AGE_BANDS = ("0-8", "9-17", "18-20", "21-23", "24-26", "27-29", "30-38", "39-47", "48+")


@dataclass(frozen=True)
class Query:
    """A table's SQL: ``sql`` yields ``(row, column, figure)``; ``total_sql`` one figure."""

    metric: str
    shape: Shape
    sql: str
    total_sql: str | None = None
    row_dim: str | None = None
    col_dim: str | None = None
    value_sql: str | None = None  # scalars: the figure alone


def _scalar(metric: str, sql: str) -> Query:
    return Query(metric, "scalar", f"SELECT 'total', 'total', ({sql})", value_sql=sql)


def _rows(metric: str, dim: str, sql: str, total: str | None = None) -> Query:
    """``sql`` yields ``(code, figure)``; the row dimension is ``dim``."""
    return Query(
        metric, "rows", f"SELECT k, 'total', n FROM ({sql}) t(k, n) WHERE k IS NOT NULL", total, dim
    )


def _each_victim(column: str) -> str:
    """Distinct victims per value of the list ``column`` (each value counts)."""
    return (
        f"SELECT v, count(DISTINCT who) FROM (SELECT unnest({column}) v, who FROM {VICTIMS}) "
        "GROUP BY 1"
    )


def _step_suspects(column: str) -> str:
    """Distinct suspects on cases whose first step ``column`` (of ``steps``) is in the period."""
    return (
        f"SELECT count(DISTINCT s.who) FROM {SUSPECTS} s JOIN steps t ON t.case_id = s.case_id "
        f"WHERE t.{column} BETWEEN $start AND $end"
    )


def _duration(metric: str, column: str) -> Query:
    base = (
        f"SELECT province, exploitation_types, date_diff('day', started_on, {column}) AS days "
        f"FROM steps WHERE {column} BETWEEN $start AND $end"
    )
    stats = "count(*), quantile_cont(days, 0.5), quantile_cont(days, 0.9)"
    sql = f"""
      SELECT 'all' AS k, {stats} FROM ({base}) d
      UNION ALL SELECT 'province:' || province, {stats} FROM ({base}) d GROUP BY province
      UNION ALL SELECT 'type:' || t, {stats}
        FROM (SELECT unnest(exploitation_types) AS t, days FROM ({base}) b) d GROUP BY t"""
    return Query(metric, "duration", sql)


def _stalled() -> str:
    """Cases open at the end of the period with no event for ``$stalled_days`` days: a case
    whose latest event is on or before ``$asof`` reads its status and last day from
    ``case_timeline``; only the others are counted again from their events up to ``$asof``."""
    return """
      SELECT count(*) FROM (
        SELECT t.last_status AS status, t.last_on
        FROM sc JOIN case_timeline t ON t.case_id = sc.id
        WHERE sc.opened_on <= $asof AND t.last_on <= $asof
        UNION ALL
        SELECT arg_max(e.to_status, e.id) FILTER (WHERE e.event_type = 'status_change'),
          max(e.occurred_on)
        FROM sc JOIN case_timeline t ON t.case_id = sc.id AND t.last_on > $asof
        JOIN case_events e ON e.case_id = sc.id AND e.occurred_on <= $asof
        WHERE sc.opened_on <= $asof GROUP BY sc.id) AS latest(status, last_on)
      WHERE coalesce(status, 'reported') NOT IN ('convicted', 'acquitted', 'dismissed', 'closed')
        AND date_diff('day', last_on, $asof) > $stalled_days"""


QUERIES: tuple[Query, ...] = (
    _scalar("cases.total", f"SELECT count(*) FROM {PCASES}"),
    _rows(
        "cases.by_exploitation_type",
        "exploitation_type",
        f"SELECT t, count(*) FROM (SELECT unnest(exploitation_types) t FROM {PCASES}) GROUP BY t",
        f"SELECT count(*) FROM {PCASES} WHERE len(exploitation_types) > 0",
    ),
    _scalar("cases.forced_labour", f"SELECT count(*) FROM {PCASES} WHERE {FORCED}"),
    _scalar(
        "cases.online_scam",
        f"SELECT count(*) FROM {PCASES} WHERE {FORCED} "
        "AND forced_labour_subtype = 'ForcedCriminalityOnlineScam'",
    ),
    _rows(
        "cases.by_subtype",
        "forced_labour_subtype",
        f"SELECT forced_labour_subtype, count(*) FROM {PCASES} WHERE {FORCED} GROUP BY 1",
    ),
    _rows(
        "cases.by_industry",
        "industry",
        f"SELECT industry, count(*) FROM {PCASES} WHERE {FORCED} GROUP BY 1",
    ),
    _rows("cases.by_province", "province", f"SELECT province, count(*) FROM {PCASES} GROUP BY 1"),
    _rows(
        "cases.by_border_crossing",
        "border_crossing",
        f"""SELECT l.border_crossing, count(DISTINCT e.case_id)
            FROM case_events e JOIN {PCASES} c ON c.id = e.case_id
            JOIN locations l ON l.id = e.location_id GROUP BY 1""",
        f"""SELECT count(DISTINCT e.case_id) FROM case_events e JOIN {PCASES} c ON c.id = e.case_id
            JOIN locations l ON l.id = e.location_id WHERE l.border_crossing IS NOT NULL""",
    ),
    _scalar("cases.involving_women", f"SELECT count(DISTINCT case_id) FROM {WOMEN}"),
    _scalar(
        "cases.nationalities_of_women",
        f"SELECT count(DISTINCT n) FROM (SELECT unnest(nationalities) n FROM {WOMEN})",
    ),
    _scalar(
        "cases.forced_labour_involving_women",
        f"SELECT count(DISTINCT case_id) FROM {WOMEN} WHERE {FORCED}",
    ),
    _scalar(
        "cases.forced_labour_nationalities_of_women",
        "SELECT count(DISTINCT n) FROM "
        f"(SELECT unnest(nationalities) n FROM {WOMEN} WHERE {FORCED})",
    ),
    _scalar("victims.total", f"SELECT count(DISTINCT who) FROM {VICTIMS}"),
    _rows(
        "victims.by_sex", "gender", f"SELECT gender, count(DISTINCT who) FROM {VICTIMS} GROUP BY 1"
    ),
    _scalar("victims.children", f"SELECT count(DISTINCT who) FROM {VICTIMS} WHERE age < 18"),
    _rows(
        "victims.by_age_group",
        "age_group",
        f"""SELECT CASE WHEN age IS NULL THEN 'unknown' WHEN age < 18 THEN 'child' ELSE 'adult' END,
            count(DISTINCT who) FROM {VICTIMS} GROUP BY 1""",
        f"SELECT count(DISTINCT who) FROM {VICTIMS}",
    ),
    _rows(
        "victims.by_age_band",
        "age_band",
        f"SELECT {AGE_BAND}, count(DISTINCT who) FROM {VICTIMS} GROUP BY 1",
        f"SELECT count(DISTINCT who) FROM {VICTIMS} WHERE age IS NOT NULL",
    ),
    _rows(
        "victims.by_nationality",
        "country",
        _each_victim("nationalities"),
        f"SELECT count(DISTINCT who) FROM {VICTIMS} WHERE len(nationalities) > 0",
    ),
    _rows(
        "victims.by_origin_province",
        "province",
        f"""SELECT l.province, count(DISTINCT v.who) FROM {VICTIMS} v
            JOIN case_events e ON e.case_id = v.case_id AND e.event_type = 'recruitment'
              AND (e.person_id IS NULL OR e.person_id = v.person_id)
            JOIN locations l ON l.id = e.location_id AND l.country = 'KH' GROUP BY 1""",
        f"""SELECT count(DISTINCT v.who) FROM {VICTIMS} v
            JOIN case_events e ON e.case_id = v.case_id AND e.event_type = 'recruitment'
              AND (e.person_id IS NULL OR e.person_id = v.person_id)
            JOIN locations l ON l.id = e.location_id AND l.country = 'KH'
            WHERE l.province IS NOT NULL""",
    ),
    _rows(
        "victims.by_recruitment_method",
        "recruitment_method",
        f"SELECT recruitment_method, count(DISTINCT who) FROM {VICTIMS} GROUP BY 1",
        f"SELECT count(DISTINCT who) FROM {VICTIMS} WHERE recruitment_method IS NOT NULL",
    ),
    _rows(
        "victims.by_recruitment_app",
        "recruitment_app",
        _each_victim("recruitment_apps"),
        f"SELECT count(DISTINCT who) FROM {VICTIMS} WHERE len(recruitment_apps) > 0",
    ),
    _rows(
        "victims.by_means_of_control",
        "method_of_control",
        _each_victim("methods_of_control"),
        f"SELECT count(DISTINCT who) FROM {VICTIMS} WHERE len(methods_of_control) > 0",
    ),
    _scalar(
        "victims.screened",
        f"""SELECT count(DISTINCT {WHO.format(person="s.person_id")}) FROM screenings s
            JOIN sc ON sc.id = s.case_id LEFT JOIN person_clusters pc ON pc.person_id = s.person_id
            WHERE s.screened_on BETWEEN $start AND $end""",
    ),
    Query(
        "victims.identified",
        "pairs",
        f"""SELECT trafficking_status, coalesce(status_decided_by, 'Unknown'), count(DISTINCT who)
            FROM {VICTIMS} WHERE trafficking_status IS NOT NULL GROUP BY 1, 2""",
        f"SELECT count(DISTINCT who) FROM {VICTIMS} WHERE trafficking_status IS NOT NULL",
        "trafficking_status",
        "deciding_org_type",
    ),
    _scalar(
        "victims.identified_actual",
        f"SELECT count(DISTINCT who) FROM {VICTIMS} "
        "WHERE trafficking_status = 'ActualVictimOfTrafficking'",
    ),
    _rows(
        "victims.referred",
        "service",
        f"""SELECT r.service, count(DISTINCT {WHO.format(person="r.person_id")}) FROM referrals r
            JOIN sc ON sc.id = r.case_id LEFT JOIN person_clusters pc ON pc.person_id = r.person_id
            WHERE r.person_id IS NOT NULL AND r.referred_on BETWEEN $start AND $end GROUP BY 1""",
        f"""SELECT count(DISTINCT {WHO.format(person="r.person_id")}) FROM referrals r
            JOIN sc ON sc.id = r.case_id LEFT JOIN person_clusters pc ON pc.person_id = r.person_id
            WHERE r.person_id IS NOT NULL AND r.referred_on BETWEEN $start AND $end""",
    ),
    _scalar(
        "victims.referred_total",
        f"""SELECT count(DISTINCT {WHO.format(person="r.person_id")}) FROM referrals r
            JOIN sc ON sc.id = r.case_id LEFT JOIN person_clusters pc ON pc.person_id = r.person_id
            WHERE r.person_id IS NOT NULL AND r.referred_on BETWEEN $start AND $end""",
    ),
    _scalar(
        "victims.repatriated",
        """SELECT count(DISTINCT e.case_id) FROM case_events e JOIN sc ON sc.id = e.case_id
           WHERE e.event_type = 'repatriation' AND e.occurred_on BETWEEN $start AND $end""",
    ),
    _scalar(
        "nonpunishment.raised",
        """SELECT count(*) FROM non_punishment_flags f WHERE f.raised_on BETWEEN $start AND $end
           AND f.person_id IN (SELECT cp.person_id FROM case_persons cp
             JOIN sc ON sc.id = cp.case_id)""",
    ),
    _scalar(
        "nonpunishment.decided",
        """SELECT count(*) FROM non_punishment_flags f WHERE f.decided_on BETWEEN $start AND $end
           AND f.status IN ('applied', 'not_applied')
           AND f.person_id IN (SELECT cp.person_id FROM case_persons cp
             JOIN sc ON sc.id = cp.case_id)""",
    ),
    _scalar(
        "suspects.arrested",
        f"SELECT count(DISTINCT who) FROM {SUSPECTS} WHERE arrested_on BETWEEN $start AND $end",
    ),
    _scalar("suspects.charged", _step_suspects("charged_on")),
    _scalar("suspects.at_trial", _step_suspects("trial_on")),
    _scalar("suspects.convicted", _step_suspects("convicted_on")),
    _scalar("suspects.acquitted", _step_suspects("acquitted_on")),
    _scalar(
        "suspects.absconded",
        f"SELECT count(DISTINCT s.who) FROM {SUSPECTS} s JOIN {PCASES} c ON c.id = s.case_id "
        "WHERE s.custody_status = 'absconded'",
    ),
    _scalar(
        "suspects.convicted_in_absentia",
        _step_suspects("convicted_on") + " AND s.custody_status IN ('absconded', 'at_large')",
    ),
    _duration("durations.intervention_to_charge", "charged_on"),
    _duration("durations.intervention_to_verdict", "verdict_on"),
    _scalar("cases.stalled", _stalled()),
)

BY_METRIC: dict[str, Query] = {q.metric: q for q in QUERIES}


SCALARS: tuple[Query, ...] = tuple(q for q in QUERIES if q.shape == "scalar")


ROWS: tuple[Query, ...] = tuple(q for q in QUERIES if q.shape in ("rows", "pairs"))
DURATIONS: tuple[Query, ...] = tuple(q for q in QUERIES if q.shape == "duration")
TOTALS: tuple[Query, ...] = tuple(q for q in QUERIES if q.total_sql)


def combined(queries: tuple[Query, ...] = SCALARS) -> str:
    """One statement computing every scalar figure (one column per query)."""
    return "SELECT " + ",\n  ".join(f"({q.value_sql})" for q in queries)


def combined_totals(queries: tuple[Query, ...] = TOTALS) -> str:
    """One statement computing the distinct totals of the multi-select tables."""
    return "SELECT " + ",\n  ".join(f"({q.total_sql})" for q in queries)


def combined_rows(queries: tuple[Query, ...] = ROWS) -> str:
    """One statement yielding ``(metric, row, column, figure)`` for every breakdown table."""
    return "\nUNION ALL ".join(
        f"SELECT '{q.metric}', CAST(r AS VARCHAR), CAST(c AS VARCHAR), n "
        f"FROM ({q.sql}) AS t{i}(r, c, n)"
        for i, q in enumerate(queries)
    )


def scope_view(*, scoped: bool, province: str | None) -> str:
    """The ``sc`` view: cases in the reader's scope (ids in ``scope_ids`` when not national)
    and in ``province`` (a validated ISO code) when the report is for one."""
    where = []
    if scoped:
        where.append("id IN (SELECT id FROM scope_ids)")
    if province is not None:
        where.append(f"province = '{province}'")
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    return f"CREATE OR REPLACE TEMP VIEW sc AS SELECT * FROM cases{clause}"


def prepared_for(queries: tuple[Query, ...], statements: tuple[str, ...]) -> tuple[str, ...]:
    """The statements of ``statements`` (``PREPARE_SCOPE`` or ``PREPARE_PERIOD``) whose
    temporary table ``queries`` read, directly or through a later statement (``pv`` reads
    ``pc``), in their order. A name is matched as a word, so an alias of the same name only
    makes a statement run that was not needed, never skips one that was."""
    texts = [t for q in queries for t in (q.sql, q.total_sql, q.value_sql) if t]
    chosen: list[str] = []
    for statement in reversed(statements):
        name = re.match(r"CREATE OR REPLACE TEMP TABLE (\w+)", statement)
        if name is None or any(re.search(rf"\b{name.group(1)}\b", t) for t in texts):
            chosen.insert(0, statement)
            texts.append(statement)
    return tuple(chosen)


def parameters(sql: str, values: dict[str, object]) -> dict[str, object]:
    """The named parameters ``sql`` uses (DuckDB refuses unused ones)."""
    return {name: value for name, value in values.items() if f"${name}" in sql}
