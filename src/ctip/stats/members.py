"""The records behind each figure (pure: SQL strings for DuckDB over the analytic copy).

For every drillable metric of ``ctip.stats.queries``, ``MEMBERS`` holds a query over the same
temporary tables (``sc``, ``pc``, ``pv``, ``ps``, ``steps``) yielding one row per counted record
``(row, column, unit, case_id, person_id)``: ``unit`` is what the figure counts distinctly
(``k<id>`` a case, the resolved person ``who`` of a victim or suspect, ``f<id>`` a
non-punishment flag), so the number of distinct units of a cell is the cell's figure.
``tests/stats/test_drilldown.py`` checks that identity for every metric and cell.
"""

from __future__ import annotations

from ctip.stats.queries import AGE_BAND, BY_METRIC, FORCED, PCASES, SUSPECTS, VICTIMS, WHO, WOMEN


def _cases(where: str = "", row: str = "'total'", source: str = PCASES) -> str:
    clause = f" WHERE {where}" if where else ""
    return f"SELECT {row}, 'total', 'k' || id, id, CAST(NULL AS BIGINT) FROM {source}{clause}"


def _victims(where: str = "", row: str = "'total'", column: str = "'total'") -> str:
    clause = f" WHERE {where}" if where else ""
    return f"SELECT {row}, {column}, who, case_id, person_id FROM {VICTIMS}{clause}"


def _each_victim(column: str) -> str:
    return (
        f"SELECT v, 'total', who, case_id, person_id FROM "
        f"(SELECT unnest({column}) v, who, case_id, person_id FROM {VICTIMS})"
    )


def _step_suspects(column: str, extra: str = "") -> str:
    return (
        f"SELECT 'total', 'total', s.who, s.case_id, s.person_id FROM {SUSPECTS} s "
        f"JOIN steps t ON t.case_id = s.case_id WHERE t.{column} BETWEEN $start AND $end{extra}"
    )


def _duration(column: str) -> str:
    base = (
        f"SELECT case_id, province, exploitation_types FROM steps "
        f"WHERE {column} BETWEEN $start AND $end"
    )
    pick = "'k' || case_id, case_id, CAST(NULL AS BIGINT)"
    return f"""
      SELECT 'all', 'cases', {pick} FROM ({base}) d
      UNION ALL SELECT 'province:' || province, 'cases', {pick} FROM ({base}) d
      UNION ALL SELECT 'type:' || t, 'cases', {pick}
        FROM (SELECT unnest(exploitation_types) AS t, case_id FROM ({base}) b) d"""


_REFERRED = f"""SELECT {{row}}, 'total', {WHO.format(person="r.person_id")}, r.case_id,
    r.person_id FROM referrals r JOIN sc ON sc.id = r.case_id
    LEFT JOIN person_clusters pc ON pc.person_id = r.person_id
    WHERE r.person_id IS NOT NULL AND r.referred_on BETWEEN $start AND $end"""
_FLAG = """SELECT 'total', 'total', 'f' || f.id, CAST(NULL AS BIGINT), f.person_id
    FROM non_punishment_flags f WHERE f.{column} BETWEEN $start AND $end{extra}
    AND f.person_id IN (SELECT cp.person_id FROM case_persons cp JOIN sc ON sc.id = cp.case_id)"""
_ORIGIN = f"""SELECT l.province, 'total', v.who, v.case_id, v.person_id FROM {VICTIMS} v
    JOIN case_events e ON e.case_id = v.case_id AND e.event_type = 'recruitment'
      AND (e.person_id IS NULL OR e.person_id = v.person_id)
    JOIN locations l ON l.id = e.location_id AND l.country = 'KH'"""
_STALLED = """SELECT 'total', 'total', 'k' || id, id, CAST(NULL AS BIGINT) FROM (
    SELECT sc.id,
      arg_max(e.to_status, e.id) FILTER (WHERE e.event_type = 'status_change') AS status,
      max(e.occurred_on) AS last_on
    FROM sc JOIN case_events e ON e.case_id = sc.id AND e.occurred_on <= $asof
    WHERE sc.opened_on <= $asof GROUP BY sc.id)
  WHERE coalesce(status, 'reported') NOT IN ('convicted', 'acquitted', 'dismissed', 'closed')
    AND date_diff('day', last_on, $asof) > $stalled_days"""

MEMBERS: dict[str, str] = {
    "cases.total": _cases(),
    "cases.by_exploitation_type": (
        "SELECT t, 'total', 'k' || id, id, CAST(NULL AS BIGINT) FROM "
        f"(SELECT unnest(exploitation_types) t, id FROM {PCASES})"
    ),
    "cases.forced_labour": _cases(FORCED),
    "cases.online_scam": _cases(
        f"{FORCED} AND forced_labour_subtype = 'ForcedCriminalityOnlineScam'"
    ),
    "cases.by_subtype": _cases(FORCED, row="forced_labour_subtype"),
    "cases.by_industry": _cases(FORCED, row="industry"),
    "cases.by_province": _cases(row="province"),
    "cases.by_border_crossing": f"""SELECT l.border_crossing, 'total', 'k' || c.id, c.id,
        CAST(NULL AS BIGINT) FROM case_events e JOIN {PCASES} c ON c.id = e.case_id
        JOIN locations l ON l.id = e.location_id""",
    "cases.involving_women": (
        f"SELECT 'total', 'total', 'k' || case_id, case_id, person_id FROM {WOMEN}"
    ),
    "cases.forced_labour_involving_women": (
        f"SELECT 'total', 'total', 'k' || case_id, case_id, person_id FROM {WOMEN} WHERE {FORCED}"
    ),
    "cases.stalled": _STALLED,
    "victims.total": _victims(),
    "victims.by_sex": _victims(row="gender"),
    "victims.children": _victims("age < 18"),
    "victims.by_age_group": _victims(
        row="CASE WHEN age IS NULL THEN 'unknown' WHEN age < 18 THEN 'child' ELSE 'adult' END"
    ),
    "victims.by_age_band": _victims(row=AGE_BAND),
    "victims.by_nationality": _each_victim("nationalities"),
    "victims.by_origin_province": _ORIGIN,
    "victims.by_recruitment_method": _victims(row="recruitment_method"),
    "victims.by_recruitment_app": _each_victim("recruitment_apps"),
    "victims.by_means_of_control": _each_victim("methods_of_control"),
    "victims.screened": f"""SELECT 'total', 'total', {WHO.format(person="s.person_id")},
        s.case_id, s.person_id FROM screenings s JOIN sc ON sc.id = s.case_id
        LEFT JOIN person_clusters pc ON pc.person_id = s.person_id
        WHERE s.screened_on BETWEEN $start AND $end""",
    "victims.identified": _victims(
        "trafficking_status IS NOT NULL",
        row="trafficking_status",
        column="coalesce(status_decided_by, 'Unknown')",
    ),
    "victims.identified_actual": _victims("trafficking_status = 'ActualVictimOfTrafficking'"),
    "victims.referred": _REFERRED.format(row="r.service"),
    "victims.referred_total": _REFERRED.format(row="'total'"),
    "victims.repatriated": """SELECT 'total', 'total', 'k' || e.case_id, e.case_id,
        CAST(NULL AS BIGINT) FROM case_events e JOIN sc ON sc.id = e.case_id
        WHERE e.event_type = 'repatriation' AND e.occurred_on BETWEEN $start AND $end""",
    "nonpunishment.raised": _FLAG.format(column="raised_on", extra=""),
    "nonpunishment.decided": _FLAG.format(
        column="decided_on", extra=" AND f.status IN ('applied', 'not_applied')"
    ),
    "suspects.arrested": (
        f"SELECT 'total', 'total', who, case_id, person_id FROM {SUSPECTS} "
        "WHERE arrested_on BETWEEN $start AND $end"
    ),
    "suspects.charged": _step_suspects("charged_on"),
    "suspects.at_trial": _step_suspects("trial_on"),
    "suspects.convicted": _step_suspects("convicted_on"),
    "suspects.acquitted": _step_suspects("acquitted_on"),
    "suspects.absconded": (
        f"SELECT 'total', 'total', s.who, s.case_id, s.person_id FROM {SUSPECTS} s "
        f"JOIN {PCASES} c ON c.id = s.case_id WHERE s.custody_status = 'absconded'"
    ),
    "suspects.convicted_in_absentia": _step_suspects(
        "convicted_on", " AND s.custody_status IN ('absconded', 'at_large')"
    ),
    "durations.intervention_to_charge": _duration("charged_on"),
    "durations.intervention_to_verdict": _duration("verdict_on"),
}
assert set(MEMBERS) <= set(BY_METRIC)

DRILLABLE: frozenset[str] = frozenset(MEMBERS)
# The column of a table whose cells are counts of records (a duration's medians are not).
COUNTED_COLUMN = {
    "durations.intervention_to_charge": "cases",
    "durations.intervention_to_verdict": "cases",
}


def members_sql(metric: str) -> str:
    """``(unit, case_id, person_id)`` of the records behind one cell (``$row``, ``$col``; a
    ``NULL`` parameter matches every row or column), in a stable order."""
    return (
        "SELECT DISTINCT unit, case_id, person_id FROM "
        f"({MEMBERS[metric]}) AS m(r, c, unit, case_id, person_id) "
        "WHERE r IS NOT NULL AND ($row IS NULL OR CAST(r AS VARCHAR) = $row) "
        "AND ($col IS NULL OR CAST(c AS VARCHAR) = $col) ORDER BY unit, case_id, person_id"
    )
