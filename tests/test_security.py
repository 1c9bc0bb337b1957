"""Keys, encryption and production safety."""

from __future__ import annotations

import base64
import json
import secrets

import pytest

from ctip.config import DEV_SECRET_KEY, Settings
from ctip.security import (
    KeyConfigError,
    Keyring,
    create_key_file,
    hash_password,
    load_keyring,
    verify_password,
)


def test_encrypt_round_trip_and_fresh_nonce():
    ring = Keyring({1: secrets.token_bytes(32)}, 1, secrets.token_bytes(32))
    first, second = ring.encrypt("Chea Sokha"), ring.encrypt("Chea Sokha")
    assert first != second
    assert b"Sokha" not in first
    assert ring.decrypt(first) == ring.decrypt(second) == "Chea Sokha"


def test_rotated_key_still_decrypts_old_rows():
    old, new = secrets.token_bytes(32), secrets.token_bytes(32)
    blob = Keyring({1: old}, 1, b"x" * 32).encrypt("ស្រី")
    assert Keyring({1: old, 2: new}, 2, b"x" * 32).decrypt(blob) == "ស្រី"


def test_blind_index_is_keyed_and_purpose_bound():
    a = Keyring({1: b"k" * 32}, 1, b"a" * 32)
    b = Keyring({1: b"k" * 32}, 1, b"b" * 32)
    assert a.blind_index("id:phone", "+85512345678") == a.blind_index("id:phone", "+85512345678")
    assert a.blind_index("id:phone", "+85512345678") != b.blind_index("id:phone", "+85512345678")
    assert a.blind_index("id:phone", "x") != a.blind_index("name:full", "x")


def test_development_creates_a_private_key_file(tmp_path):
    settings = Settings(env="development", data_dir=tmp_path)
    ring = load_keyring(settings)
    path = settings.resolved_key_file
    assert path.exists() and (path.stat().st_mode & 0o777) == 0o600
    assert ring.development is True
    assert load_keyring(settings).data_keys == ring.data_keys


@pytest.mark.parametrize(
    "secret, development_keys, refused",
    [
        (DEV_SECRET_KEY, False, True),
        ("short", False, True),
        ("p" * 40, True, True),
        ("p" * 40, False, False),
    ],
)
def test_production_refuses_development_secrets(tmp_path, secret, development_keys, refused):
    settings = Settings(env="production", data_dir=tmp_path, secret_key=secret)
    create_key_file(settings.resolved_key_file, development=development_keys)
    if refused:
        with pytest.raises(KeyConfigError):
            load_keyring(settings)
    else:
        assert load_keyring(settings).development is False


def test_production_never_creates_keys(tmp_path):
    settings = Settings(env="production", data_dir=tmp_path, secret_key="p" * 40)
    with pytest.raises(KeyConfigError, match="missing"):
        load_keyring(settings)


def test_production_app_refuses_demo_secret(tmp_path):
    from ctip.web.app import create_app

    with pytest.raises(KeyConfigError):
        create_app(Settings(env="production", data_dir=tmp_path))


def test_keys_from_environment(tmp_path):
    key = base64.b64encode(secrets.token_bytes(32)).decode()
    settings = Settings(data_dir=tmp_path, encryption_key=key, blind_index_key=key)
    assert load_keyring(settings).data_keys[1] == base64.b64decode(key)
    assert not settings.resolved_key_file.exists()


def test_malformed_key_is_a_clear_error(tmp_path):
    settings = Settings(
        data_dir=tmp_path, encryption_key="bm90LTMyLWJ5dGVz", blind_index_key="bm90LTMyLWJ5dGVz"
    )
    with pytest.raises(KeyConfigError, match="32 bytes"):
        load_keyring(settings)


def test_key_file_is_json_with_current_key(tmp_path):
    path = tmp_path / "k.json"
    create_key_file(path, development=False)
    doc = json.loads(path.read_text())
    assert doc["current"] == 1 and set(doc) >= {"data_keys", "index_keys", "audit_key"}


def test_passwords_are_argon2_and_verify():
    digest = hash_password("correct-horse-battery")
    assert digest.startswith("$argon2id$")
    assert verify_password(digest, "correct-horse-battery")
    assert not verify_password(digest, "wrong")
    assert not verify_password("not-a-hash", "x")
