"""Fixtures for the offer checker: the fitted model, trained once and cached on disk."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from ctip.offers.engine import OfferChecker
from ctip.offers.model import OfferModel, load_or_train

# Stable across runs, so the model (about half a minute to fit) is trained once per corpus.
MODEL_CACHE = Path(tempfile.gettempdir()) / "ctip-offers-test-model"


@pytest.fixture(scope="session")
def offer_model() -> OfferModel:
    return load_or_train(cache_dir=MODEL_CACHE)


@pytest.fixture(scope="session")
def checker(offer_model: OfferModel) -> OfferChecker:
    return OfferChecker(offer_model, hotlines=("1288", "1280"))


@pytest.fixture
def with_model(settings, offer_model: OfferModel) -> OfferModel:  # type: ignore[no-untyped-def]
    """Serve the session's fitted model to the app under test (no retraining)."""
    from ctip.offers.service import use_model

    use_model(settings, offer_model)
    return offer_model
