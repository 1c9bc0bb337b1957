"""The client's address: the connecting peer, unless that peer is a configured reverse proxy.

``X-Forwarded-For`` is believed only when the request comes from an address listed in
``CTIP_TRUSTED_PROXIES`` (none by default); then the right-most hop that is not itself a
trusted proxy is the client. Anyone else can write the header, so it is ignored for them —
otherwise a visitor could forge the address the offer checker limits and the audit records.
``ctip serve`` turns uvicorn's own proxy-header handling off, so this is the only place that
decides.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from starlette.requests import HTTPConnection

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Options for uvicorn.run: never rewrite the client address from headers before the app.
UVICORN_OPTIONS: dict[str, Any] = {"proxy_headers": False, "forwarded_allow_ips": ""}


@lru_cache(maxsize=8)
def trusted_networks(setting: str) -> tuple[tuple[Network, ...], frozenset[str]]:
    """The networks and the literal host names in ``CTIP_TRUSTED_PROXIES``."""
    networks: list[Network] = []
    names: set[str] = set()
    for item in (part.strip() for part in setting.split(",")):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            names.add(item)
    return tuple(networks), frozenset(names)


def is_trusted(host: str, setting: str) -> bool:
    networks, names = trusted_networks(setting)
    if host in names:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in network for network in networks)


def client_address(request: HTTPConnection) -> str | None:
    """The address to rate-limit and audit for this request."""
    peer = request.client.host if request.client else None
    settings = getattr(request.app.state, "settings", None)
    setting = getattr(settings, "trusted_proxies", "") or ""
    if peer is None or not setting or not is_trusted(peer, setting):
        return peer
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not is_trusted(hop, setting):
            return hop[:64]
    return hops[0][:64] if hops else peer
