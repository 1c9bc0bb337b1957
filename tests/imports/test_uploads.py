"""Previewed uploads never imported are deleted once older than CTIP_IMPORT_UPLOAD_TTL_HOURS,
at the next preview; recent ones (and the new one) stay."""

from __future__ import annotations

import os
import time

import pytest

from ctip.errors import NotFound
from ctip.imports import uploads


def test_a_new_preview_deletes_uploads_older_than_the_ttl(make_actor, settings):
    officer = make_actor(province="KH-1")
    settings.import_upload_ttl_hours = 2
    old = uploads.new(settings, officer, b"old", filename="old.csv", source="csv")
    recent = uploads.new(settings, officer, b"recent", filename="recent.csv", source="csv")
    folder = settings.data_dir / "uploads" / "imports"
    three_hours_ago = time.time() - 3 * 3600
    os.utime(folder / f"{old.token}.bin", (three_hours_ago, three_hours_ago))
    fresh = uploads.new(settings, officer, b"fresh", filename="fresh.csv", source="csv")
    with pytest.raises(NotFound):
        uploads.load(settings, officer, old.token)
    assert uploads.load(settings, officer, recent.token)[1] == b"recent"
    assert uploads.load(settings, officer, fresh.token)[1] == b"fresh"
    assert sorted(p.stem for p in folder.glob("*.bin")) == sorted([recent.token, fresh.token])


@pytest.mark.parametrize("age_hours, kept", [(0.5, True), (1.9, True), (2.1, False), (48, False)])
def test_purge_by_age(make_actor, settings, age_hours, kept):
    officer = make_actor(province="KH-1")
    settings.import_upload_ttl_hours = 2
    upload = uploads.new(settings, officer, b"x", filename="x.csv", source="csv")
    path = settings.data_dir / "uploads" / "imports" / f"{upload.token}.bin"
    now = time.time()
    os.utime(path, (now - age_hours * 3600, now - age_hours * 3600))
    assert uploads.purge_expired(settings, now=now) == (0 if kept else 1)
    assert path.exists() is kept
