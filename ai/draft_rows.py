"""An order draft as the agent edits it (a table of lines: quantity and product editable), and the lines it
confirms. Pure functions: the page keeps the drafted lines and the editor's edits, this module merges them."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd

from ai.drafts import DraftLine, line_total_cents
from queries.assistant import CatalogProduct
from services.orders_create import OrderLineInput

COLUMNS = ("Wording", "Unit", "Quantity", "Product", "Match", "Notes", "Unit price", "Line total")
EDITABLE = ("Quantity", "Product")
_METHOD_NAMES = {
    "history": "confirmed before",
    "exact": "exact",
    "fuzzy": "similar",
    "ai": "AI choice",
    "manual": "chosen by you",
}


@dataclass(frozen=True)
class EditedLine:
    """A line as it stands after the agent's edits, priced at the catalog price; flagged when it has no
    product, a confidence below the threshold or no positive quantity."""

    raw_text: str
    unit: str | None
    quantity: Decimal
    product: CatalogProduct | None
    method: str
    confidence: float
    flagged: bool
    unit_price_cents: int
    line_total_cents: int
    notes: str | None = None  # the customer's, and the drafter's (a pack conversion, a missing quantity)


def product_label(product: CatalogProduct) -> str:
    """Returns how a product is shown in the editor's product column: "Coca-Cola 2L · COKE-2L"."""
    return f"{product.name} · {product.sku}"


def base_rows(lines: Sequence[DraftLine | EditedLine]) -> list[dict[str, Any]]:
    """Returns drafted (or edited) lines as plain dicts: what session state keeps, and what current_lines
    applies the editor's edits to."""
    return [
        {
            "raw_text": ln.raw_text,
            "unit": ln.unit,
            "quantity": "" if ln.quantity is None else str(ln.quantity),  # unknown: 0 in the editor, flagged
            "product_id": ln.product.id if ln.product else None,
            "method": ln.method,
            "confidence": float(ln.confidence),
            "notes": ln.notes,
        }
        for ln in lines
    ]


def _quantity(value: Any) -> Decimal:
    try:
        quantity = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)
    return quantity if quantity.is_finite() else Decimal(0)


def current_lines(
    rows: Sequence[Mapping[str, Any]],
    edited_rows: Mapping[Any, Mapping[str, Any]],
    catalog: Sequence[CatalogProduct],
    threshold: float = 0.75,
) -> list[EditedLine]:
    """Returns the drafted `rows` with the editor's `edited_rows` ({row index: {column: value}}) applied.
    A product the agent picks is "manual" with confidence 1.0; a product cleared leaves the line unmatched."""
    by_id = {p.id: p for p in catalog}
    by_label = {product_label(p): p for p in catalog}
    lines = []
    for i, row in enumerate(rows):
        edits = edited_rows.get(i) or edited_rows.get(str(i)) or {}
        product, method, confidence = by_id.get(row["product_id"]), row["method"], row["confidence"]
        if "Product" in edits:
            chosen = by_label.get(edits["Product"] or "")
            if (chosen.id if chosen else None) != row["product_id"]:
                product = chosen
                method, confidence = ("manual", 1.0) if chosen else ("none", 0.0)
        quantity = _quantity(edits["Quantity"] if "Quantity" in edits else row["quantity"])
        price = product.price_cents if product else 0
        flagged = product is None or confidence < threshold or quantity <= 0
        lines.append(
            EditedLine(
                row["raw_text"],
                row.get("unit"),
                quantity,
                product,
                method,
                confidence,
                flagged,
                price,
                line_total_cents(quantity, price) if quantity > 0 else 0,
                row.get("notes"),
            )
        )
    return lines


def extraction_lines(
    stored: Any, catalog: Sequence[CatalogProduct], confidence: float, threshold: float = 0.75
) -> list[EditedLine]:
    """Returns the lines of an order extraction as ai_responses keeps it (`structured`, or the JSON text of
    `content`): lines grounded by the Assistant (raw_text, product_id, method, confidence) or the model's own
    (product_wording, sku), priced at today's catalog; `confidence` is the response's, for lines without one.
    Raises ValueError when it holds no readable lines."""
    doc = json.loads(stored) if isinstance(stored, str) else stored
    lines = doc.get("lines") if isinstance(doc, Mapping) else None
    if not isinstance(lines, list) or not lines or not all(isinstance(ln, Mapping) for ln in lines):
        raise ValueError("no order lines")
    id_of = {p.sku: p.id for p in catalog}
    rows = [
        {
            "raw_text": str(ln.get("raw_text") or ln.get("product_wording") or ""),
            "unit": ln.get("unit"),
            "quantity": "" if ln.get("quantity") is None else str(ln["quantity"]),
            "product_id": ln.get("product_id") or id_of.get(ln.get("sku")),
            "method": ln.get("method") or "ai",
            "confidence": float(ln.get("confidence") or confidence),
            "notes": ln.get("notes"),
        }
        for ln in lines
    ]
    return current_lines(rows, {}, catalog, threshold)


def match_text(line: EditedLine) -> str:
    """Returns the Match column's text: "⚠ unmatched", "similar 82%", "⚠ AI choice 64%"."""
    if line.product is None:
        return "⚠ unmatched"
    text = f"{_METHOD_NAMES.get(line.method, line.method)} {line.confidence:.0%}"
    return f"⚠ {text}" if line.flagged else text


def editor_frame(lines: Sequence[EditedLine]) -> pd.DataFrame:
    """Returns the editor's table: one row per line, prices in currency units (cents / 100)."""
    return pd.DataFrame(
        {
            "Wording": [ln.raw_text for ln in lines],
            "Unit": [ln.unit or "" for ln in lines],
            "Quantity": [float(ln.quantity) for ln in lines],
            "Product": pd.Series(
                [product_label(ln.product) if ln.product else None for ln in lines], dtype="object"
            ),
            "Match": [match_text(ln) for ln in lines],
            "Notes": [ln.notes or "" for ln in lines],
            "Unit price": [ln.unit_price_cents / 100 for ln in lines],
            "Line total": [ln.line_total_cents / 100 for ln in lines],
        },
        columns=list(COLUMNS),
    )


def order_lines(lines: Sequence[EditedLine]) -> list[OrderLineInput]:
    """Returns the lines to confirm (unmatched ones included with product None: the order leaves them out)."""
    return [
        OrderLineInput(
            raw_text=ln.raw_text,
            quantity=ln.quantity,
            product_id=ln.product.id if ln.product else None,
            method=ln.method,
            confidence=ln.confidence,
        )
        for ln in lines
    ]


def total_cents(lines: Sequence[EditedLine]) -> int:
    """Returns the order total: the sum of the matched lines' totals, in cents."""
    return sum(ln.line_total_cents for ln in lines if ln.product is not None)
