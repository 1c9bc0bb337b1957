"""The demo world: where cases happen, what kinds of case there are, and who acts on them.

Figures are shaped on public reports (more cases at the Poipet and Bavet crossings, in
Sihanoukville and Phnom Penh; online-scam compounds from 2021; forced marriage mostly to China)
but they are invented, not statistics. Organisation names are made up: no real NGO or company.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

DEMO_TODAY = date(2025, 12, 31)  # nothing in the demo happens after this day
YEARS = (2019, 2020, 2021, 2022, 2023, 2024, 2025)
YEAR_WEIGHTS = (0.8, 0.6, 0.8, 1.3, 1.5, 1.4, 1.2)

PROVINCE_WEIGHTS: dict[str, float] = {
    "KH-1": 10,
    "KH-2": 6,
    "KH-3": 3,
    "KH-4": 2,
    "KH-5": 2.5,
    "KH-6": 2,
    "KH-7": 2.5,
    "KH-8": 4,
    "KH-9": 3,
    "KH-10": 1,
    "KH-11": 0.6,
    "KH-12": 12,
    "KH-13": 0.8,
    "KH-14": 3,
    "KH-15": 1.5,
    "KH-16": 0.8,
    "KH-17": 6,
    "KH-18": 10,
    "KH-19": 1,
    "KH-20": 7,
    "KH-21": 3,
    "KH-22": 3,
    "KH-23": 0.6,
    "KH-24": 1.5,
    "KH-25": 2,
}

# Compound and hub locations: key → (place name, country, province or None).
HUBS: dict[str, tuple[str, str, str | None]] = {
    "sihanoukville": ("Sihanoukville compound district", "KH", "KH-18"),
    "poipet_hub": ("Poipet casino and compound area", "KH", "KH-1"),
    "bavet_hub": ("Bavet special economic zone", "KH", "KH-20"),
    "osmach_hub": ("O'Smach casino area", "KH", "KH-22"),
    "myawaddy": ("Myawaddy / Shwe Kokko compounds", "MM", None),
    "golden_triangle": ("Golden Triangle special economic zone", "LA", None),
    "tachileik": ("Tachileik", "MM", None),
    "pp_airport": ("Phnom Penh International Airport", "KH", "KH-12"),
}


@dataclass(frozen=True)
class Profile:
    """One kind of case: its exploitation, where it happens and who its victims are."""

    key: str
    weight: float
    exploitation: tuple[str, ...]
    title: str  # {place}, {n}, {who}
    subtype: str | None = None
    industry: str | None = None
    origin: tuple[str, ...] = ("KH",)
    transit: tuple[str, ...] = ()
    destination: tuple[str, ...] = ("KH",)
    victim_nationalities: tuple[tuple[str, float], ...] = (("KH", 1.0),)
    victims: tuple[tuple[int, float], ...] = ((1, 1.0),)
    female_share: float = 0.5
    ages: tuple[int, int] = (18, 40)
    affinity: dict[str, float] = field(default_factory=dict)
    scam: bool = False  # online-scam compounds start in 2021
    controls: tuple[str, ...] = ("FalsePromises", "Threats", "RestrictsMovement")
    recruitment: tuple[str, ...] = ("ThroughFriendsOrSocialEvents",)
    apps: tuple[str, ...] = ()
    roles: tuple[str, ...] = ("Exploiter", "RecruiterOrIntermediary")
    hubs: tuple[str, ...] = ()
    broker_share: float = 0.5


_SCAM_CONTROLS = (
    "RestrictsMovement",
    "WithholdsDocuments",
    "DebtBondage",
    "PhysicalAbuse",
    "Threats",
    "ExcessiveWorkingHours",
    "FalsePromises",
    "TakesEarnings",
)
_ONLINE = (
    "ThroughOnlineSocialNetworks",
    "ThroughAnOnlineAdvertisement",
    "ThroughFriendsOrSocialEvents",
)
_APPS = ("Facebook", "Telegram", "WhatsApp", "TikTok", "FacebookMessenger", "WeChat", "Line")

PROFILES: tuple[Profile, ...] = (
    Profile(
        "scam_in",
        16,
        ("ForcedLabour",),
        "Online-scam compound in {place}: {n} {who} held",
        subtype="ForcedCriminalityOnlineScam",
        industry="J_InformationAndCommunication",
        origin=("CN", "VN", "ID", "TH", "MY", "PH", "KE", "MM", "LA"),
        transit=("TH", "VN"),
        victim_nationalities=(
            ("CN", 24),
            ("VN", 20),
            ("ID", 15),
            ("TH", 10),
            ("MY", 7),
            ("PH", 6),
            ("MM", 5),
            ("KE", 4),
            ("LA", 3),
            ("KH", 6),
        ),
        victims=((1, 30), (2, 22), (3, 15), (4, 10), (5, 8), (6, 6), (8, 5), (10, 4)),
        female_share=0.35,
        ages=(18, 40),
        scam=True,
        controls=_SCAM_CONTROLS,
        recruitment=_ONLINE,
        apps=("Telegram", "Facebook", "WhatsApp", "TikTok", "WeChat"),
        affinity={
            "KH-18": 6,
            "KH-1": 3,
            "KH-20": 3,
            "KH-12": 1.5,
            "KH-9": 2,
            "KH-22": 2,
            "KH-24": 2,
        },
        roles=("Exploiter", "HarbouredIndividual", "ControlledIndividual", "Abuser"),
        hubs=("sihanoukville", "poipet_hub", "bavet_hub", "osmach_hub"),
        broker_share=0.7,
    ),
    Profile(
        "scam_out",
        8,
        ("ForcedLabour",),
        "Cambodians held in a scam compound abroad ({place})",
        subtype="ForcedCriminalityOnlineScam",
        industry="J_InformationAndCommunication",
        transit=("TH",),
        destination=("MM", "LA", "TH"),
        victims=((1, 4), (2, 3), (3, 2), (4, 1)),
        female_share=0.4,
        ages=(18, 35),
        scam=True,
        controls=_SCAM_CONTROLS,
        recruitment=_ONLINE,
        apps=("Telegram", "Facebook", "TikTok", "WhatsApp"),
        roles=("RecruiterOrIntermediary", "BrokerTravelAgent", "Transporter"),
        hubs=("myawaddy", "golden_triangle", "tachileik"),
        broker_share=0.9,
    ),
    Profile(
        "fishing",
        7,
        ("ForcedLabour",),
        "Fishing crew held at sea ({place})",
        subtype="FishingAtSea",
        industry="A_AgricultureForestryAndFishing",
        destination=("TH", "MY", "ID", "KH"),
        victims=((1, 3), (2, 3), (3, 2), (5, 1)),
        female_share=0.02,
        ages=(16, 45),
        controls=(
            "DebtBondage",
            "WithholdsDocuments",
            "ExcessiveWorkingHours",
            "PhysicalAbuse",
            "TakesEarnings",
        ),
        affinity={"KH-9": 5, "KH-18": 3, "KH-7": 3, "KH-2": 1.5, "KH-14": 1.5},
        roles=("Exploiter", "BrokerTravelAgent", "Transporter"),
        broker_share=0.6,
    ),
    Profile(
        "construction",
        7,
        ("ForcedLabour",),
        "Construction workers unpaid ({place})",
        subtype="Construction",
        industry="F_Construction",
        destination=("TH", "MY", "KH"),
        victims=((1, 3), (2, 3), (3, 2), (4, 1)),
        female_share=0.2,
        ages=(18, 50),
        controls=("TakesEarnings", "WithholdsDocuments", "ExcessiveWorkingHours", "FalsePromises"),
        recruitment=("ThroughFriendsOrSocialEvents", "AtWork", "ThroughFamilyOrFamilyEvents"),
        apps=("Facebook",),
        affinity={"KH-1": 2, "KH-22": 2, "KH-2": 1.5},
        roles=("Exploiter", "BrokerTravelAgent", "Smuggler"),
        broker_share=0.6,
    ),
    Profile(
        "brick_kiln",
        6,
        ("ForcedLabour",),
        "Debt bondage at a brick kiln ({place})",
        subtype="BrickKiln",
        industry="C_Manufacturing",
        victims=((1, 3), (2, 3), (4, 2), (6, 1)),
        female_share=0.45,
        ages=(10, 55),
        controls=("DebtBondage", "RestrictsMovement", "ExcessiveWorkingHours"),
        recruitment=("ThroughFamilyOrFamilyEvents", "AtWork"),
        affinity={"KH-8": 5, "KH-5": 3, "KH-4": 3, "KH-12": 1.5, "KH-3": 2},
        roles=("Exploiter",),
        broker_share=0.2,
    ),
    Profile(
        "agriculture",
        7,
        ("ForcedLabour",),
        "Farm workers exploited ({place})",
        subtype="Agriculture",
        industry="A_AgricultureForestryAndFishing",
        destination=("TH", "KH"),
        victims=((1, 3), (2, 3), (3, 2), (4, 1)),
        ages=(15, 50),
        controls=("TakesEarnings", "DebtBondage", "ExcessiveWorkingHours", "Threats"),
        recruitment=("ThroughFriendsOrSocialEvents", "ThroughFamilyOrFamilyEvents"),
        affinity={"KH-1": 2, "KH-2": 2, "KH-22": 2.5, "KH-24": 2.5, "KH-15": 2},
        roles=("Exploiter", "Smuggler", "BrokerTravelAgent"),
        broker_share=0.5,
    ),
    Profile(
        "domestic",
        7,
        ("ForcedLabour",),
        "Domestic worker held ({place})",
        subtype="DomesticWork",
        industry="T_ActivitiesOfHouseholdsAsEmployers",
        destination=("MY", "TH", "CN", "SA", "KH"),
        female_share=0.95,
        ages=(16, 45),
        controls=(
            "WithholdsDocuments",
            "RestrictsMovement",
            "TakesEarnings",
            "PsychologicalAbuse",
            "PhysicalAbuse",
        ),
        recruitment=(
            "AtAPlaceOfBusiness",
            "ThroughFriendsOrSocialEvents",
            "ThroughAnOnlineAdvertisement",
        ),
        apps=("Facebook", "TikTok"),
        roles=("Exploiter", "BrokerTravelAgent"),
        broker_share=0.7,
    ),
    Profile(
        "sexual",
        17,
        ("SexualExploitation",),
        "Sexual exploitation at a venue ({place})",
        destination=("KH", "TH", "MY", "CN"),
        victims=((1, 5), (2, 3), (3, 2)),
        female_share=0.92,
        ages=(14, 30),
        controls=(
            "DebtBondage",
            "Threats",
            "PsychoactiveSubstances",
            "SexualAbuse",
            "RestrictsMovement",
            "TakesEarnings",
        ),
        recruitment=(
            "ThroughOnlineSocialNetworks",
            "ThroughFriendsOrSocialEvents",
            "AtAPlaceOfBusiness",
        ),
        apps=("Facebook", "Telegram", "TikTok"),
        affinity={"KH-12": 2, "KH-17": 2, "KH-18": 2, "KH-1": 1.5, "KH-2": 1.5},
        roles=("Exploiter", "RecruiterOrIntermediary", "Abuser", "HarbouredIndividual"),
        broker_share=0.4,
    ),
    Profile(
        "marriage",
        12,
        ("ForcedMarriage",),
        "Woman sold into marriage ({place})",
        destination=("CN",),
        transit=("VN",),
        female_share=1.0,
        ages=(16, 30),
        controls=(
            "FalsePromises",
            "RestrictsMovement",
            "WithholdsDocuments",
            "SexualAbuse",
            "PsychologicalAbuse",
        ),
        recruitment=(
            "ThroughFamilyOrFamilyEvents",
            "ThroughFriendsOrSocialEvents",
            "ThroughOnlineSocialNetworks",
        ),
        apps=("Facebook", "WeChat"),
        affinity={"KH-3": 3, "KH-14": 3, "KH-21": 2, "KH-25": 3, "KH-5": 2, "KH-12": 1.5},
        roles=("BrokerTravelAgent", "RecruiterOrIntermediary", "BoughtIndividual"),
        broker_share=0.85,
    ),
    Profile(
        "surrogacy",
        3,
        ("Surrogacy",),
        "Illegal surrogacy arrangement ({place})",
        destination=("KH", "CN"),
        victims=((1, 3), (2, 1), (3, 1)),
        female_share=1.0,
        ages=(20, 35),
        controls=("FalsePromises", "RestrictsMovement", "TakesEarnings"),
        recruitment=("ThroughFriendsOrSocialEvents", "ThroughOnlineSocialNetworks"),
        apps=("Facebook", "WeChat"),
        affinity={"KH-12": 4, "KH-8": 2, "KH-5": 1.5},
        roles=("Exploiter", "RecruiterOrIntermediary"),
        broker_share=0.6,
    ),
    Profile(
        "begging",
        8,
        ("ForcedBegging",),
        "Children forced to beg ({place})",
        destination=("TH", "VN", "KH"),
        victims=((1, 3), (2, 3), (3, 2), (4, 1)),
        female_share=0.5,
        ages=(5, 15),
        controls=("TakesEarnings", "Threats", "PhysicalAbuse", "UsesChildren"),
        recruitment=("ThroughFamilyOrFamilyEvents",),
        affinity={"KH-1": 3, "KH-20": 2, "KH-12": 2, "KH-14": 2},
        roles=("Exploiter", "Transporter", "Smuggler"),
        broker_share=0.4,
    ),
)

# Organisations the demo uses (invented names). (name, Khmer name, type, province)
NATIONAL_POLICE = "Anti-Human Trafficking and Juvenile Protection Department"
SECRETARIAT = "NCCT Permanent Secretariat"
IMMIGRATION = "General Department of Immigration"
CASEWORKER_NGO = "Lantern Path Shelter"
NGOS: tuple[tuple[str, str, float, tuple[str, ...]], ...] = (
    # name, province, referral weight, services offered
    (CASEWORKER_NGO, "KH-12", 6, ("shelter", "psychosocial", "medical")),
    ("Mekong Safe Return Network", "KH-1", 3, ("repatriation", "shelter")),
    ("Riverbank Legal Aid", "KH-12", 2, ("legal",)),
    ("Lotus Pond Children's Home", "KH-17", 2, ("shelter", "education")),
    ("Coastline Workers' Support", "KH-18", 2, ("livelihood", "legal", "repatriation")),
    ("Tonle Women's Haven", "KH-2", 2, ("shelter", "psychosocial")),
    ("Bamboo Bridge Reintegration", "KH-20", 1.5, ("livelihood", "education")),
)
COMPOUNDS: tuple[tuple[str, str, str], ...] = (
    # invented compound or venue name, hub key, organisation type
    ("Golden Fortune Tech Park", "sihanoukville", "CompoundOrVenue"),
    ("Ocean Pearl Resort Complex", "sihanoukville", "CompoundOrVenue"),
    ("Border Star Plaza", "poipet_hub", "CompoundOrVenue"),
    ("Jade River Compound", "bavet_hub", "CompoundOrVenue"),
    ("Northern Lights Entertainment City", "osmach_hub", "CompoundOrVenue"),
)


def police_unit(province_name: str) -> str:
    """The provincial police anti-trafficking office of a province."""
    return f"{province_name} Provincial Police, Anti-Human Trafficking Office"


def court(province_name: str) -> str:
    return f"{province_name} Court of First Instance"
