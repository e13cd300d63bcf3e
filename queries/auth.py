"""Sign-in and session queries (SQL in queries/auth.sql). The caller owns the transaction: app_scope() before
sign-in, tenant_scope() of the user's home distributor after."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row

from queries.loader import load_queries

Q = load_queries("auth")


def password_hash(conn: Connection, *, email: str) -> str | None:
    """Returns the bcrypt hash of the user behind `email`, or None when the email is no user's."""
    return conn.execute(Q["password_hash"], {"email": email}).scalar_one()


def accept(conn: Connection, *, email: str, method: str, client: str | None) -> Row | None:
    """Records the sign-in ('password' or 'sso') of the user behind `email`, or its refusal when the user is
    inactive, and returns (user_id, distributor_id, is_active); None when the email is no user's."""
    return conn.execute(Q["accept"], {"email": email, "method": method, "client": client or ""}).first()


def throttle(conn: Connection, *, email: str, client: str | None) -> Row | None:
    """Returns (until, scope) while sign-in for `email` from `client` must wait, or None when it may go on."""
    return conn.execute(Q["throttle"], {"email": email, "client": client or ""}).first()


def record_attempt(conn: Connection, *, email: str, outcome: str, details: dict[str, Any] | None = None,
                   client: str | None = None) -> None:
    """Counts an attempt ('success', 'failed', 'locked' or 'sso') from `client`; the database logs it for the
    user the email belongs to, if any."""
    conn.execute(Q["record_attempt"], {"email": email, "outcome": outcome,
                                       "details": json.dumps(details or {}), "client": client or ""})


def user_context(conn: Connection, *, distributor_id: str, user_id: str) -> Row | None:
    """Returns (id, email, full_name, role, distributor_id, distributor_name, timezone, currency,
    permissions), or None when the profile is not in this distributor."""
    return conn.execute(Q["user_context"], {"distributor_id": distributor_id, "user_id": user_id}).first()


def start_session(conn: Connection, *, distributor_id: str, user_id: str, token_hash: str,
                  user_agent: str | None, absolute_s: float) -> int:
    """Returns the id of the new user_sessions row, which expires `absolute_s` seconds from now."""
    return conn.execute(Q["start_session"], {"distributor_id": distributor_id, "user_id": user_id,
                                             "token_hash": token_hash, "user_agent": user_agent,
                                             "absolute_s": absolute_s}).scalar_one()


def resolve_session(conn: Connection, *, token_hash: str, idle_s: float) -> Row | None:
    """Returns (status, session_id, user_id, distributor_id, email, full_name, role, distributor_name, timezone,
    currency, permissions) for the session with this token hash, or None when there is none."""
    return conn.execute(Q["resolve_session"], {"token_hash": token_hash, "idle_s": idle_s}).first()


def close_stale_sessions(conn: Connection, *, idle_s: float) -> int:
    """Closes every idle or expired open session; returns how many."""
    return conn.execute(Q["close_stale_sessions"], {"idle_s": idle_s}).scalar_one()


def end_session(conn: Connection, *, distributor_id: str, session_id: int, reason: str) -> bool:
    """Returns True if this call closed the session (False: it was already closed)."""
    return conn.execute(Q["end_session"], {"distributor_id": distributor_id, "session_id": session_id,
                                           "reason": reason}).first() is not None


def operator_distributors(conn: Connection) -> list[Row]:
    """Returns every distributor (id, name, timezone, currency) when the scope's user (app.current_user_id) is
    an active operator; [] for anyone else."""
    return list(conn.execute(Q["operator_distributors"]))


def switch_tenant(conn: Connection, *, from_id: str, to_id: str) -> Row:
    """Logs the switch in both distributors and returns the target (id, name, timezone, currency).
    The database refuses non-operators (insufficient_privilege)."""
    return conn.execute(Q["switch_tenant"], {"from_id": from_id, "to_id": to_id}).one()


def platform_security_events(conn: Connection, *, t0: datetime, t1: datetime, limit: int) -> list[Row]:
    """Returns the platform log's rows from t0 to t1, newest first (created_at, event, email, email_hash, client,
    details). The database refuses anyone but an active operator in the scope (insufficient_privilege)."""
    return list(conn.execute(Q["platform_security_events"], {"t0": t0, "t1": t1, "limit": limit}))
