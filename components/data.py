"""Cached, tenant-scoped reads for pages, and the "viewed" audit row.

Pages never open connections for reads: they call fetch(orders.orders_kpis, user, **filters). The cache
key holds the query name, the distributor id and every parameter, so one tenant's results can never be
served to another."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

import streamlit as st
from sqlalchemy import Connection

from core.config import get_settings
from core.db import tenant_scope
from services import audit
from services.auth_model import User


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list | set | frozenset) else value


P = ParamSpec("P")
R = TypeVar("R")


@st.cache_data(ttl=get_settings().cache_ttl_s, max_entries=1024, show_spinner=False)
def _cached(name: str, distributor_id: str, args: tuple, params: tuple[tuple[str, Any], ...], _query: Callable):
    # `_query` is left out of the key (leading underscore): `name` identifies it
    with tenant_scope(distributor_id) as conn:
        return _query(conn, distributor_id, *args, **dict(params))


def fetch(query: Callable[Concatenate[Connection, str, P], R], user: User, *args: P.args, **params: P.kwargs) -> R:
    """Returns query(conn, user's distributor id, *args, **params), cached per tenant for a short TTL; list
    parameters are passed as tuples."""
    items = tuple(sorted((k, _hashable(v)) for k, v in params.items()))
    name = f"{query.__module__}.{query.__qualname__}"
    return _cached(name, str(user.distributor_id), tuple(_hashable(a) for a in args), items, _query=query)


def invalidate() -> None:
    """Drops every cached read after a write (a review, an order, a budget change), so the next page shows it.
    The cache is per process and short-lived; clearing all tenants' entries is cheaper than tracking them."""
    _cached.clear()


def log_view(user: User, resource: str, record_count: int, filters: dict[str, Any] | None = None) -> None:
    """Writes a 'view' audit row once per page and filter combination in this session (reruns of the same
    view, e.g. a click on a chart, are not new views)."""
    key = json.dumps([str(user.distributor_id), resource, filters or {}], sort_keys=True, default=str)
    seen = st.session_state.setdefault("_audited_views", set())
    if key in seen:
        return
    with tenant_scope(user.distributor_id, user.id) as conn:
        audit.record_access(conn, distributor_id=user.distributor_id, user_id=user.id, action="view",
                            resource=resource, record_count=record_count, details={"filters": filters or {}})
    seen.add(key)


def log_export(user: User, resource: str, record_count: int, filters: dict[str, Any] | None = None) -> None:
    """Writes an 'export' audit row with the number of rows exported."""
    with tenant_scope(user.distributor_id, user.id) as conn:
        audit.record_access(conn, distributor_id=user.distributor_id, user_id=user.id, action="export",
                            resource=resource, record_count=record_count, details={"filters": filters or {}})
