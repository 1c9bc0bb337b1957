"""The application factory: nothing is created at import time."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, nullcontext
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware

from ctip.api_errors import API_ERROR_RESPONSES
from ctip.audit.service import set_seal_interval
from ctip.config import Settings
from ctip.db.session import defers_read_audit, engine_for, session_factory
from ctip.security import check_production_safety, load_keyring, set_keyring
from ctip.web import errors, fonts, hardening, language
from ctip.web.deps import bound_pool
from ctip.web.render import make_templates
from ctip.web.serving import sqlite_write_lock

# Packages whose ``views`` module contributes ``router`` (pages) and/or ``api_router``.
VIEW_PACKAGES = (
    "auth",
    "dashboard",
    "cases",
    "persons",
    "identifiers",
    "referrals",
    "orgs",
    "audit",
    "screening",
    "offers",
    "linkage",
    "network",
    "stats",
    "imports",
    "support",
    "retention",
)
STATIC = Path(__file__).parent / "static"
# gzip: zlib's default level. Level 9 (Starlette's default) made the 21 KB case list 2 %
# smaller (3,144 against 3,199 bytes) for 30 % more CPU (0.16 against 0.12 ms a page).
GZIP_LEVEL = 6
GZIP_MINIMUM_SIZE = 800


def _include_views(app: FastAPI) -> None:
    for name in VIEW_PACKAGES:
        try:
            module = importlib.import_module(f"ctip.{name}.views")
        except ModuleNotFoundError as exc:
            if exc.name in (f"ctip.{name}", f"ctip.{name}.views"):
                continue
            raise
        if hasattr(module, "router"):
            app.include_router(module.router)
        if hasattr(module, "api_router"):
            app.include_router(module.api_router, prefix="/api/v1", responses=API_ERROR_RESPONSES)


@asynccontextmanager
async def _bounded_pool(app: FastAPI) -> AsyncIterator[None]:
    """At start-up, bound the request thread pool (``CTIP_REQUEST_THREADS``)."""
    bound_pool(app.state.settings.request_threads)
    yield


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the CTIP web application for ``settings`` (default: from the environment)."""
    settings = settings or Settings()
    check_production_safety(settings)
    set_keyring(load_keyring(settings))
    set_seal_interval(settings.audit_seal_seconds)
    app = FastAPI(
        title="CTIP",
        version="1",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=_bounded_pool,
    )
    app.state.settings = settings
    app.state.engine = engine_for(settings)
    app.state.sessions = session_factory(app.state.engine)
    app.state.write_sessions = session_factory(app.state.engine, writer=True)
    app.state.defer_read_audit = defers_read_audit(app.state.engine)
    # SQLite has one writer at a time; queueing audit writes on a lock (threads, and every
    # worker process through a lock file: ctip.web.serving) is fairer and faster than SQLite's
    # busy handler, which sleeps in steps of up to 100 ms. (Held only around those short
    # writes, never across a request.)
    app.state.write_lock = (
        sqlite_write_lock(app.state.engine.url.database)
        if app.state.defer_read_audit
        else nullcontext()
    )
    app.state.templates = make_templates(auto_reload=settings.env == "development")
    app.add_middleware(language.LanguageMiddleware, default=settings.default_language)
    # A Khmer form: 61 KB → about 7 KB. Not the 19 MB CJK font (font/otf, already compact):
    # gzip saved 20 % of it for 3 s of CPU on every request.
    app.add_middleware(
        GZipMiddleware,
        minimum_size=GZIP_MINIMUM_SIZE,
        compresslevel=GZIP_LEVEL,
        exclude_content_types=(*DEFAULT_EXCLUDED_CONTENT_TYPES, "font/otf"),
    )
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="ctip_session",
        max_age=settings.session_max_age,
        same_site="lax",
        https_only=settings.cookies_secure,
    )
    app.add_middleware(
        hardening.BodyLimitMiddleware,
        max_body=settings.max_body_bytes,
        max_upload=settings.max_upload_bytes,
    )
    app.add_middleware(
        hardening.SecurityHeadersMiddleware,
        hsts_seconds=settings.hsts_seconds if settings.is_production else 0,
    )
    fonts.install(app, settings)  # Khmer, Thai and Chinese fallback fonts
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    errors.install(app)
    language.install(app)

    @app.get("/healthz", include_in_schema=False)
    def healthz(request: Request) -> dict[str, str]:
        return {"status": "ok"}

    _include_views(app)
    return app
