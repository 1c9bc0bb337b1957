"""The bare references as an app factory for a server process: ``bench.reference:create_app``
serves :func:`bench.bench_registry.reference_app` over ``CTIP_DATABASE_URL``, with the
keyring of ``CTIP_DATA_DIR`` (the single-case JSON decrypts the summary, as CTIP does)."""

from __future__ import annotations

from typing import Any


def create_app() -> Any:
    from bench.bench_registry import reference_app
    from ctip.config import Settings
    from ctip.security import load_keyring, set_keyring

    settings = Settings()
    set_keyring(load_keyring(settings))
    return reference_app(settings.resolved_database_url)
