"""Server-rendered pages: one Jinja2 environment with gettext, shared by every package.

Templates live in ``web/templates`` and in each package's ``templates/`` folder.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import Response

from ctip import i18n
from ctip.errors import DomainError, ValidationFailed
from ctip.reference import PROVINCES, countries, province_name
from ctip.web.deps import csrf_token

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def template_dirs() -> list[str]:
    dirs = [str(PACKAGE_ROOT / "web" / "templates")]
    dirs += sorted(str(p) for p in PACKAGE_ROOT.glob("*/templates") if p.parent.name != "web")
    return dirs


def _query(request: Request, **changes: Any) -> str:
    """The current query string with some parameters changed (for paging links)."""
    params = dict(request.query_params)
    params.update({k: v for k, v in changes.items() if v is not None})
    return "?" + urlencode({k: v for k, v in params.items() if v not in ("", None)})


# What each role may do in the interface — menus and buttons ask ``can(actor, action)`` and
# never test roles themselves (the services enforce the same rules on every request).
_REGISTRY_READERS = frozenset(
    {"admin", "secretariat", "provincial_officer", "investigator", "ngo_caseworker"}
)
_CASE_WRITERS = frozenset({"admin", "provincial_officer", "investigator"})
ABILITIES: dict[str, frozenset[str]] = {
    "cases.read": _REGISTRY_READERS,
    "cases.create": _CASE_WRITERS,
    "persons.read": _REGISTRY_READERS,
    "persons.create": _CASE_WRITERS | {"ngo_caseworker"},
    "identifiers.search": _REGISTRY_READERS,
    "referrals.read": _REGISTRY_READERS,
    "screening.read": _REGISTRY_READERS,
    "interventions.record": _CASE_WRITERS,
    "flags.read": frozenset({"admin", "secretariat", "provincial_officer"}),
    "flags.decide": frozenset({"admin", "secretariat"}),
    "orgs.read": _REGISTRY_READERS,
    "support.read": _REGISTRY_READERS,
    "import": _CASE_WRITERS,
    "linkage.read": frozenset({"admin", "secretariat", "provincial_officer", "investigator"}),
    "users.manage": frozenset({"admin"}),
    "audit.read": frozenset({"admin"}),
}


def can(actor: Any, action: str) -> bool:
    """Whether ``actor`` (an ``Actor`` or None) may do ``action`` of ``ABILITIES``."""
    return actor is not None and actor.role in ABILITIES[action]


def labels(codes: Iterable[str] | None) -> str:
    """The labels of vocabulary codes in the current language, comma-separated (one call
    where a Jinja loop over ``label`` cost a macro call and a loop per row of a list)."""
    if not codes:
        return ""
    language = i18n.current_language()
    return ", ".join(i18n.label_in(code, language) for code in codes if code)


def make_templates(*, auto_reload: bool = True) -> Jinja2Templates:
    """The page templates; ``auto_reload`` (development) re-reads edited files, at the cost
    of checking every template file on every page."""
    env = Environment(
        loader=FileSystemLoader(template_dirs()),
        autoescape=select_autoescape(),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=auto_reload,
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        label=i18n.label,
        labels=labels,
        province_name=province_name,
        PROVINCES=PROVINCES,
        countries=countries,
        LANGUAGES=i18n.LANGUAGES,
        current_language=i18n.current_language,
        query=_query,
        can=can,
    )
    return Jinja2Templates(env=env)


def form_values(
    form: Any, names: Iterable[str], *, lists: Iterable[str] = (), blank: str | None = None
) -> dict[str, Any]:
    """Submitted fields by name (a form or a query string), the one reader every page uses:
    text is trimmed and a blank becomes ``blank``; a field in ``lists`` keeps every value."""
    many = set(lists)
    values: dict[str, Any] = {}
    for name in names:
        if name in many:
            values[name] = [str(v).strip() for v in form.getlist(name) if str(v).strip()]
        else:
            values[name] = str(form.get(name) or "").strip() or blank
    return values


def form_errors(exc: DomainError) -> dict[str, str]:
    """Field → message in the reader's language, for a form shown again. Several problems
    with one field are joined; an error about no particular field goes under ``form`` (a
    record changed meanwhile is reported under ``version``)."""
    lang = i18n.current_language()
    if isinstance(exc, ValidationFailed):
        found: dict[str, str] = {}
        for error in exc.errors:
            found[error.field] = "; ".join(
                filter(None, (found.get(error.field), error.translated(lang)))
            )
        return found
    return {exc.field or "form": exc.translated(lang)}


def _org_name(request: Request, actor: Any) -> str | None:
    """The name of the actor's organisation, for the header (cached for five minutes)."""
    org_id = getattr(actor, "organisation_id", None)
    if org_id is None:
        return None
    cache: dict[tuple[int, str, int], str | None] = request.app.state.__dict__.setdefault(
        "_org_names", {}
    )
    lang = i18n.current_language()
    key = (int(org_id), lang, int(time.monotonic() // 300))
    if key not in cache:
        from ctip.orgs.models import Organisation

        with request.app.state.sessions() as session:
            org = session.get(Organisation, org_id)
            cache[key] = (
                (org.name_km if lang == "km" and org.name_km else org.name) if org else None
            )
    return cache[key]


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> Response:
    """Render ``name`` with the actor, language and CSRF token every page needs."""
    templates: Jinja2Templates = request.app.state.templates
    actor = getattr(request.state, "actor", None)
    ctx = {
        "actor": actor,
        "org_name": _org_name(request, actor),
        "lang": i18n.current_language(),
        "csrf_token": csrf_token(request),
        "settings": request.app.state.settings,
    }
    ctx.update(context or {})
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)
