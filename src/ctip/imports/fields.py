"""The HTCDS 2.0 fields CTIP reads and writes, the template's column order, and how a header
cell (field name, label, Kobo ``/`` path, ODK ``-`` path) is recognised. Pure functions.

Headers are compared *folded* (case, spaces, ``_``, punctuation ignored), so the XLSForm's
``prs_First_Name`` and ``vic_Methods_of_Control`` are the Excel template's ``prs_FirstName``
and ``vic_MethodsOfControl``; the template's misspelt ``vic_TraffickinStatusDecisionMakingOrg``
is an alias of the correct name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The official template's 38 named columns in order (after the unnamed running number),
# each with the label the template writes under it. The template's field-name row has the
# five mailing columns in a different order from its labels; this list pairs every name with
# its own label. Column 36 has no name in the template; CTIP calls it
# ``cas_ReasonForOutgoingReferral`` (its label is "Reason for Outgoing Referral").
TEMPLATE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("cas_CaseOwner", "Case Owner"),
    ("prs_Salutation", "Salutation"),
    ("prs_FirstName", "First Name"),
    ("prs_SecondName", "Second Name"),
    ("con_Consent", "Consent"),
    ("prs_Birthdate", "Birthdate"),
    ("prs_Gender", "Gender"),
    ("prs_Citizenship", "Citizenship"),
    ("prs_Title", "Title"),
    ("prs_Email", "Email"),
    ("prs_HomePhone", "Home Phone"),
    ("prs_MobilePhone", "Mobile Phone"),
    ("prs_MailingCity", "Mailing City"),
    ("prs_MailingCountry", "Mailing Country"),
    ("prs_MailingState", "Mailing State/Province"),
    ("prs_MailingStreet", "Mailing Street"),
    ("prs_MailingPostalCode", "Mailing Zip/Postal Code"),
    ("vic_TraffickingStatus", "Trafficking Status"),
    ("vic_TraffickingStatusDecisionMakingOrg", "Trafficking Status Decision Making Organization"),
    ("vic_MethodOfRecruitment", "Method of Recruitment"),
    ("vic_LocationOfRecruitment", "Location of Recruitment"),
    ("vic_MethodsOfControl", "Methods of Control"),
    ("vic_TypeOfExploitation", "Type of Exploitation"),
    ("vic_ForcedLabourIndustry", "Forced Labour Industry"),
    ("vic_TypeOfSexExploitation", "Type of Sex Exploitation"),
    ("vic_LocationOfExploitation", "Location of Exploitation"),
    ("cas_Status", "Status"),
    ("cas_ReferringOrganisation", "Referring Organisation"),
    ("cas_IncomingReferralDate", "Incoming Referral Date"),
    ("cas_ReferringPrimaryCaseWorker", "Referring Primary Case Worker"),
    ("cas_ReasonForIncomingReferral", "Reason for Incoming Referral"),
    ("cas_IncomingReferralDetails", "Incoming Referral Details"),
    ("cas_ReferredOrganisation", "Referred Organisation"),
    ("cas_ReferredPrimaryCaseWorker", "Referred Primary Case Worker"),
    ("cas_ReasonForOutgoingReferral", "Reason for Outgoing Referral"),
    ("cas_OutgoingReferralDate", "Outgoing Referral Date"),
    ("cas_OutgoingReferralDetails", "Outgoing Referral Details"),
    ("cas_ReasonForCaseClosure", "Reason for Case Closure"),
)
# Columns CTIP adds after the template's own when it exports (HTCDS prefixes, CTIP names),
# so an export comes back without loss.
CTIP_COLUMNS: tuple[tuple[str, str], ...] = (
    ("cas_CaseId", "CTIP case reference"),
    ("cas_Province", "Province"),
    ("cas_OpenedOn", "Opened on"),
    ("cas_Title", "Case title"),
    ("cas_Summary", "Case summary"),
    ("cas_ForcedLabourSubtype", "Forced labour sub-type"),
    ("cas_OriginCountries", "Countries of origin"),
    ("cas_TransitCountries", "Transit countries"),
    ("cas_ExploitationCountries", "Countries of exploitation"),
    ("prs_PersonId", "CTIP person id"),
    ("prs_NameKm", "Name in Khmer"),
    ("prs_Aliases", "Aliases"),
    ("prs_EstimatedAge", "Estimated age"),
    ("prs_Address", "Address"),
    ("prs_PassportNumber", "Passport number"),
    ("prs_NationalId", "National ID"),
    ("per_Role", "Role on the case"),
    ("vic_TraffickingStatusDecisionDate", "Trafficking status decision date"),
    ("vic_RecruitmentWebsitesAndApps", "Recruitment websites and apps"),
    ("per_RoleInProcess", "Role in the process"),
    ("per_CustodyStatus", "Custody status"),
    ("per_ArrestDate", "Arrest date"),
)
ALL_COLUMNS = TEMPLATE_COLUMNS + CTIP_COLUMNS
FIELDS = tuple(name for name, _ in ALL_COLUMNS)
LABELS = dict(ALL_COLUMNS)
MAILING = (
    "prs_MailingStreet",
    "prs_MailingCity",
    "prs_MailingState",
    "prs_MailingPostalCode",
    "prs_MailingCountry",
)


def published_header_rows() -> tuple[list[str | None], list[str | None]]:
    """The template's field-name row and label row exactly as IOM publishes them: an
    unnamed running-number column first, the mailing labels in another order than their
    names (labels in ``MAILING`` order), the misspelt decision-making field, and the nameless
    "Reason for Outgoing Referral" column. A cell belongs to the field of its *label*."""
    names: list[str | None] = [None, *(name for name, _ in TEMPLATE_COLUMNS)]
    labels: list[str | None] = [None, *(label for _, label in TEMPLATE_COLUMNS)]
    first = names.index("prs_MailingCity")
    labels[first : first + len(MAILING)] = [LABELS[name] for name in MAILING]
    names[names.index("vic_TraffickingStatusDecisionMakingOrg")] = (
        "vic_TraffickinStatusDecisionMakingOrg"
    )
    names[names.index("cas_ReasonForOutgoingReferral")] = None
    return names, labels


# Fields whose cell may hold several values (``;``, ``,`` or new lines; Kobo: spaces).
MULTI = frozenset(
    {
        "prs_Citizenship",
        "vic_MethodOfRecruitment",
        "vic_MethodsOfControl",
        "vic_TypeOfExploitation",
        "vic_ForcedLabourIndustry",
        "vic_TypeOfSexExploitation",
        "vic_RecruitmentWebsitesAndApps",
        "cas_OriginCountries",
        "cas_TransitCountries",
        "cas_ExploitationCountries",
        "prs_Aliases",
    }
)
DATES = frozenset(
    {
        "prs_Birthdate",
        "cas_IncomingReferralDate",
        "cas_OutgoingReferralDate",
        "cas_OpenedOn",
        "vic_TraffickingStatusDecisionDate",
        "per_ArrestDate",
    }
)
# Case details: rows with the same case owner and the same values here form one case.
CASE_KEY_FIELDS = (
    "cas_CaseOwner",
    "cas_ReferringOrganisation",
    "cas_IncomingReferralDate",
    "cas_ReferringPrimaryCaseWorker",
    "cas_ReasonForIncomingReferral",
    "cas_IncomingReferralDetails",
    "cas_ReferredOrganisation",
    "cas_ReferredPrimaryCaseWorker",
    "cas_OutgoingReferralDate",
)
# Fields that make a row a record at all (a template row with only its running number is empty).
_ALIASES = {
    "victraffickinstatusdecisionmakingorg": "vic_TraffickingStatusDecisionMakingOrg",
    "prsfirstname": "prs_FirstName",
    "prssecondname": "prs_SecondName",
    "vicmethodsofcontrol": "vic_MethodsOfControl",
    "reasonforoutgoingreferral": "cas_ReasonForOutgoingReferral",
    "prslastname": "prs_SecondName",
    "prsnationality": "prs_Citizenship",
}
# Markers of HTCDS 2.0: a file with HTCDS-prefixed headers but none of these is another version.
VERSION_MARKERS = ("cas_CaseOwner", "prs_FirstName", "prs_SecondName", "vic_TraffickingStatus")
HTCDS_PREFIX = re.compile(r"^(org|prs|vic|per|cas|cco|hte|spl|con)_", re.I)


def fold(text: object) -> str:
    """A header or code compared loosely: letters and digits only, case-folded."""
    return re.sub(r"[\W_]+", "", str(text or "").replace("\xa0", " ")).casefold()


_BY_NAME = {fold(name): name for name in FIELDS} | _ALIASES
_BY_LABEL = {fold(label): name for name, label in ALL_COLUMNS}


def by_name(header: object) -> str | None:
    """The field a field-name header means (``prs_First_Name`` → ``prs_FirstName``)."""
    return _BY_NAME.get(fold(header))


def by_label(header: object) -> str | None:
    """The field a label header means ("Mailing Street" → ``prs_MailingStreet``)."""
    return _BY_LABEL.get(fold(header))


@dataclass(frozen=True)
class Header:
    """What one column of a file holds: a field, or one option of a Kobo select-multiple."""

    field: str
    option: str | None = None


def resolve(header: object, separators: str = "/") -> Header | None:
    """A header as a field: its whole text as name or label, else the last part of a group
    path (Kobo ``group/field``, ODK ``group-field``), else ``field/option`` (a Kobo 0/1
    column of a select-multiple)."""
    text = str(header or "").strip()
    if not text:
        return None
    found = by_name(text) or by_label(text)
    if found:
        return Header(found)
    parts = [p for p in re.split(f"[{re.escape(separators)}]", text) if p]
    if len(parts) > 1:
        last = by_name(parts[-1]) or by_label(parts[-1])
        if last:
            return Header(last)
        owner = by_name(parts[-2]) or by_label(parts[-2])
        if owner in MULTI:
            return Header(owner, parts[-1])
    return None
