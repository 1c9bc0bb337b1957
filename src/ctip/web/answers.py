"""JSON answers built once, in the request's worker thread.

An endpoint that returns a pydantic model has FastAPI dump it to a dict, validate that dict
against the ``response_model`` again and encode the result: three passes over a model the
service has just built and validated. ``model_response`` serializes it once (pydantic's
own JSON encoder, by alias as FastAPI does); the route keeps its ``response_model`` for the
OpenAPI document, and the answer is byte for byte the same JSON.
"""

from __future__ import annotations

from pydantic import BaseModel
from starlette.responses import Response


def model_response(model: BaseModel, status_code: int = 200) -> Response:
    """``model`` as a JSON response, serialized once."""
    return Response(
        model.model_dump_json(by_alias=True),
        status_code=status_code,
        media_type="application/json",
    )
