"""Running a page (or the whole app) in streamlit.testing.v1.AppTest as a given user."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from services.auth_model import User

ROOT = Path(__file__).resolve().parent.parent


def page(path: str, user: User | None, *, timeout: float = 30, query_params: dict | None = None) -> AppTest:
    """Returns an AppTest of pages/<path> (or app.py) signed in as `user`, already run once."""
    at = AppTest.from_file(str(ROOT / path), default_timeout=timeout)
    if user is not None:
        at.session_state["user"] = user
    for key, value in (query_params or {}).items():
        at.query_params[key] = value
    return at.run()


def texts(at: AppTest) -> str:
    """All markdown, metric, caption, info/warning/error/success text of a run, joined (for assertions)."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value} {m.delta or ''}" for m in at.metric]
    return "\n".join(parts)
