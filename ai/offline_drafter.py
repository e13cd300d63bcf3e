"""The rule-based order drafter used when no AI is configured: reads what a WhatsApp-style message is
(English, Spanish, Portuguese; order, question, complaint...), and for an order its lines, grounded in the
catalog, with pack sizes converted to the unit the catalog sells by; and drafts a reply."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ai.catalog import normalize
from ai.drafts import DraftOrder, draft_line
from ai.intent import classify_intent, detect_language
from ai.lexicon import UNIT_NAMES, UNIT_WORDS
from ai.line_parser import ParsedLine, parse_order_lines
from ai.matching import Match, holds_every_word, match_line
from ai.quantities import convert
from ai.replies import draft_reply, summarize_lines
from queries.assistant import CatalogProduct

__all__ = [
    "ParsedLine", "catalog_units", "detect_language", "draft_order", "draft_reply", "parse_order_lines",
    "summarize_lines",
]
# Packaging that names the container tells "coca" the can from "coca" the bottle; a case or a pack does not.
_CONTAINERS = ("can", "bottle")


def catalog_units(catalog: Sequence[CatalogProduct]) -> dict[str, str]:
    """Returns the catalog's selling units as packaging words ("paca", "pacas", "canasta"...) -> the unit
    the lexicon knows them as, or the catalog's own word."""
    words: dict[str, str] = {}
    for product in catalog:
        unit = normalize(product.unit)
        if not unit or " " in unit or unit in ("kg", "g", "l"):
            continue
        known = UNIT_WORDS.get(unit, unit)
        words |= {unit: known, f"{unit}s": known, f"{unit}es": known}
    return words


def draft_order(
    message: str,
    catalog: Sequence[CatalogProduct],
    history: dict[str, int] | None = None,
    threshold: float = 0.75,
) -> DraftOrder:
    """Returns the offline DraftOrder of a message: its intent first, and for an order every parsed line
    matched against the catalog (history first), converted, priced, and flagged when unmatched, unsure or
    without a quantity. An item named without a number is kept (quantity None) when it names a product."""
    language = detect_language(message)
    lines = []
    for parsed in parse_order_lines(message, language, catalog_units(catalog), unquantified=True):
        match = _match(parsed, catalog, history, threshold)
        if parsed.quantity is None and not _names_a_product(parsed.raw_text, match, threshold):
            continue  # chit-chat, not an item
        quantity, unit, note = parsed.quantity, parsed.unit, None
        if match.product is not None:
            quantity, note = convert(parsed.quantity, parsed.unit, parsed.pack, match.product)
            unit = match.product.unit if note else unit
        missing = "quantity not given" if quantity is None else None
        notes = "; ".join(n for n in (parsed.notes, note, missing) if n) or None
        lines.append(draft_line(parsed.raw_text, quantity, unit, match, threshold, notes))
    intent = classify_intent(message, bool(lines))
    return DraftOrder(lines if intent == "order" else [], language, intent)


def _names_a_product(raw_text: str, match: Match, threshold: float) -> bool:
    # without a count only a wording every word of which a product holds is an item ("napkins" may be
    # several products: offered, not chosen)
    top = match.product or (match.candidates[0][0] if match.candidates else None)
    score = match.confidence if match.product else (match.candidates[0][1] if match.candidates else 0.0)
    return top is not None and score >= threshold and holds_every_word(raw_text, top)


def _match(
    line: ParsedLine, catalog: Sequence[CatalogProduct], history: dict[str, int] | None, threshold: float
) -> Match:
    """Returns the line's Match; the packaging settles a wording that does not name the container
    ("5 latas de coca" is the can of Coca-Cola, not the bottles)."""
    match = match_line(line.raw_text, catalog, history, threshold)
    if match.method in ("history", "exact") or line.unit not in _CONTAINERS:
        return match
    hinted = (match_line(f"{line.raw_text} {names[0]}", catalog, None, threshold)
              for names in UNIT_NAMES[line.unit].values())
    best = max((m for m in hinted if m.product is not None), key=lambda m: m.confidence, default=None)
    if best is None or (match.product is not None and best.confidence < match.confidence):
        return match
    return replace(best, candidates=match.candidates)
