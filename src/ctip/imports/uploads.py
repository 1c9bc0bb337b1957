"""A previewed upload kept between the preview and the import (a few minutes, one user).

The file is stored encrypted under the data directory with what the user chose (source,
province, mapping, encoding) and the cells they corrected, under a random token bound to the
user; it is deleted when the import is done. Uploads previewed but never imported are deleted
once older than ``CTIP_IMPORT_UPLOAD_TTL_HOURS``, checked each time a new upload is kept.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ctip.auth.scope import Actor
from ctip.config import Settings
from ctip.errors import NotFound
from ctip.security import keyring


@dataclass
class Upload:
    token: str
    user_id: int | None
    filename: str
    source: str
    province: str | None = None
    mapping: str | None = None
    encoding: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    fixes: dict[str, dict[str, str]] = field(default_factory=dict)

    def corrections(self) -> dict[int, dict[str, str]]:
        return {int(row): cells for row, cells in self.fixes.items()}


def _folder(settings: Settings) -> Path:
    folder = settings.data_dir / "uploads" / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _path(settings: Settings, token: str) -> Path:
    if not token.replace("-", "").replace("_", "").isalnum():
        raise NotFound("this upload has expired; send the file again")
    return _folder(settings) / f"{token}.bin"


def save(settings: Settings, upload: Upload, data: bytes) -> None:
    payload = json.dumps({"meta": asdict(upload), "data": base64.b64encode(data).decode()})
    _path(settings, upload.token).write_bytes(keyring().encrypt(payload))


def purge_expired(settings: Settings, now: float | None = None) -> int:
    """Delete the kept uploads older than the TTL setting; how many were deleted."""
    limit = (now if now is not None else time.time()) - settings.import_upload_ttl_hours * 3600
    deleted = 0
    for path in _folder(settings).glob("*.bin"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                deleted += 1
        except FileNotFoundError:  # another request deleted it first
            continue
    return deleted


def new(
    settings: Settings,
    actor: Actor,
    data: bytes,
    *,
    filename: str,
    source: str,
    province: str | None = None,
    mapping: str | None = None,
    encoding: str | None = None,
) -> Upload:
    purge_expired(settings)
    upload = Upload(
        token=secrets.token_urlsafe(18),
        user_id=actor.id,
        filename=filename,
        source=source,
        province=province,
        mapping=mapping,
        encoding=encoding,
    )
    save(settings, upload, data)
    return upload


def load(settings: Settings, actor: Actor, token: str) -> tuple[Upload, bytes]:
    """The upload if it exists and belongs to ``actor`` (else not found)."""
    path = _path(settings, token)
    if not path.exists():
        raise NotFound("this upload has expired; send the file again")
    payload = json.loads(keyring().decrypt(path.read_bytes()))
    upload = Upload(**payload["meta"])
    if upload.user_id != actor.id:
        raise NotFound("this upload has expired; send the file again")
    return upload, base64.b64decode(payload["data"])


def delete(settings: Settings, token: str) -> None:
    _path(settings, token).unlink(missing_ok=True)
