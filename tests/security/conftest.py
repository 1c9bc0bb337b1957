"""Security tests reuse the screening fixtures (a case, an intervention, its officer)."""

from tests.screening.conftest import case, intervention, officer

__all__ = ["case", "intervention", "officer"]
