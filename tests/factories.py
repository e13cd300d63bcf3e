"""Small seeding helpers for tests: each inserts one row as the table owner and returns its id.

Tests build their own datasets with these, so every expected number is computed by hand in the test."""

from __future__ import annotations

import json
from datetime import datetime
from uuid import UUID, uuid4

import bcrypt
from sqlalchemy import Connection, text

from core import clock

PASSWORD = "correct horse battery"
# Hashing with the minimum cost keeps the suite fast; the app verifies any cost.
_HASH = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()


def _insert(conn: Connection, table: str, values: dict, returning: str = "id"):
    cols = ", ".join(values)
    params = ", ".join(f":{k}" for k in values)
    # table and column names come from the test code, values are bound
    sql = f"insert into {table} ({cols}) values ({params}) returning {returning}"  # noqa: S608
    return conn.execute(text(sql), values).scalar_one()


def distributor(conn: Connection, name: str = "Acme Drinks", *, tz: str = "UTC", currency: str = "USD",
                budget_cents: float | None = None, thresholds: list[int] | None = None,
                hard_limit: bool = False) -> UUID:
    return _insert(conn, "distributors", {
        "name": name, "slug": f"{name.lower().replace(' ', '-')}-{uuid4().hex[:6]}", "timezone": tz,
        "currency": currency, "ai_monthly_budget_cents": budget_cents,
        "ai_alert_thresholds": thresholds or [50, 80, 100], "ai_hard_limit": hard_limit,
    })


def user(conn: Connection, distributor_id: UUID, role: str = "admin", *, email: str | None = None,
         full_name: str | None = None, active: bool = True, password_hash: str = _HASH) -> UUID:
    email = email or f"{role}-{uuid4().hex[:8]}@example.test"
    uid = _insert(conn, "auth.users", {"email": email, "encrypted_password": password_hash})
    _insert(conn, "user_profiles", {
        "id": uid, "distributor_id": distributor_id, "email": email,
        "full_name": full_name or role.title(), "role": role, "is_active": active,
    })
    return uid


def customer(conn: Connection, distributor_id: UUID, name: str = "Bar Central", **extra) -> int:
    return _insert(conn, "customers", {"distributor_id": distributor_id, "name": name, **extra})


def label(conn: Connection, distributor_id: UUID, name: str, customer_ids: list[int] = ()) -> int:
    label_id = _insert(conn, "customer_labels", {"distributor_id": distributor_id, "name": name})
    for cid in customer_ids:
        conn.execute(text("insert into customer_label_assignments (distributor_id, customer_id, label_id) "
                          "values (:d, :c, :l)"), {"d": distributor_id, "c": cid, "l": label_id})
    return label_id


def category(conn: Connection, distributor_id: UUID, name: str = "Drinks") -> int:
    return _insert(conn, "product_categories", {"distributor_id": distributor_id, "name": name})


def product(conn: Connection, distributor_id: UUID, sku: str, name: str, price_cents: int, *,
            category_id: int | None = None, aliases: list[str] = (), unit: str = "unit") -> int:
    return _insert(conn, "products", {
        "distributor_id": distributor_id, "sku": sku, "name": name, "price_cents": price_cents,
        "category_id": category_id, "aliases": list(aliases), "unit": unit,
    })


def conversation(conn: Connection, distributor_id: UUID, customer_id: int, *, status: str = "open",
                 channel: str = "whatsapp", started_at: datetime | None = None,
                 assigned_to: UUID | None = None) -> int:
    values = {"distributor_id": distributor_id, "customer_id": customer_id, "status": status,
              "channel": channel, "assigned_to": assigned_to}
    if started_at:
        values |= {"started_at": started_at, "last_message_at": started_at}
    return _insert(conn, "conversations", values)


def message(conn: Connection, distributor_id: UUID, conversation_id: int, content: str, *,
            direction: str = "inbound", sender_type: str | None = None, created_at: datetime | None = None,
            order_id: int | None = None) -> int:
    values = {"distributor_id": distributor_id, "conversation_id": conversation_id, "content": content,
              "direction": direction, "order_id": order_id,
              "sender_type": sender_type or ("customer" if direction == "inbound" else "agent")}
    if created_at:
        values["created_at"] = created_at
    mid = _insert(conn, "messages", values)
    conn.execute(text("update conversations set last_message_at = greatest(last_message_at, :t) "
                      "where id = :c"), {"t": created_at or clock.now(), "c": conversation_id})
    return mid


def ai_response(conn: Connection, distributor_id: UUID, message_id: int, *, kind: str = "reply",
                content: str = "Hello!", model: str = "gpt-4o-mini", prompt_version: str = "reply-v1",
                input_tokens: int = 100, output_tokens: int = 50, cost_cents: float | None = 0.01,
                latency_ms: int = 800, confidence: float | None = 0.9, status: str = "pending",
                reviewed_by: UUID | None = None, reviewed_at: datetime | None = None,
                created_at: datetime | None = None, structured: dict | None = None) -> int:
    values = {"distributor_id": distributor_id, "message_id": message_id, "kind": kind, "content": content,
              "model": model, "prompt_version": prompt_version, "input_tokens": input_tokens,
              "output_tokens": output_tokens, "cost_cents": cost_cents, "latency_ms": latency_ms,
              "confidence": confidence, "status": status, "reviewed_by": reviewed_by,
              "structured": json.dumps(structured) if structured is not None else None,
              "reviewed_at": reviewed_at or (None if status == "pending" else clock.now())}
    if created_at:
        values["created_at"] = created_at
    return _insert(conn, "ai_responses", values)


def order(conn: Connection, distributor_id: UUID, customer_id: int, lines: list[tuple[int | None, str, float, int]],
          *, number: str | None = None, status: str = "confirmed", source: str = "manual",
          currency: str = "USD", created_at: datetime | None = None, conversation_id: int | None = None,
          ai_source_message_id: int | None = None) -> int:
    """lines: (product_id, product_name, quantity, unit_price_cents); the total is their sum. Without `number`,
    a unique one that is no <letters>-<digits> sequence, which new orders' numbering would follow."""
    totals = [round(q * p) for _, _, q, p in lines]
    values = {"distributor_id": distributor_id, "customer_id": customer_id, "status": status, "source": source,
              "order_number": number or f"T-{uuid4()}", "total_cents": sum(totals),
              "currency": currency, "conversation_id": conversation_id,
              "ai_source_message_id": ai_source_message_id}
    if created_at:
        values["created_at"] = created_at
    oid = _insert(conn, "orders", values)
    for (pid, name, qty, price), total in zip(lines, totals, strict=True):
        _insert(conn, "order_products", {
            "distributor_id": distributor_id, "order_id": oid, "product_id": pid, "product_name": name,
            "raw_text": name.lower(), "quantity": qty, "unit_price_cents": price, "line_total_cents": total,
            "match_confidence": 1.0 if pid else None,
        })
    return oid


def usage(conn: Connection, distributor_id: UUID, date, model: str, feature: str, *, requests: int,
          input_tokens: int, output_tokens: int, cost_cents: float, errors: int = 0,
          avg_latency_ms: float = 800, avg_confidence: float | None = 0.9) -> int:
    return _insert(conn, "ai_usage_metrics", {
        "distributor_id": distributor_id, "date": date, "model": model, "feature": feature,
        "requests": requests, "input_tokens": input_tokens, "output_tokens": output_tokens,
        "cost_cents": cost_cents, "errors": errors, "avg_latency_ms": avg_latency_ms,
        "avg_confidence": avg_confidence,
    })


def signed_in(conn: Connection, distributor_id: UUID, role: str = "admin", **user_kwargs):
    """Creates a user with `role` and returns the services.auth_model.User a page sees after sign-in."""
    from services.auth_model import User

    uid = user(conn, distributor_id, role, **user_kwargs)
    d = conn.execute(text("select name, timezone, currency from distributors where id = :d"),
                     {"d": distributor_id}).one()
    perms = frozenset(conn.execute(text("select permission from role_permissions where role = :r"),
                                   {"r": role}).scalars())
    email = conn.execute(text("select email from auth.users where id = :u"), {"u": uid}).scalar_one()
    return User(id=str(uid), email=email, full_name=role.title(), role=role, distributor_id=str(distributor_id),
                distributor_name=d.name, timezone=d.timezone, currency=d.currency.strip(), permissions=perms,
                home_distributor_id=str(distributor_id))
