"""Every vocabulary value has a written English and Khmer label in one table
(``ctip.labels``), and no label shown is derived from its code."""

from __future__ import annotations

import pytest

from ctip import reference as ref
from ctip.auth.models import ROLES
from ctip.cases.lifecycle import STATUSES, status_label
from ctip.i18n import label_in
from ctip.labels import LABELS
from ctip.referrals.service import STATUSES as REFERRAL_STATUSES
from ctip.screening.decision import RESULTS
from ctip.screening.flags import FLAG_STATUSES
from ctip.screening.questionnaire import SOURCES

VOCABULARIES: dict[str, tuple[str, ...]] = {
    "case statuses": STATUSES,
    "person roles": ref.PERSON_ROLES,
    "genders": ref.GENDERS,
    "trafficking statuses": ref.TRAFFICKING_STATUSES,
    "deciding organisations": ref.DECIDING_ORG_TYPES,
    "exploitation types": ref.EXPLOITATION_TYPES,
    "forced-labour sub-types": ref.FORCED_LABOUR_SUBTYPES,
    "ISIC sections": ref.ISIC_SECTIONS,
    "methods of control": ref.METHODS_OF_CONTROL,
    "recruitment methods": ref.RECRUITMENT_METHODS,
    "recruitment apps": ref.RECRUITMENT_APPS,
    "perpetrator roles": ref.PERPETRATOR_ROLES,
    "custody": ref.CUSTODY_STATUSES,
    "organisation types": ref.ORG_TYPES,
    "referral reasons": ref.REFERRAL_REASONS,
    "referral services": ref.REFERRAL_SERVICES,
    "referral statuses": REFERRAL_STATUSES,
    "identifier types": ref.IDENTIFIER_TYPES,
    "social platforms": ref.SOCIAL_PLATFORMS,
    "event types": ref.EVENT_TYPES,
    "screening results": RESULTS,
    "flag statuses": FLAG_STATUSES,
    "answer sources": SOURCES,
    "user roles": ROLES,
    "support services": ref.SUPPORT_TYPES,
    "support statuses": ref.SUPPORT_STATUSES,
}
CODES = sorted({code for codes in VOCABULARIES.values() for code in codes})


def khmer(text: str) -> bool:
    return any("\u1780" <= ch <= "\u17ff" for ch in text)


@pytest.mark.parametrize("code", CODES)
def test_every_code_has_a_written_english_and_khmer_label(code):
    english, km = LABELS[code]
    assert label_in(code, "en") == english and english.strip()
    assert label_in(code, "km") == km and (khmer(km) or km == code == "QQ")


@pytest.mark.parametrize(
    ("code", "english"),
    [
        ("NotAVictimOfTrafficking", "Not a victim of trafficking"),
        ("AtAPlaceOfBusiness", "At a place of business"),
        ("ThroughATelevisionAdvert", "Through a television advert"),
        ("WhatsApp", "WhatsApp"),
        ("TikTok", "TikTok"),
        ("QQ", "QQ"),
        ("NonSpecifiedUnknown", "Not specified or unknown"),
        ("Feminine", "Female"),
        ("Masculine", "Male"),
        ("NGO", "NGO"),
        ("ngo_caseworker", "NGO case worker"),
        ("screened", "Screened person"),
    ],
)
def test_labels_that_were_made_from_codes_read_as_written(code, english):
    assert label_in(code, "en") == english


def test_statuses_inside_sentences_use_the_written_label():
    assert status_label("under_investigation", "en") == "under investigation"
    assert status_label("under_investigation", "km") == LABELS["under_investigation"][1]
