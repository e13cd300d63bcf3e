"""Order drafts as both drafters (the AI and the offline rule-based one) hand them to the console:
lines grounded in the catalog, priced in integer cents, flagged when a person must look."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ai.matching import Match
from queries.assistant import CatalogProduct


@dataclass(frozen=True)
class DraftLine:
    """One drafted line. method is how the product was found (a MatchMethod, or whatever the AI path
    records for a model's grounded choice); unit_price_cents / line_total_cents are 0 when unmatched."""

    raw_text: str
    quantity: Decimal | None  # None: the customer gave no number, a person settles it
    unit: str | None
    product: CatalogProduct | None
    confidence: float
    method: str
    unit_price_cents: int
    line_total_cents: int
    flagged: bool
    notes: str | None = None


@dataclass(frozen=True)
class DraftOrder:
    """A drafted order, the language of the message it came from ("en", "es" or "pt") and what the
    message is (ai.intent)."""

    lines: list[DraftLine]
    language: str
    intent: str = "order"  # order | question | complaint | other: only orders get lines

    @property
    def total_cents(self) -> int:
        """Returns the sum of the matched lines' totals, in cents."""
        return sum(line.line_total_cents for line in self.lines)

    @property
    def flagged_lines(self) -> list[DraftLine]:
        """Returns the lines a person must check (unmatched or unsure)."""
        return [line for line in self.lines if line.flagged]


def line_total_cents(quantity: Decimal | None, unit_price_cents: int) -> int:
    """Returns quantity x unit price in cents, rounded half up to the cent (2.5 x 333 = 833); 0 when the
    quantity is unknown."""
    if quantity is None:
        return 0
    return int((quantity * unit_price_cents).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def draft_line(
    raw_text: str,
    quantity: Decimal | None,
    unit: str | None,
    match: Match,
    threshold: float = 0.75,
    notes: str | None = None,
) -> DraftLine:
    """Returns the DraftLine for a wording, quantity and its catalog Match, priced at the catalog
    price; flagged when unmatched, the confidence is below `threshold` or the quantity unknown."""
    product = match.product
    price = product.price_cents if product is not None else 0
    return DraftLine(
        raw_text=raw_text,
        quantity=quantity,
        unit=unit,
        product=product,
        confidence=match.confidence,
        method=match.method,
        unit_price_cents=price,
        line_total_cents=line_total_cents(quantity, price),
        flagged=product is None or match.confidence < threshold or quantity is None,
        notes=notes,
    )
