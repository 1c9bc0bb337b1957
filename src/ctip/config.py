"""One typed settings object; every setting is read from a ``CTIP_`` environment variable.

Each field's description is the documentation shown in ``docs/configuration.md``;
a test fails when a setting is undocumented there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET_KEY = "development-only-secret-key-change-me"


class Settings(BaseSettings):
    """CTIP configuration (environment variables prefixed ``CTIP_``)."""

    model_config = SettingsConfigDict(env_prefix="CTIP_", extra="ignore")

    env: Literal["development", "test", "production"] = Field(
        "development",
        description="development creates a local key file on first use; production refuses "
        "development keys and the demo secret key.",
    )
    data_dir: Path = Field(
        Path("var"), description="Directory for key files, uploads and the default SQLite database."
    )
    database_url: str = Field(
        "",
        description="SQLAlchemy URL; default is a SQLite file ctip.sqlite3 in the data directory.",
    )
    secret_key: str = Field(DEV_SECRET_KEY, description="Signs session cookies and CSRF tokens.")
    key_file: Path | None = Field(
        None,
        description="JSON key file with the AES-GCM data keys and "
        "the blind-index key; default <data_dir>/keys/ctip-keys.json.",
    )
    encryption_key: str = Field(
        "", description="Base64 32-byte AES-GCM key; overrides the key file's data key when set."
    )
    blind_index_key: str = Field(
        "",
        description="Base64 32-byte HMAC key for blind indexes; overrides the key file's when set.",
    )
    default_language: Literal["en", "km"] = Field(
        "en", description="Interface language for visitors who have not chosen one."
    )
    default_phone_region: str = Field(
        "KH", description="Region used to read phone numbers written without a country code."
    )
    page_size: int = Field(50, ge=1, le=500, description="Rows per page in lists.")
    request_threads: int = Field(
        16,
        ge=1,
        le=200,
        description="Worker threads per process that run requests (the database session, "
        "the service call and the page); further requests wait for a free one.",
    )
    token_ttl_hours: int = Field(12, ge=1, description="Lifetime of API bearer tokens.")
    session_max_age: int = Field(
        8 * 3600, ge=300, description="Lifetime of a log-in session cookie in seconds."
    )
    secure_cookies: bool | None = Field(
        None,
        description="Mark cookies Secure (sent over HTTPS only); unset means on in production "
        "and off otherwise.",
    )
    referral_due_days: int = Field(
        7, ge=1, description="Days after which an unanswered referral is shown as overdue."
    )
    hotline_numbers: str = Field(
        "1288", description="Comma-separated hotline numbers shown to the public."
    )
    offers_preload: bool | None = Field(
        None,
        description="Load (or train, once) the offer checker's model and language identifier "
        "when the server starts, so the first check is as fast as the rest (default: on, "
        "except with CTIP_ENV=test).",
    )
    khmer_font: Path | None = Field(
        None,
        description="Khmer TrueType font served to browsers and "
        "used in PDFs; default: the installed Khmer OS font.",
    )

    # linkage (issue 7 §1-2)
    linkage_threshold: float = Field(
        0.9,
        ge=0.0,
        le=1.0,
        description="Match probability at or above which two person records are clustered "
        "as one resolved person (ctip link run --threshold overrides it).",
    )
    linkage_floor: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Lowest match probability stored and shown as a possible match.",
    )
    linkage_hidden_hint: bool = Field(
        True,
        description="Tell a reader that a possible match exists in a record they cannot see "
        "(without revealing it); off hides such matches entirely.",
    )
    linkage_spark_master: str = Field(
        "local[2]",
        description="Spark master URL for ctip link --engine spark (local mode by default).",
    )

    # statistics (issue 8 §1-3, §6)
    stats_copy_path: str = Field(
        "",
        description="DuckDB file of the statistics' analytic copy; default "
        "<data_dir>/stats/analytic.duckdb, ':memory:' keeps it in memory.",
    )
    stats_copy_attach: bool = Field(
        True,
        description="Build the analytic copy by attaching the registry read-only through "
        "DuckDB's offline sqlite/postgres extension (off: read through the registry session).",
    )
    stats_copy_max_age_hours: int = Field(
        24,
        ge=0,
        description="Rebuild the analytic copy from scratch when it is older than this "
        "(0: only incremental refreshes).",
    )
    stats_stalled_days: int = Field(
        180, ge=1, description="A case with no timeline event for this many days is stalled."
    )
    stats_goal_figures_max_age_seconds: int = Field(
        600,
        ge=0,
        description="The dashboard's goal panel shows stored goal figures and recomputes them "
        "in the background when older than this (seconds) or computed on another day.",
    )

    # imports and HTCDS exports (issue 10)
    import_max_upload_mb: int = Field(
        20, ge=1, description="Largest file an import accepts, in MB (page and command line)."
    )
    import_max_uncompressed_mb: int = Field(
        50,
        ge=1,
        description="Largest uncompressed size of an XLSX or zip import, in MB, read from the "
        "zip directory before anything is parsed (refuses zip bombs).",
    )
    import_upload_ttl_hours: int = Field(
        24,
        ge=1,
        description="Previewed uploads never imported are deleted after this many hours "
        "(checked at each new preview).",
    )

    # publication with disclosure control and partner exports (issue 8 §4-5)
    disclosure_k: int = Field(
        11,
        ge=2,
        description="Public tables and the CTDC export suppress counts below this (CTDC used 11).",
    )
    privacy_epsilon: float = Field(
        4.0, gt=0, description="Default ε of a differentially private release of counts."
    )
    privacy_budget_per_year: float = Field(
        8.0,
        gt=0,
        description="Total ε the differentially private releases of one year's data may spend.",
    )
    dhis2_mapping: Path | None = Field(
        None,
        description="JSON or YAML file mapping figures to DHIS2 data elements, category option "
        "combos and org units (see docs/publication.md).",
    )

    # security (issue 9 §0, §4)
    actor_cache_seconds: float = Field(
        2.0,
        ge=0,
        le=10,
        description="How long a worker keeps who is behind a token or log-in session "
        "(0: off). Log-out, password change and deactivation take effect at once in the "
        "worker that makes them, in the others within this time.",
    )
    audit_seal_seconds: float = Field(
        30.0,
        ge=0,
        description="Least time between two opportunistic audit seals in one process (after a "
        "commit that wrote audit entries; 0: after every such commit). Entries not yet sealed "
        "are protected by their own keyed hash only; `ctip audit seal` seals at once.",
    )
    session_idle_seconds: int = Field(
        3600,
        ge=60,
        description="A log-in session unused this long ends (idle timeout); "
        "CTIP_SESSION_MAX_AGE is the absolute timeout.",
    )
    login_max_failures_account: int = Field(
        5,
        ge=1,
        description="Failed log-ins for one username within CTIP_LOGIN_WINDOW_SECONDS after "
        "which that username is locked (429) until the window passes or an admin unlocks it.",
    )
    login_max_failures_address: int = Field(
        20,
        ge=1,
        description="Failed log-ins from one client address within CTIP_LOGIN_WINDOW_SECONDS "
        "after which that address is locked (429).",
    )
    login_window_seconds: int = Field(
        900, ge=10, description="Window over which failed log-ins are counted."
    )
    password_min_length: int = Field(
        10, ge=8, le=128, description="Shortest password accepted for a new or changed password."
    )
    trusted_proxies: str = Field(
        "",
        description="Comma-separated addresses or networks (CIDR) of reverse proxies whose "
        "X-Forwarded-For header is believed; empty (the default) trusts none.",
    )
    hsts_seconds: int = Field(
        31536000,
        ge=0,
        description="max-age of the Strict-Transport-Security header sent in production "
        "(0 sends none).",
    )
    max_body_bytes: int = Field(
        1_048_576,
        ge=1024,
        description="Largest request body accepted (413 beyond), except file uploads.",
    )
    max_upload_bytes: int = Field(
        10_485_760,
        ge=1024,
        description="Largest multipart (file upload) request body accepted (413 beyond).",
    )
    roster_max_rows: int = Field(20000, ge=1, description="Most data rows a roster file may hold.")
    roster_max_unpacked_bytes: int = Field(
        104_857_600,
        ge=1024,
        description="Largest total uncompressed size of an XLSX roster's parts (a zip bomb "
        "guard; the file is refused before it is opened).",
    )
    offer_checks_per_minute: int = Field(
        30, ge=1, description="Public offer checks allowed per client address per minute."
    )
    offer_rate_limit_shared: bool = Field(
        True,
        description="Count public offer checks in the database, so the limit holds across "
        "worker processes (off: each process counts alone).",
    )

    @property
    def cookies_secure(self) -> bool:
        """Whether cookies carry the Secure flag."""
        return self.is_production if self.secure_cookies is None else self.secure_cookies

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'ctip.sqlite3').as_posix()}"

    @property
    def resolved_key_file(self) -> Path:
        """Where the key file lives."""
        return self.key_file or self.data_dir / "keys" / "ctip-keys.json"

    @property
    def is_production(self) -> bool:
        return self.env == "production"
