"""Order drafts of the assistant: by the AI (structured output grounded in the catalog) or the offline
drafter, and their confirmation as an order.

The AI never adds a product: each line it returns is matched like an offline line (confirmed history, then
exact, then fuzzy), and the SKU it chose counts only when it is one of the catalog candidates it was shown
or that the line's own wording brings up. A chosen SKU outside those is dropped and reported.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ai.assistant import (
    AssistantConfig,
    fail,
    message_language,
    offline_text,
    redact_and_record,
    refuse_if_over_budget,
    target,
)
from ai.client import AIError, OrderDraftOut, extract_order, make_client, order_messages
from ai.drafts import DraftLine, draft_line
from ai.matching import Match, candidates_for, ground_choice, match_line
from ai.metering import CallRecord, record_call
from ai.offline_drafter import draft_order as offline_draft_order
from ai.offline_drafter import parse_order_lines
from ai.prompts import PROMPT_VERSIONS
from core.db import tenant_scope
from queries import assistant as q
from queries.assistant import CatalogProduct
from services.orders_create import CreatedOrder, OrderLineInput, OrderRequest, confirm_order

CANDIDATES_PER_LINE = 5


@dataclass(frozen=True)
class OrderDraft:
    """A drafted order for one message. draft_key identifies it when it is confirmed (twice = one order).
    response_id is the ai_responses row of the AI call (None offline); redacted counts the PII found per
    type before sending; rejected_skus are SKUs the AI chose outside the catalog candidates; intent is what
    the message is (order, question, complaint, other)."""

    message_id: int
    conversation_id: int
    customer_id: int
    lines: list[DraftLine]
    language: str
    offline: bool
    draft_key: str = field(default_factory=lambda: uuid.uuid4().hex)
    response_id: int | None = None
    requested_delivery_date: date | None = None
    notes: str | None = None
    redacted: dict[str, int] = field(default_factory=dict)
    rejected_skus: tuple[str, ...] = ()
    intent: str = "order"  # what the message is (ai.intent); the AI path drafts orders only


def _score(wording: str, product: CatalogProduct) -> float:
    return candidates_for(wording, [product], n=1)[0][1]


def ground_lines(
    answer: OrderDraftOut,
    catalog: Sequence[CatalogProduct],
    history: dict[str, int] | None,
    offered: Sequence[tuple[CatalogProduct, float]] = (),
    threshold: float = 0.75,
) -> tuple[list[DraftLine], list[str]]:
    """Returns the DraftLines of the AI's answer and the SKUs it chose that were not candidates. A line's
    product is its confirmed history or exact match; otherwise the AI's choice among the candidates (method
    "ai", confidence = the choice's similarity to the wording); otherwise the fuzzy match, or none."""
    lines: list[DraftLine] = []
    rejected: list[str] = []
    for out in answer.lines:
        wording = out.product_wording.strip()
        match = match_line(wording, catalog, history, threshold)
        if match.method not in ("history", "exact"):
            pick = ground_choice(out.sku, [*match.candidates, *offered])
            if out.sku and pick is None:
                rejected.append(out.sku)
            elif pick is not None and (match.product is None or pick.id != match.product.id):
                match = Match(pick, _score(wording, pick), "ai", match.candidates)
        quantity = Decimal(str(out.quantity))
        lines.append(draft_line(wording, quantity, out.unit, match, threshold, out.notes))
    return lines, rejected


def _structured(
    lines: list[DraftLine], answer: OrderDraftOut, rejected: list[str], redacted: dict[str, int]
) -> dict:
    return {
        "lines": [
            {
                "raw_text": ln.raw_text,
                "quantity": str(ln.quantity),
                "unit": ln.unit,
                "product_id": ln.product.id if ln.product else None,
                "sku": ln.product.sku if ln.product else None,
                "confidence": ln.confidence,
                "method": ln.method,
                "flagged": ln.flagged,
            }
            for ln in lines
        ],
        "requested_delivery_date": answer.requested_delivery_date,
        "notes": answer.notes,
        "rejected_skus": rejected,
        "redacted": redacted,
    }


def draft_order(
    cfg: AssistantConfig, distributor_id: str, user_id: str | None, message_id: int, *, use_ai: bool
) -> OrderDraft:
    """Returns the order draft of a message: by the offline drafter when `use_ai` is False (no request, no
    metering), else by the AI after the budget gate and PII redaction, metered. Raises AIError (recorded)
    when the budget refuses or the call fails."""
    threshold = cfg.match_threshold
    if use_ai:
        refuse_if_over_budget(cfg, distributor_id, user_id, message_id=message_id, feature="order_extraction")
    with tenant_scope(distributor_id, user_id) as conn:
        message = target(conn, distributor_id, message_id)
        catalog, history = q.catalog(conn, distributor_id), q.matching_history(conn, distributor_id)
        # what leaves for the AI is redacted, and the findings are committed before it leaves
        if use_ai:
            (text,), redacted = redact_and_record(conn, distributor_id, [(message_id, message.content)])
        else:
            text, redacted = offline_text(conn, distributor_id, message.content), {}
    ids = {
        "message_id": message_id,
        "conversation_id": message.conversation_id,
        "customer_id": message.customer_id,
    }
    if not use_ai:
        offline = offline_draft_order(text, catalog, history, threshold)
        return OrderDraft(lines=offline.lines, language=offline.language, offline=True, intent=offline.intent, **ids)

    # The offline parser proposes line wordings; each gets its catalog candidates, the only SKUs allowed.
    offered_by_line = {
        p.raw_text: candidates_for(p.raw_text, catalog, n=CANDIDATES_PER_LINE)
        for p in parse_order_lines(text)
    }
    prompt = order_messages(text, {w: [(p.sku, p.name) for p, _ in c] for w, c in offered_by_line.items()})
    try:
        result = extract_order(make_client(cfg.ai), cfg.ai.model, prompt, OrderDraftOut)
    except AIError as error:
        fail(cfg, distributor_id, user_id, error, message_id=message_id, feature="order_extraction")
        raise
    answer = result.parsed
    offered = [pc for cands in offered_by_line.values() for pc in cands]
    lines, rejected = ground_lines(answer, catalog, history, offered, threshold)
    # an unmatched line counts as 0: its score is only how close the nearest product came
    confidence = (
        round(sum(ln.confidence if ln.product else 0.0 for ln in lines) / len(lines), 3) if lines else None
    )
    call = CallRecord(
        message_id=message_id,
        feature="order_extraction",
        model=cfg.ai.model,
        prompt_version=PROMPT_VERSIONS["order_extraction"],
        content=result.raw,
        input_tokens=result.input_tokens,
        output_tokens=result.output_tokens,
        latency_ms=result.latency_ms,
        tokens_estimated=result.tokens_estimated,
        structured=_structured(lines, answer, rejected, redacted),
        confidence=confidence,
    )
    with tenant_scope(distributor_id, user_id) as conn:
        metered = record_call(conn, distributor_id, user_id, call, overrides=cfg.price_overrides)
    return OrderDraft(
        lines=lines,
        language=message_language(message),
        offline=False,
        response_id=metered.response_id,
        requested_delivery_date=answer.requested_delivery_date,
        notes=answer.notes,
        redacted=redacted,
        rejected_skus=tuple(rejected),
        **ids,
    )


def confirm_draft(
    distributor_id: str, user_id: str | None, draft: OrderDraft, lines: Sequence[OrderLineInput]
) -> CreatedOrder:
    """Confirms `draft` with the agent's final lines (services.orders_create.OrderLineInput) in one transaction;
    returns the order (the same one when the draft was confirmed before). Raises OrderInvalid."""
    request = OrderRequest(
        draft_key=draft.draft_key,
        customer_id=draft.customer_id,
        lines=tuple(lines),
        conversation_id=draft.conversation_id,
        message_id=draft.message_id,
        # an offline draft is a person's order made with a rule-based helper: not the AI's
        source="manual" if draft.offline else "ai",
        drafted_by="offline_drafter" if draft.offline else "ai",
        notes=draft.notes,
        requested_delivery_date=draft.requested_delivery_date,
    )
    with tenant_scope(distributor_id, user_id) as conn:
        return confirm_order(conn, distributor_id, user_id, request)
