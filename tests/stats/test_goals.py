"""Goal status rules (pure): met or missed once the period is over; on track or at risk
during it, counts that must reach a target projected at the pace so far."""

from __future__ import annotations

from datetime import date

import pytest

from ctip.stats.goals import _project, _status
from ctip.stats.models import Goal


def goal(metric: str, comparison: str, target: float) -> Goal:
    return Goal(
        metric=metric,
        comparison=comparison,
        target=target,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
    )


@pytest.mark.parametrize(
    ("metric", "comparison", "target", "figure", "today", "status"),
    [
        # finished period: the figure decides
        ("suspects.convicted", ">=", 150, 151, date(2026, 1, 5), "met"),
        ("suspects.convicted", ">=", 150, 149, date(2026, 1, 5), "missed"),
        ("durations.intervention_to_charge", "<=", 90, 95.5, date(2026, 1, 5), "missed"),
        # half-way: 80 convictions project to about 160 -> on track; 60 to about 120 -> at risk
        ("suspects.convicted", ">=", 150, 80, date(2025, 7, 2), "on_track"),
        ("suspects.convicted", ">=", 150, 60, date(2025, 7, 2), "at_risk"),
        # a median and a level are judged as they stand, not projected
        ("durations.intervention_to_charge", "<=", 90, 85.0, date(2025, 3, 1), "on_track"),
        ("cases.stalled", "<=", 20, 25, date(2025, 3, 1), "at_risk"),
        ("cases.stalled", "<=", 20, 12, date(2025, 3, 1), "on_track"),
    ],
)
def test_goal_status(metric, comparison, target, figure, today, status):
    g = goal(metric, comparison, target)
    projected = _project(g, figure, min(today, g.period_end))
    assert _status(g, figure, projected, today) == status


def test_a_level_is_not_projected():
    g = goal("cases.stalled", "<=", 20)
    assert _project(g, 10, date(2025, 2, 1)) == 10
