"""Grading of links for analysts' tools, on the admiralty (NATO "A1"–"F6") scale.

Every exported link carries two grades: the **reliability of the source** (A completely
reliable, B usually reliable, C fairly reliable, D not usually reliable, E unreliable, F cannot
be judged) and the **credibility of the information** (1 confirmed by other sources, 2 probably
true, 3 possibly true, 4 doubtful, 5 improbable, 6 cannot be judged). CTIP assigns them from
what the registry knows, never by hand:

- source: the type of the agency that reported the case — police, immigration, prosecution
  and other government bodies B; NGOs and health services C; anything else or unknown F.
  A probable match from the linkage model is C; a pair an analyst confirmed is B.
- information: how far the case has been tested — a conviction 1; charged or at trial 2;
  under investigation or referred 3; reported only 6; acquitted or dismissed 4; closed 3.
  A match confirmed by an analyst 1; a model probability of at least 0.99 is 2, at least
  0.9 is 3, below that 4.
"""

from __future__ import annotations

SOURCE_GRADES = {
    "A": "Completely reliable",
    "B": "Usually reliable",
    "C": "Fairly reliable",
    "D": "Not usually reliable",
    "E": "Unreliable",
    "F": "Reliability cannot be judged",
}
INFORMATION_GRADES = {
    "1": "Confirmed by other sources",
    "2": "Probably true",
    "3": "Possibly true",
    "4": "Doubtful",
    "5": "Improbable",
    "6": "Truth cannot be judged",
}
_OFFICIAL = frozenset(
    {
        "LawEnforcement",
        "ImmigrationService",
        "CentralGovernmentOrganisation",
        "LocalGovernmentOrganisation",
        "LegalService",
        "CourtOrProsecution",
    }
)
_CIVIL = frozenset({"NGO", "HealthServiceOrganisation"})
_BY_STATUS = {
    "convicted": "1",
    "charged": "2",
    "at_trial": "2",
    "under_investigation": "3",
    "referred": "3",
    "closed": "3",
    "acquitted": "4",
    "dismissed": "4",
    "reported": "6",
}


def source_grade(org_type: str | None) -> str:
    """A–F from the type of the reporting agency."""
    if org_type in _OFFICIAL:
        return "B"
    if org_type in _CIVIL:
        return "C"
    return "F"


def grade_record(org_type: str | None, status: str | None) -> str:
    """The grade of a link that a case record states (``B2``: police, charged)."""
    return source_grade(org_type) + _BY_STATUS.get(status or "", "6")


def grade_match(probability: float, confirmed: bool = False) -> str:
    """The grade of a "same person as" link from linkage."""
    if confirmed:
        return "B1"
    if probability >= 0.99:
        return "C2"
    if probability >= 0.9:
        return "C3"
    return "C4"
