"""Audit rows, written inside the caller's transaction so the trail and the work commit together."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection

from queries.loader import load_queries

Q = load_queries("audit_write")


def record_access(conn: Connection, *, distributor_id: str, user_id: str | None, action: str, resource: str,
                  record_count: int = 0, details: dict[str, Any] | None = None) -> None:
    """Adds a data_access_audit row (view / export / create / update / approve … of tenant data)."""
    conn.execute(Q["insert_data_access"], {
        "distributor_id": distributor_id, "user_id": user_id, "action": action, "resource": resource,
        "record_count": record_count, "details": json.dumps(details or {}, default=str),
    })


def record_security(conn: Connection, *, distributor_id: str, user_id: str | None, event: str,
                    details: dict[str, Any] | None = None) -> None:
    """Adds a security_audit_log row (sign-in, lockout, sign-out, tenant switch …). Never pass passwords."""
    conn.execute(Q["insert_security_event"], {
        "distributor_id": distributor_id, "user_id": user_id, "event": event,
        "details": json.dumps(details or {}, default=str),
    })
