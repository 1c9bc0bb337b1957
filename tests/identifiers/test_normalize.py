"""Normalisation of identifier values: one row per rule (add a row for each bug fixed)."""

from __future__ import annotations

import pytest

from ctip.identifiers.normalize import index_form, normalise, raw_key, search_forms

KH_PHONE = "+85512345678"


@pytest.mark.parametrize(
    ("id_type", "raw", "expected"),
    [
        # phones → E.164, default region Cambodia
        ("phone", "+855 12 345 678", KH_PHONE),
        ("phone", "012345678", KH_PHONE),
        ("phone", "855-12-345-678", KH_PHONE),
        ("phone", "012 345 678", KH_PHONE),
        ("phone", "(012) 345-678", KH_PHONE),
        ("phone", "012.345.678", KH_PHONE),
        ("phone", "12 345 678", KH_PHONE),
        ("phone", "85512345678", KH_PHONE),
        ("phone", "+855 012 345 678", KH_PHONE),
        ("phone", "00855 12 345 678", KH_PHONE),
        ("phone", "tel:+85512345678", KH_PHONE),
        ("phone", "០១២ ៣៤៥ ៦៧៨", KH_PHONE),
        ("phone", "๐๑๒ ๓๔๕ ๖๗๘", KH_PHONE),
        ("phone", "０１２３４５６７８", KH_PHONE),
        ("phone", "097 123 4567", "+855971234567"),
        ("phone", "+66 81 234 5678", "+66812345678"),
        ("phone", "0066812345678", "+66812345678"),
        ("phone", "001 66 81 234 5678", "+66812345678"),
        ("phone", "+84 912 345 678", "+84912345678"),
        # social-media handles: no @, no link prefix, lower-case
        ("social_handle", "@Broker_KH", "broker_kh"),
        ("social_handle", "Broker_KH", "broker_kh"),
        ("social_handle", "https://t.me/Broker_KH", "broker_kh"),
        ("social_handle", "t.me/broker_kh/", "broker_kh"),
        ("social_handle", "telegram.me/Broker_KH", "broker_kh"),
        ("social_handle", "https://www.facebook.com/some.one", "some.one"),
        ("social_handle", "tiktok.com/@JobsAbroad", "jobsabroad"),
        # e-mail: trimmed, lower-case
        ("email", " Someone@Example.COM ", "someone@example.com"),
        # documents and accounts: letters and digits only, upper-case
        ("passport", "N 0123 4567", "N01234567"),
        ("passport", "n0123-4567", "N01234567"),
        ("national_id", "០១២៣៤៥៦៧៨", "012345678"),
        ("bank_account", "001-234-567 89", "00123456789"),
        ("vehicle_plate", "PP 2A-1234", "PP2A1234"),
        # wallets: EVM addresses lower-cased, base58 (Tron, Bitcoin) kept as written
        (
            "crypto_wallet",
            "0xAbCdEf0123456789abcdef0123456789ABCDEF01",
            "0xabcdef0123456789abcdef0123456789abcdef01",
        ),
        (
            "crypto_wallet",
            " TXYZabcdefghijkmnopqrstuvwxyz1234 ",
            "TXYZabcdefghijkmnopqrstuvwxyz1234",
        ),
        (
            "crypto_wallet",
            "1BoatSLRHtKNngkdXEeobR76b53LETtpyT",
            "1BoatSLRHtKNngkdXEeobR76b53LETtpyT",
        ),
    ],
)
def test_normalised_form(id_type, raw, expected):
    result = normalise(id_type, raw)
    assert (result.value, result.problem, result.valid) == (expected, None, True)


@pytest.mark.parametrize(
    ("id_type", "raw", "problem"),
    [
        ("phone", "12345", "not a valid phone number"),
        ("phone", "call me", "not a phone number"),
        ("phone", "+855-12-345-678 (Telegram)", "not a valid phone number"),
        ("phone", "   ", "empty"),
        ("social_handle", "two words", "not a handle"),
        ("social_handle", "@", "not a handle"),
        ("email", "not-an-email", "not an e-mail address"),
        ("email", "a@b", "not an e-mail address"),
        ("passport", "AB1", "too short"),
        ("crypto_wallet", "hello", "not a recognised wallet address"),
        ("crypto_wallet", "0x1234", "not a recognised wallet address"),
    ],
)
def test_unparseable_value_is_reported_not_dropped(id_type, raw, problem):
    result = normalise(id_type, raw)
    assert (result.value, result.problem, result.valid) == (None, problem, False)


@pytest.mark.parametrize(
    ("id_type", "raw", "purpose", "form"),
    [
        ("phone", "012 345 678", "phone", KH_PHONE),
        ("phone", "12345", "raw", "12345"),
        ("phone", "  Call  ME ", "raw", "call me"),
        ("social_handle", "@Broker_KH", "social_handle", "broker_kh"),
    ],
)
def test_index_form_falls_back_to_the_raw_key(id_type, raw, purpose, form):
    assert index_form(id_type, raw)[:2] == (purpose, form)


@pytest.mark.parametrize("query", ["+855 12 345 678", "012345678", "855-12-345-678"])
def test_search_forms_read_a_phone_every_way(query):
    forms = search_forms(query)
    assert ("phone", KH_PHONE) in forms and ("raw", raw_key(query)) in forms


def test_unknown_type_is_a_programming_error():
    with pytest.raises(ValueError):
        normalise("shoe_size", "42")
