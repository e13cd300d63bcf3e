"""Fixtures for component tests: AppTest runs of small scripts that call one component."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest


@pytest.fixture
def run_app() -> Callable[..., AppTest]:
    """run_app(script, query_params=None, **kwargs): an AppTest of `script` (a self-contained function called
    with kwargs), started with the given URL query params and run once."""

    def run(script: Callable[..., None], query_params: dict[str, str] | None = None, **kwargs) -> AppTest:
        at = AppTest.from_function(script, kwargs=kwargs, default_timeout=15)
        at.query_params.update(query_params or {})
        return at.run()

    return run
