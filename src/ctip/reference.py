"""Standard vocabularies: provinces, border crossings, countries and HTCDS code lists.

Codes are stored exactly as the standards spell them, so exports need no mapping; the
interface shows them through the translation catalogue.
"""

from __future__ import annotations

import re
from functools import cache

from babel import Locale

# ISO 3166-2:KH — code, English name, Khmer name.
PROVINCES: tuple[tuple[str, str, str], ...] = (
    ("KH-1", "Banteay Meanchey", "បន្ទាយមានជ័យ"),
    ("KH-2", "Battambang", "បាត់ដំបង"),
    ("KH-3", "Kampong Cham", "កំពង់ចាម"),
    ("KH-4", "Kampong Chhnang", "កំពង់ឆ្នាំង"),
    ("KH-5", "Kampong Speu", "កំពង់ស្ពឺ"),
    ("KH-6", "Kampong Thom", "កំពង់ធំ"),
    ("KH-7", "Kampot", "កំពត"),
    ("KH-8", "Kandal", "កណ្ដាល"),
    ("KH-9", "Koh Kong", "កោះកុង"),
    ("KH-10", "Kratie", "ក្រចេះ"),
    ("KH-11", "Mondulkiri", "មណ្ឌលគិរី"),
    ("KH-12", "Phnom Penh", "ភ្នំពេញ"),
    ("KH-13", "Preah Vihear", "ព្រះវិហារ"),
    ("KH-14", "Prey Veng", "ព្រៃវែង"),
    ("KH-15", "Pursat", "ពោធិ៍សាត់"),
    ("KH-16", "Ratanakiri", "រតនគិរី"),
    ("KH-17", "Siem Reap", "សៀមរាប"),
    ("KH-18", "Preah Sihanouk", "ព្រះសីហនុ"),
    ("KH-19", "Stung Treng", "ស្ទឹងត្រែង"),
    ("KH-20", "Svay Rieng", "ស្វាយរៀង"),
    ("KH-21", "Takeo", "តាកែវ"),
    ("KH-22", "Oddar Meanchey", "ឧត្ដរមានជ័យ"),
    ("KH-23", "Kep", "កែប"),
    ("KH-24", "Pailin", "ប៉ៃលិន"),
    ("KH-25", "Tbong Khmum", "ត្បូងឃ្មុំ"),
)
PROVINCE_CODES = frozenset(code for code, _, _ in PROVINCES)

# Main border crossings: code, name, province, neighbouring country (ISO alpha-2).
BORDER_CROSSINGS: tuple[tuple[str, str, str, str], ...] = (
    ("poipet", "Poipet", "KH-1", "TH"),
    ("osmach", "O'Smach", "KH-22", "TH"),
    ("cham_yeam", "Cham Yeam", "KH-9", "TH"),
    ("bavet", "Bavet", "KH-20", "VN"),
    ("prek_chak", "Prek Chak", "KH-7", "VN"),
    ("trapeang_kriel", "Trapeang Kriel", "KH-19", "LA"),
)
BORDER_CROSSING_CODES = frozenset(code for code, *_ in BORDER_CROSSINGS)

EXPLOITATION_TYPES = (
    "ForcedLabour",
    "SexualExploitation",
    "ChildLabour",
    "ForcedMarriage",
    "Servitude",
    "ForcedMilitaryByNonStateActors",
    "OrganRemoval",
    "ForcedBegging",
    "ForcedAdoption",
    "Surrogacy",
    "Other",
)
# Sub-types of forced labour that CTIP records separately (forced criminality in scam compounds).
FORCED_LABOUR_SUBTYPES = (
    "ForcedCriminalityOnlineScam",
    "FishingAtSea",
    "BrickKiln",
    "Construction",
    "Agriculture",
    "DomesticWork",
    "Factory",
    "Other",
)
ISIC_SECTIONS = (
    "A_AgricultureForestryAndFishing",
    "B_MiningAndQuarrying",
    "C_Manufacturing",
    "D_ElectricityGasSteamAndAirConditioningSupply",
    "E_WaterSupplySewerageWasteManagement",
    "F_Construction",
    "G_WholesaleAndRetailTrade",
    "H_TransportationAndStorage",
    "I_AccommodationAndFoodServiceActivities",
    "J_InformationAndCommunication",
    "K_FinancialAndInsuranceActivities",
    "L_RealEstateActivities",
    "M_ProfessionalScientificAndTechnicalActivities",
    "N_AdministrativeAndSupportServiceActivities",
    "O_PublicAdministrationAndDefence",
    "P_Education",
    "Q_HumanHealthAndSocialWorkActivities",
    "R_ArtsEntertainmentAndRecreation",
    "S_OtherServiceActivities",
    "T_ActivitiesOfHouseholdsAsEmployers",
    "U_ActivitiesOfExtraterritorialOrganizations",
)
GENDERS = (
    "Feminine",
    "Masculine",
    "TransgenderFeminine",
    "TransgenderMasculine",
    "NonConforming",
    "NonSpecifiedUnknown",
)
TRAFFICKING_STATUSES = (
    "PossibleVictimOfTrafficking",
    "ActualVictimOfTrafficking",
    "NotAVictimOfTrafficking",
)
DECIDING_ORG_TYPES = (
    "Police",
    "NGO",
    "CourtOrProsecution",
    "NonPoliceGovernmentalOrganization",
    "Other",
)
METHODS_OF_CONTROL = (
    "DebtBondage",
    "TakesEarnings",
    "RestrictsFinancialAccess",
    "Threats",
    "PsychologicalAbuse",
    "PhysicalAbuse",
    "SexualAbuse",
    "FalsePromises",
    "PsychoactiveSubstances",
    "RestrictsMovement",
    "RestrictsMedicalCare",
    "ExcessiveWorkingHours",
    "UsesChildren",
    "ThreatOfLawEnforcement",
    "WithholdsNecessities",
    "WithholdsDocuments",
    "Other",
)
# Alternative spellings found in HTCDS files, mapped to the form CTIP stores.
METHODS_OF_CONTROL_ALIASES = {
    "PhysicalThreats": "Threats",
    "ThreatensChildrenFamily": "UsesChildren",
    "ThreatsLawEnforcement": "ThreatOfLawEnforcement",
}
RECRUITMENT_METHODS = (
    "AtAPlaceOfBusiness",
    "AtAnEducationalInstitution",
    "AtWork",
    "ThroughOnlineSocialNetworks",
    "ThroughAnOnlineAdvertisement",
    "ThroughATelevisionAdvert",
    "ThroughANewspaperAdvert",
    "ThroughFamilyOrFamilyEvents",
    "ThroughFriendsOrSocialEvents",
    "Other",
)
RECRUITMENT_APPS = (
    "Facebook",
    "Instagram",
    "WhatsApp",
    "Telegram",
    "FacebookMessenger",
    "Viber",
    "SnapChat",
    "Line",
    "WeChat",
    "QQ",
    "TikTok",
    "Twitter",
    "Other",
)
PERPETRATOR_ROLES = (
    "TravellingPartner",
    "Transporter",
    "RecruiterOrIntermediary",
    "BrokerTravelAgent",
    "TransferredIndividual",
    "HarbouredIndividual",
    "SoldIndividual",
    "BoughtIndividual",
    "ReceivedIndividual",
    "ControlledIndividual",
    "Smuggler",
    "Abuser",
    "Kidnapper",
    "Exploiter",
    "Other",
)
CUSTODY_STATUSES = ("in_custody", "on_bail", "absconded", "at_large")
PERSON_ROLES = ("victim", "screened", "suspect", "broker", "witness", "reporter", "guardian")
# A person screened at an intervention is "screened" until a victim result or a trafficking
# status makes them a victim; they are on the victim side (NGO case workers screen them too).
VICTIM_SIDE_ROLES = frozenset({"victim", "screened", "witness", "reporter", "guardian"})
# Roles that carry the HTCDS victim context (trafficking status, control, recruitment).
VICTIM_CONTEXT_ROLES = frozenset({"victim", "screened"})
OFFENDER_ROLES = frozenset({"suspect", "broker"})
ORG_TYPES = (
    "NGO",
    "LawEnforcement",
    "HealthServiceOrganisation",
    "CentralGovernmentOrganisation",
    "LocalGovernmentOrganisation",
    "ImmigrationService",
    "LegalService",
    "CorporateBusiness",
    "SchoolOrCollege",
    "RecruitmentAgency",
    "Employer",
    "CompoundOrVenue",
    "Court",
)
REFERRAL_REASONS = ("AdditionalServicesRequired", "MigrationOrChangeOfLocation", "Other")
REFERRAL_SERVICES = (
    "shelter",
    "medical",
    "legal",
    "repatriation",
    "psychosocial",
    "livelihood",
    "education",
    "other",
)
IDENTIFIER_TYPES = (
    "phone",
    "passport",
    "national_id",
    "social_handle",
    "email",
    "bank_account",
    "crypto_wallet",
    "vehicle_plate",
)
SOCIAL_PLATFORMS = (
    "telegram",
    "facebook",
    "whatsapp",
    "tiktok",
    "line",
    "wechat",
    "viber",
    "instagram",
    "other",
)
EVENT_TYPES = (
    "recruitment",
    "transit",
    "border_crossing",
    "exploitation",
    "intervention",
    "screening",
    "referral",
    "arrest",
    "charge",
    "hearing",
    "verdict",
    "appeal",
    "repatriation",
    "family_tracing",
    "travel_documents",
    "arrival",
    "note",
    "status_change",
)
# HTCDS ``spl_Type``: the services of a victim's support plan.
SUPPORT_TYPES = (
    "Education",
    "Financial",
    "Health",
    "LabourExploitationRehabilitation",
    "Legal",
    "Livelihood",
    "RightsBasedTraining",
    "SexualExploitationRehabilitation",
    "SocialCare",
)
SUPPORT_STATUSES = ("planned", "in_progress", "completed", "cancelled")
# Reintegration and repatriation steps, recorded as case timeline events.
REINTEGRATION_STEPS = ("family_tracing", "travel_documents", "repatriation", "arrival")

# Territory codes Babel knows that are not ISO 3166-1 countries.
_NOT_COUNTRIES = frozenset(
    {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"}
)


@cache
def countries(language: str = "en") -> dict[str, str]:
    """ISO 3166-1 alpha-2 code → country name in ``language`` (from the CLDR via Babel)."""
    names = Locale.parse(language).territories
    return {
        code: name
        for code, name in sorted(names.items(), key=lambda kv: kv[1])
        if re.fullmatch(r"[A-Z]{2}", code) and code not in _NOT_COUNTRIES
    }


_PROVINCE_NAMES = {code: (en, km) for code, en, km in PROVINCES}


def province_name(code: str, language: str = "en") -> str:
    names = _PROVINCE_NAMES.get(code)
    if names is None:
        return code
    return names[1] if language == "km" else names[0]


def normalise_methods_of_control(values: list[str]) -> list[str]:
    """Map HTCDS's alternative spellings to the stored ones, keeping order, dropping repeats."""
    out: list[str] = []
    for value in values:
        value = METHODS_OF_CONTROL_ALIASES.get(value, value)
        if value not in out:
            out.append(value)
    return out


def humanise(code: str) -> str:
    """``ForcedLabour`` → ``Forced labour``; ``at_large`` → ``At large`` (English label)."""
    spaced = re.sub(
        r"(?<=[a-z])(?=[A-Z])",
        " ",
        code.split("_", 1)[-1] if "_" in code and code[0].isupper() and code[1] == "_" else code,
    ).replace("_", " ")
    return spaced[:1].upper() + spaced[1:].lower()
