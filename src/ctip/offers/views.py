"""The offer checker on the web: the public page ``/check``, ``POST /api/v1/offers/check``,
and the analysts' list of reported offers and scan hits (``/offers``).

The public page and API need no log-in; each client address may check
``CHECKS_PER_MINUTE`` offers a minute (429 after that), and an offer longer than
``MAX_TEXT_CHARS`` is refused (413 for an oversized body, 422 for an oversized text).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from ctip.i18n import PUBLIC_LANGUAGES, catalogue, current_language, set_language
from ctip.offers import service
from ctip.offers.engine import CHECKLIST, CheckResult
from ctip.offers.hotlines import default_hotlines
from ctip.offers.messages import ADVICE, pick
from ctip.offers.models import REPORT_STATUSES
from ctip.offers.schemas import (
    MAX_TEXT_CHARS,
    CheckIn,
    CheckOut,
    IdentifierOut,
    OfferGroupOut,
    ReportedOfferOut,
)
from ctip.web.answers import model_response
from ctip.web.deps import (
    ActorDep,
    FormDep,
    SessionDep,
    SettingsDep,
    client_address,
    request_session,
)
from ctip.web.language import COOKIE
from ctip.web.ratelimit import SharedRateLimiter
from ctip.web.render import render


@asynccontextmanager
async def _ready_at_start(app: Any) -> AsyncIterator[None]:
    """Load the offer model and language identifier when the server starts
    (``CTIP_OFFERS_PRELOAD``; by default on except in tests)."""
    settings = app.state.settings
    preload = settings.offers_preload
    if preload if preload is not None else settings.env != "test":
        await run_in_threadpool(service.warm_up, settings, getattr(app.state, "sessions", None))
        await run_in_threadpool(_warm_web_path, app)
        await _warm_routing(app)
    yield


async def _warm_routing(app: Any) -> None:
    """Send one request through the app in-process (a ``POST`` to a missing path, which
    answers 404 and touches nothing): FastAPI builds its routes' matching state and
    request models on the first request that reaches them, about 0.4 s that the first
    visitor's check would otherwise wait."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/offers/_warm-up",
        "raw_path": b"/api/v1/offers/_warm-up",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"2")],
        "client": ("127.0.0.1", 0),
        "server": ("127.0.0.1", 0),
        "state": {},
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        return None

    with suppress(Exception):  # a warm-up never stops the server from starting
        await app(scope, receive, send)


def _warm_web_path(app: Any) -> None:
    """Pay the web path's own first-use costs at start-up rather than on the first
    visitor's check: the rate limiter's first database write (connection, compiled
    statements; one event counted under a reserved key, never a client address) and the
    request model's validation, including its error path (a bad body answers 422), and
    the interface catalogues (every ``.po`` file is parsed on a language's first use)."""
    for language in PUBLIC_LANGUAGES:
        catalogue(language)
    if getattr(app.state, "write_sessions", None) is not None:
        found = _limiter_of(app)
        if isinstance(found, SharedRateLimiter):
            found.allow("start-up warm-up")
    CheckIn.model_validate({"text": "warm-up"})
    with suppress(ValidationError):
        CheckIn.model_validate({"text": 5})


router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["offers"], lifespan=_ready_at_start)
__all__ = ["api_router", "router"]

CHECKS_PER_MINUTE = 30  # the default of CTIP_OFFER_CHECKS_PER_MINUTE
MAX_BODY_BYTES = 4 * MAX_TEXT_CHARS + 4096  # UTF-8 Khmer is 3 bytes a character, plus JSON


class RateLimiter:
    """At most ``limit`` events per ``window`` seconds per key (in this process)."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit, self.window = limit, window
        self.events: dict[str, deque[float]] = {}

    def allow(self, key: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        seen = self.events.setdefault(key, deque())
        while seen and seen[0] <= now - self.window:
            seen.popleft()
        if len(seen) >= self.limit:
            return False
        seen.append(now)
        if len(self.events) > 100_000:  # forget idle addresses rather than grow forever
            self.events = {k: v for k, v in self.events.items() if v and v[-1] > now - self.window}
        return True


def limiter(request: Request) -> RateLimiter | SharedRateLimiter:
    """The app's limiter for offer checks, created on first use: counted in the database
    (shared by every worker process) unless ``CTIP_OFFER_RATE_LIMIT_SHARED`` is off."""
    return _limiter_of(request.app)


def _limiter_of(app: Any) -> RateLimiter | SharedRateLimiter:
    found: RateLimiter | SharedRateLimiter | None = getattr(app.state, "offer_limiter", None)
    if found is None:
        settings = app.state.settings
        limit = settings.offer_checks_per_minute
        found = (
            SharedRateLimiter(app.state.write_sessions, limit)
            if settings.offer_rate_limit_shared
            else RateLimiter(limit)
        )
        app.state.offer_limiter = found
    return found


def size_guard(request: Request) -> None:
    """Refuse oversized bodies (413) before reading them."""
    size = request.headers.get("content-length", "")
    if size.isdigit() and int(size) > MAX_BODY_BYTES:
        raise HTTPException(413, "the offer is too long")


def allowed(request: Request) -> bool:
    """Whether this address may make another check this minute, counted in a transaction
    of its own."""
    return limiter(request).allow(client_address(request) or "unknown")


async def within_limit(request: Request) -> bool:
    """Count this check; False when the address has used up this minute's checks.

    Answered in the event loop when the limiter can answer from memory (the in-process
    limiter, or the shared one's unspent lease or full window); only a database count
    crosses into a worker thread. As a dependency it runs before the request's own
    transaction begins, so a check that fails later is still counted, and the page's
    transaction does not carry the count."""
    found = limiter(request)
    if isinstance(found, SharedRateLimiter):
        ok = found.allow_locally(client_address(request) or "unknown")
        return await run_in_threadpool(allowed, request) if ok is None else ok
    return found.allow(client_address(request) or "unknown")


WithinLimitDep = Annotated[bool, Depends(within_limit)]


async def guard(request: Request) -> None:
    """Refuse oversized bodies (413) and more than the allowed checks per minute (429)."""
    size_guard(request)
    if not await within_limit(request):
        raise HTTPException(429, "too many checks; wait a minute", headers={"Retry-After": "60"})


@api_router.post("/offers/check", response_model=CheckOut, dependencies=[Depends(guard)])
async def check_offer(request: Request, data: CheckIn) -> Response:
    """Check a job offer: risk, calibrated score, red flags quoting the offer, advice.

    No log-in. Nothing is stored; a phone or handle linked to a suspect or broker only
    makes the answer say so (and is audited by its blind index).
    """
    return await run_in_threadpool(_check_answer, request, data)


def _check_answer(request: Request, data: CheckIn) -> Response:
    """The check in one worker thread: the registry look-up in a read transaction (an
    identifier hit's audit entry is written as reads' entries are, before the answer),
    the answer validated once and serialized once."""
    checker = service.checker_for(request.app.state.settings)
    with request_session(request, reading=True) as session:
        result = service.check(session, checker=checker, text=data.text, lang=data.lang)
    return model_response(CheckOut.of(result))


# --- public page -------------------------------------------------------------------------


def page_language(request: Request) -> str:
    """Khmer unless the visitor chose another of the five languages."""
    chosen = request.query_params.get("lang") or request.cookies.get(COOKIE)
    language = chosen if chosen in PUBLIC_LANGUAGES else "km"
    set_language(language)
    return language


def _page(request: Request, status_code: int = 200, **ctx: Any) -> Response:
    settings = request.app.state.settings
    deployment = [h.strip() for h in settings.hotline_numbers.split(",") if h.strip()]
    result = ctx.get("result")
    hotlines = list(
        result["hotlines"]
        if result
        else default_hotlines().for_reader(current_language(), None, deployment)
    )
    base = {
        "LANGS": PUBLIC_LANGUAGES,
        "hotlines": hotlines,
        "max_chars": MAX_TEXT_CHARS,
        "text": "",
        "contact": "",
        "result": None,
        "reported": None,
        "error": None,
        "general_advice": [
            pick(ADVICE[k], current_language()).format(hotlines=", ".join(hotlines))
            for k in CHECKLIST
        ],
    }
    return render(request, "offers/check.html", {**base, **ctx}, status_code=status_code)


@router.get("/check")
def check_page(request: Request) -> Response:
    """The public offer checker."""
    page_language(request)
    return _page(request)


@router.post("/check", dependencies=[Depends(size_guard)])
def check_submit(
    request: Request,
    within: WithinLimitDep,
    form: FormDep,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """Check a pasted offer; store it only if the visitor ticked "report this offer"."""
    lang = str(form.get("lang") or "") or page_language(request)
    lang = lang if lang in PUBLIC_LANGUAGES else "km"
    set_language(lang)
    text, contact = str(form.get("text") or ""), str(form.get("contact") or "")[:200]
    if not within:  # the visitor gets the page in their language
        return _page(
            request,
            text=text[:MAX_TEXT_CHARS],
            contact=contact,
            status_code=429,
            error="Too many checks from your connection. Wait a minute and try again.",
        )
    if len(text) > MAX_TEXT_CHARS or not text.strip():
        error = "The offer is too long." if text.strip() else "Paste the offer first."
        return _page(
            request, text=text[:MAX_TEXT_CHARS], contact=contact, error=error, status_code=422
        )
    checker = service.checker_for(settings)
    result = service.check(
        session,
        checker=checker,
        text=text + "\nContact: " + contact if contact.strip() else text,
        lang=lang,
    )
    reported = None
    if form.get("report"):
        reported = service.report(session, result=result, text=text, contact=contact).id
    return _page(request, text=text, contact=contact, result=_view(result), reported=reported)


def _view(result: CheckResult) -> dict[str, Any]:
    return {
        "risk": result.risk,
        "score": result.score,
        "summary": result.summary,
        "flags": result.flags,
        "advice": [line for line in result.advice if line not in result.checklist],
        "checklist": result.checklist,
        "hotlines": result.hotlines,
        "reported": result.reported,
        "identifiers": result.identifiers,
    }


# --- analysts ----------------------------------------------------------------------------


def _groups_out(groups: list[service.OfferGroup]) -> list[OfferGroupOut]:
    return [
        OfferGroupOut(
            offers=[ReportedOfferOut.of(o) for o in g.reports],
            identifiers=[IdentifierOut(kind=k, value=v, text=v) for k, v, _ in g.identifiers],
            in_registry=[v for _, v, d in g.identifiers if d in g.in_registry],
        )
        for g in groups
    ]


@router.get("/offers")
def reports_page(
    request: Request, session: SessionDep, actor: ActorDep, status: str = "new"
) -> Response:
    """Reported offers and scan hits, grouped by shared phone numbers and handles."""
    status = status if status in REPORT_STATUSES else "new"
    groups = service.groups(session, actor=actor, status=status)
    return render(
        request,
        "offers/reports.html",
        {"groups": _groups_out(groups), "status": status, "STATUSES": REPORT_STATUSES},
    )


@router.post("/offers/{report_id}/status")
def review(report_id: int, form: FormDep, session: SessionDep, actor: ActorDep) -> Response:
    """Mark a reported offer reviewed or dismissed."""
    service.set_status(
        session, actor=actor, report_id=report_id, status=str(form.get("status") or "")
    )
    return RedirectResponse("/offers", status_code=303)


@api_router.get("/offers/reports", response_model=list[OfferGroupOut])
def reports_api(session: SessionDep, actor: ActorDep, status: str = "new") -> list[OfferGroupOut]:
    """Reported offers and scan hits grouped by shared identifiers (analysts only)."""
    return _groups_out(service.groups(session, actor=actor, status=status))
