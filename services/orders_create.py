"""Confirming an assistant order draft: the order, its lines, the confirmed matches, the source-message link,
the 'order.created' webhooks and the audit row, all in the caller's transaction.

Idempotent by the draft's key: orders has UNIQUE (distributor_id, draft_key), the insert does nothing on
conflict, and the loser of two concurrent confirmations returns the winner's order. Order numbers follow
the distributor's own numbering (the prefix and digit count most of its recent orders share, AB-000123;
ORD-000001 for a distributor without one) and are computed under a per-distributor advisory lock, so two
drafts confirmed at once never take the same number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Connection

from ai.catalog import normalize
from ai.drafts import line_total_cents
from core import clock
from queries import orders_create as q
from services import audit

ORDER_PREFIX = "ORD-"  # for a distributor whose orders have no numbering of their own yet
NUMBER_DIGITS = 6
EVENT = "order.created"
SOURCES = frozenset({"ai", "manual", "integration"})
# orders.drafted_by: the AI model or the rule-based offline drafter drafted what a person confirmed
DRAFTERS = frozenset({"ai", "offline_drafter"})
# product_matching_history.method values; a line without a drafted match was chosen by a person
HISTORY_METHODS = frozenset({"history", "exact", "fuzzy", "ai", "manual"})
QUANTITY_STEP = Decimal("0.001")  # order_products.quantity is numeric(12, 3)
# Far above any real line (the column would overflow at 10^9): a typo or a model's nonsense gets a message
MAX_QUANTITY = Decimal(1_000_000)
# a requested delivery more than this far ahead is a typo (a wrong year), not a plan
MAX_DELIVERY_AHEAD = timedelta(days=366)


@dataclass(frozen=True)
class OrderLineInput:
    """One line as the agent confirms it: the customer's wording, quantity (in the product's unit), the chosen
    product (None: left unmatched, not ordered), how it was matched and how sure (1.0 when a person chose)."""

    raw_text: str
    quantity: Decimal
    product_id: int | None
    method: str = "manual"
    confidence: float = 1.0


@dataclass(frozen=True)
class OrderRequest:
    """A draft to confirm. draft_key identifies the draft: confirming it again returns the same order."""

    draft_key: str
    customer_id: int
    lines: tuple[OrderLineInput, ...]
    conversation_id: int | None = None
    message_id: int | None = None
    source: str = "ai"
    drafted_by: str | None = None  # None: nobody drafted it
    notes: str | None = None
    requested_delivery_date: date | None = None


@dataclass(frozen=True)
class CreatedOrder:
    """The order of a draft. created is False when an earlier confirmation of the same draft made it;
    webhooks counts the deliveries queued and skipped_lines the unmatched lines left out (this call only)."""

    order_id: int
    order_number: str
    total_cents: int
    lines: int
    created: bool
    webhooks: int = 0
    skipped_lines: int = 0


class OrderInvalid(ValueError):
    """A draft that cannot become an order; the message is fit for the user."""


def format_order_number(number: int, prefix: str = ORDER_PREFIX, digits: int = NUMBER_DIGITS) -> str:
    """Returns the order number text of `number`: ORD-000042."""
    return f"{prefix}{number:0{digits}d}"


def _next_number(conn: Connection, distributor_id: str) -> str:
    """Returns the distributor's next order number; the caller holds the numbering lock."""
    prefix, digits = q.order_number_style(conn, distributor_id) or (ORDER_PREFIX, NUMBER_DIGITS)
    return format_order_number(q.next_order_number(conn, distributor_id, prefix=prefix), prefix, digits)


def _existing(order: q.ExistingOrder) -> CreatedOrder:
    return CreatedOrder(order.id, order.order_number, order.total_cents, order.lines, created=False)


def _checked_lines(request: OrderRequest) -> list[OrderLineInput]:
    if request.source not in SOURCES:
        raise ValueError(f"unknown order source {request.source!r}")
    if request.drafted_by is not None and request.drafted_by not in DRAFTERS:
        raise ValueError(f"unknown order drafter {request.drafted_by!r}")
    lines = [line for line in request.lines if line.product_id is not None]
    if not lines:
        raise OrderInvalid("Choose a product for at least one line before confirming the order.")
    for line in lines:
        if not line.quantity.is_finite() or line.quantity.quantize(QUANTITY_STEP) <= 0:
            raise OrderInvalid(f"The quantity of “{line.raw_text}” must be more than zero.")
        if line.quantity > MAX_QUANTITY:
            raise OrderInvalid(f"The quantity of “{line.raw_text}” is too large: at most {MAX_QUANTITY:,} per line.")
    _check_delivery(request.requested_delivery_date)
    return lines


def _check_delivery(day: date | None) -> None:
    # "today" differs by up to a day across time zones: a date is in the past only once it is everywhere
    today = clock.now().date()
    if day is not None and day < today - timedelta(days=1):
        raise OrderInvalid(f"The requested delivery date {day:%Y-%m-%d} is in the past.")
    if day is not None and day > today + MAX_DELIVERY_AHEAD:
        raise OrderInvalid(f"The requested delivery date {day:%Y-%m-%d} is more than a year ahead: check the year.")


def confirm_order(
    conn: Connection, distributor_id: str, user_id: str | None, request: OrderRequest
) -> CreatedOrder:
    """Creates the order of `request` (matched lines only, at catalog prices) and returns it; returns the
    existing order when the draft was confirmed before. Raises OrderInvalid when no line has a product, a
    quantity is not positive, the customer is unknown or a product left the catalog."""
    existing = q.order_by_draft_key(conn, distributor_id, draft_key=request.draft_key)
    if existing is not None:
        return _existing(existing)
    lines = _checked_lines(request)
    currency = q.order_currency(conn, distributor_id, customer_id=request.customer_id)
    if currency is None:
        raise OrderInvalid("This customer no longer exists.")
    products = q.products_for_order(conn, distributor_id, product_ids=sorted({ln.product_id for ln in lines}))
    gone = [ln.raw_text for ln in lines if ln.product_id not in products]
    if gone:
        raise OrderInvalid(
            f"The product chosen for {', '.join(gone)} is no longer in the catalog: choose another."
        )

    priced = []
    for line in lines:
        product, quantity = products[line.product_id], line.quantity.quantize(QUANTITY_STEP)
        priced.append((line, product, quantity, line_total_cents(quantity, product.price_cents)))
    total = sum(t for *_, t in priced)

    q.lock_order_numbers(conn, distributor_id)
    number = _next_number(conn, distributor_id)
    inserted = q.insert_order(
        conn,
        distributor_id,
        customer_id=request.customer_id,
        conversation_id=request.conversation_id,
        message_id=request.message_id,
        order_number=number,
        source=request.source,
        drafted_by=request.drafted_by,
        total_cents=total,
        currency=currency,
        notes=request.notes,
        requested_delivery_date=request.requested_delivery_date,
        draft_key=request.draft_key,
        user_id=user_id,
    )
    if inserted is None:  # a concurrent confirmation of this draft committed first
        return _existing(q.order_by_draft_key(conn, distributor_id, draft_key=request.draft_key))
    order_id, created_at = inserted

    payload_lines = []
    for line, product, quantity, line_total in priced:
        line_id = q.insert_order_product(
            conn,
            distributor_id,
            order_id=order_id,
            product_id=product.id,
            raw_text=line.raw_text,
            product_name=product.name,
            quantity=quantity,
            unit=product.unit,
            unit_price_cents=product.price_cents,
            line_total_cents=line_total,
            match_confidence=line.confidence,
        )
        key = normalize(line.raw_text)
        if key:  # the next draft with this wording matches this product directly
            q.insert_confirmed_match(
                conn,
                distributor_id,
                raw_text=line.raw_text,
                normalized_text=key,
                product_id=product.id,
                order_product_id=line_id,
                method=line.method if line.method in HISTORY_METHODS else "manual",
                confidence=line.confidence,
                user_id=user_id,
            )
        payload_lines.append(
            {
                "product_id": product.id,
                "sku": product.sku,
                "name": product.name,
                "quantity": str(quantity),
                "unit": product.unit,
                "unit_price_cents": product.price_cents,
                "line_total_cents": line_total,
            }
        )
    if request.message_id is not None:
        q.link_source_message(conn, distributor_id, message_id=request.message_id, order_id=order_id)

    payload = {
        "event": EVENT,
        "order": {
            "id": order_id,
            "order_number": number,
            "status": "confirmed",
            "source": request.source,
            "customer_id": request.customer_id,
            "conversation_id": request.conversation_id,
            "source_message_id": request.message_id,
            "currency": currency,
            "total_cents": total,
            "requested_delivery_date": request.requested_delivery_date,
            "notes": request.notes,
            "created_at": created_at.isoformat(),
            "lines": payload_lines,
        },
    }
    endpoints = q.queue_webhooks(conn, distributor_id, event_type=EVENT, payload=payload)
    audit.record_access(
        conn,
        distributor_id=distributor_id,
        user_id=user_id,
        action="create",
        resource="orders",
        record_count=1,
        details={
            "order_id": order_id,
            "order_number": number,
            "draft_key": request.draft_key,
            "lines": len(priced),
            "total_cents": total,
            "source": request.source,
            "drafted_by": request.drafted_by,
            "conversation_id": request.conversation_id,
            "message_id": request.message_id,
            "webhooks": len(endpoints),
        },
    )
    return CreatedOrder(
        order_id,
        number,
        total,
        len(priced),
        created=True,
        webhooks=len(endpoints),
        skipped_lines=len(request.lines) - len(lines),
    )
