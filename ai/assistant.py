"""The assistant's orchestration (no Streamlit), shared by its reply drafts (assistant_replies.py) and order
drafts (assistant_orders.py): settings, the message drafted for, the budget gate, PII redaction, failures.

An AI call runs outside any database transaction (it takes seconds): one short transaction before it
(message, budget gate, catalog, redaction and its findings), one after it (metering or the failure).
A call the budget refuses is recorded as an ai_errors row and raised as AIError("budget_blocked") before
any request is made. Every failed call is raised as AIError after its ai_errors row is committed; an
invalid PII rule stops the call before anything is sent (AIError, not recorded: no call was made).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from ai.client import AISettings
from ai.errors import AIError
from ai.metering import record_failure
from ai.offline_drafter import detect_language
from ai.pii import DEFAULT_RULES, redact, region_of
from ai.prompts import PROMPT_VERSIONS
from core.db import tenant_scope
from queries import assistant as q
from queries.assistant import PIIRule
from services import audit
from services.budget import allow_call
from services.text_limits import check_text

OFFLINE_NOTICE = "No AI key configured — using the offline drafter"
OFFLINE_MODEL = "offline-drafter"
OFFLINE_PROMPT_VERSION = "offline-v1"
LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "pt": "Portuguese"}
PASTED_CHANNEL = "whatsapp"


@dataclass(frozen=True)
class AssistantConfig:
    """What the assistant needs from the settings: AI client settings, price overrides, match threshold."""

    ai: AISettings
    price_overrides: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
    match_threshold: float = 0.75

    @classmethod
    def from_settings(cls, settings: Any) -> AssistantConfig:
        """Returns the config of core.config.Settings."""
        return cls(
            AISettings.from_settings(settings), dict(settings.ai_price_overrides), settings.ai_match_threshold
        )

    @property
    def has_ai(self) -> bool:
        """Whether an API key is configured (without one, only the offline drafter works)."""
        return bool(self.ai.api_key)


def effective_rules(stored: list[q.StoredRule]) -> list[tuple[int | None, PIIRule]]:
    """Returns (rule id or None for a default, rule): DEFAULT_RULES, where a distributor's rule with the same
    name replaces the default (or, when disabled, switches it off), plus the distributor's other enabled
    rules."""
    rules: dict[str, tuple[int | None, PIIRule]] = {r.name: (None, r) for r in DEFAULT_RULES}
    for s in stored:
        if s.enabled:
            rules[s.rule.name] = (s.id, s.rule)
        else:
            rules.pop(s.rule.name, None)
    return list(rules.values())


def _tenant_rules(conn: Connection, distributor_id: str) -> tuple[list[tuple[int | None, PIIRule]], str | None]:
    """Returns the distributor's effective PII rules and its country (from its time zone), which phones and
    tax ids are checked for."""
    region = region_of(q.distributor_profile(conn, distributor_id).timezone)
    return effective_rules(q.pii_rules(conn, distributor_id)), region


def offline_text(conn: Connection, distributor_id: str, text: str) -> str:
    """Returns `text` with PII replaced, for the offline drafter: nothing leaves, but phone, card and tax
    numbers must not be read as quantities. Nothing is recorded; an invalid rule leaves the text as is."""
    rules, region = _tenant_rules(conn, distributor_id)
    try:
        return redact(text, [rule for _, rule in rules], region).text
    except re.error:
        return text


def redact_and_record(
    conn: Connection, distributor_id: str, texts: list[tuple[int, str]]
) -> tuple[list[str], dict[str, int]]:
    """Redacts each (message id, text) with the distributor's rules and records what was found per message in
    pii_detection_results. Returns the redacted texts (same order) and the count of findings per PII type.
    Raises AIError when a rule's pattern is invalid: nothing may be sent unredacted."""
    rules, region = _tenant_rules(conn, distributor_id)
    ids = {rule.name: rule_id for rule_id, rule in rules}
    redacted: list[str] = []
    totals: dict[str, int] = {}
    for message_id, text in texts:
        try:
            result = redact(text, [rule for _, rule in rules], region)
        except re.error as exc:
            raise AIError(
                "other",
                f"invalid PII rule pattern: {exc}",
                user_message=(
                    "A privacy (PII) rule of your distributor is invalid, so nothing was sent to the AI. "
                    "Ask an admin to fix the rule; the offline drafter still works."
                ),
            ) from exc
        redacted.append(result.text)
        for f in result.findings:
            q.insert_pii_result(
                conn,
                distributor_id,
                message_id=message_id,
                rule_id=ids.get(f.rule_name),
                pii_type=f.pii_type,
                match_count=f.count,
            )
            totals[f.pii_type] = totals.get(f.pii_type, 0) + f.count
    return redacted, totals


def pasted_message(distributor_id: str, user_id: str | None, *, customer_id: int, text: str) -> int:
    """Stores a message the agent pasted for a customer as an inbound message of the customer's latest open
    conversation (a new one when there is none) and returns its id; the drafts and the order link to it."""
    text = check_text("message", text)  # TextInvalid: too long, or control characters
    if not text:
        raise ValueError("the pasted message is empty")
    with tenant_scope(distributor_id, user_id) as conn:
        conversation_id = q.open_conversation(conn, distributor_id, customer_id=customer_id)
        if conversation_id is None:
            conversation_id = q.insert_conversation(
                conn, distributor_id, customer_id=customer_id, channel=PASTED_CHANNEL
            )
        message_id = q.insert_inbound_message(
            conn, distributor_id, conversation_id=conversation_id, content=text.strip()
        )
        audit.record_access(
            conn,
            distributor_id=distributor_id,
            user_id=user_id,
            action="create",
            resource="messages",
            record_count=1,
            details={
                "message_id": message_id,
                "conversation_id": conversation_id,
                "customer_id": customer_id,
                "via": "assistant_paste",
            },
        )
    return message_id


def target(conn: Connection, distributor_id: str, message_id: int) -> q.MessageTarget:
    """Returns the message the assistant drafts for; raises LookupError when the tenant has none such."""
    found = q.message_target(conn, distributor_id, message_id=message_id)
    if found is None:
        raise LookupError(f"message {message_id} not found")
    return found


def message_language(message: q.MessageTarget) -> str:
    """Returns the language of the message ("en", "es", "pt"), the customer's language breaking ties."""
    default = message.customer_language if message.customer_language in LANGUAGE_NAMES else "en"
    return detect_language(message.content, default=default)


def refuse_if_over_budget(
    cfg: AssistantConfig, distributor_id: str, user_id: str | None, *, message_id: int, feature: str
) -> None:
    """Raises AIError("budget_blocked") with the budget's reason, after recording it in ai_errors, when the
    budget gate refuses a new call; returns otherwise."""
    with tenant_scope(distributor_id, user_id) as conn:
        allowance = allow_call(conn, distributor_id)
    if allowance.allowed:
        return
    error = AIError(
        "budget_blocked",
        allowance.reason,
        user_message=f"{allowance.reason} You can use the offline drafter meanwhile.",
    )
    fail(cfg, distributor_id, user_id, error, message_id=message_id, feature=feature)
    raise error


def fail(
    cfg: AssistantConfig,
    distributor_id: str,
    user_id: str | None,
    error: AIError,
    *,
    message_id: int,
    feature: str,
) -> None:
    """Commits the ai_errors row (and the error count) of a failed call."""
    with tenant_scope(distributor_id, user_id) as conn:
        record_failure(
            conn,
            distributor_id,
            user_id,
            error,
            feature=feature,
            model=cfg.ai.model,
            message_id=message_id,
            prompt_version=PROMPT_VERSIONS.get(feature),
            overrides=cfg.price_overrides,
        )
