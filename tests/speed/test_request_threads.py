"""The registry's busiest reads run in one worker thread each, from the pool that
``CTIP_REQUEST_THREADS`` bounds."""

from __future__ import annotations

import anyio.to_thread
from starlette.testclient import TestClient


def test_the_request_pool_is_bounded_by_the_setting(app, settings):
    app.state.settings = settings.model_copy(update={"request_threads": 3})
    with TestClient(app) as client:
        limiter = client.portal.call(anyio.to_thread.current_default_thread_limiter)
        assert limiter.total_tokens == 3
