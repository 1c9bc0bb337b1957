"""The app's route table, flattened (FastAPI 0.16x includes routers lazily)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute


@dataclass(frozen=True)
class RouteInfo:
    path: str
    methods: frozenset[str]
    endpoint: Callable[..., Any]
    dependant: Any

    @property
    def params(self) -> dict[str, inspect.Parameter]:
        return dict(inspect.signature(self.endpoint).parameters)

    def calls(self, function: Callable[..., Any]) -> bool:
        """Whether ``function`` is among the route's dependencies (at any depth)."""
        stack = list(self.dependant.dependencies)
        while stack:
            dep = stack.pop()
            if dep.call is function:
                return True
            stack.extend(dep.dependencies)
        return False


def route_table(app: FastAPI) -> Iterator[RouteInfo]:
    for route in app.routes:
        if isinstance(route, APIRoute):
            yield RouteInfo(route.path, frozenset(route.methods), route.endpoint, route.dependant)
        elif hasattr(route, "effective_route_contexts"):
            for ctx in route.effective_route_contexts():
                yield RouteInfo(ctx.path, frozenset(ctx.methods), ctx.endpoint, ctx.dependant)
