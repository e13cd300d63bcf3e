"""Reply drafts of the assistant: streamed by the AI (metered when the stream ends) or filled from the offline
drafter's template, and saved by the agent as the pending reply suggestion on the message."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from ai.assistant import (
    LANGUAGE_NAMES,
    OFFLINE_MODEL,
    OFFLINE_PROMPT_VERSION,
    AssistantConfig,
    fail,
    message_language,
    offline_text,
    redact_and_record,
    refuse_if_over_budget,
    target,
)
from ai.client import ReplyStream, estimate_tokens, make_client, reply_messages, stream_reply
from ai.errors import AIError
from ai.metering import CallRecord, record_call
from ai.offline_drafter import draft_order as offline_draft_order
from ai.offline_drafter import draft_reply as offline_draft_reply
from ai.offline_drafter import summarize_lines
from ai.prompts import PROMPT_VERSIONS
from core.db import tenant_scope
from queries import assistant as q
from services import audit
from services.text_limits import TextInvalid, check_text

log = logging.getLogger("ordersight.assistant")

THREAD_MESSAGES = 12
CONTEXT_ORDERS = 3


def offline_reply(distributor_id: str, message_id: int, threshold: float = 0.75) -> str:
    """Returns the offline drafter's reply to a message: what was understood of the order and what was not,
    in the message's language."""
    with tenant_scope(distributor_id) as conn:
        message = target(conn, distributor_id, message_id)
        catalog, history = q.catalog(conn, distributor_id), q.matching_history(conn, distributor_id)
        text = offline_text(conn, distributor_id, message.content)
    draft = offline_draft_order(text, catalog, history, threshold)
    lines, unmatched = summarize_lines(draft)
    return offline_draft_reply(message_language(message), message.customer_name, lines, unmatched)


class ReplyJob:
    """A reply being streamed by the AI. Iterate `chunks()` once (st.write_stream): when the stream ends the
    call is metered and `response_id`, `text`, `cost_cents` are set; a failure is recorded, then raised.
    `redacted` counts the PII found per type before sending."""

    def __init__(
        self,
        cfg: AssistantConfig,
        distributor_id: str,
        user_id: str | None,
        message_id: int,
        stream: ReplyStream,
        redacted: dict[str, int],
        prompt_text: str = "",
    ) -> None:
        self._cfg, self._distributor_id, self._user_id = cfg, distributor_id, user_id
        self._stream = stream
        self._prompt_text = prompt_text
        self.message_id = message_id
        self.redacted = redacted
        self.text = ""
        self.response_id: int | None = None
        self.cost_cents: Decimal | None = None

    def _fail(self, error: AIError) -> None:
        fail(
            self._cfg, self._distributor_id, self._user_id, error, message_id=self.message_id, feature="reply"
        )

    def chunks(self) -> Iterator[str]:
        pieces: list[str] = []
        try:
            for piece in self._stream:
                pieces.append(piece)
                yield piece
        except AIError as error:
            self.text = self._stream.text
            self._fail(error)
            raise
        except GeneratorExit:
            # The page reran mid-stream (a click): the tokens were spent all the same, so record the call
            # as failed with estimated tokens rather than lose it.
            self.text = "".join(pieces)
            interrupted = AIError(
                "other",
                "reply stream stopped before its end",
                input_tokens=estimate_tokens(self._prompt_text),
                output_tokens=estimate_tokens(self.text),
                raw=self.text,
            )
            try:
                self._fail(interrupted)
            except Exception:  # never mask the rerun that closed the stream
                log.exception("could not record an interrupted reply stream")
            raise
        s = self._stream
        self.text = s.text
        call = CallRecord(
            message_id=self.message_id,
            feature="reply",
            model=self._cfg.ai.model,
            prompt_version=PROMPT_VERSIONS["reply"],
            content=s.text,
            input_tokens=s.input_tokens or 0,
            output_tokens=s.output_tokens or 0,
            latency_ms=s.latency_ms or 0,
            tokens_estimated=s.tokens_estimated,
            structured={"redacted": self.redacted},
        )
        with tenant_scope(self._distributor_id, self._user_id) as conn:
            metered = record_call(
                conn, self._distributor_id, self._user_id, call, overrides=self._cfg.price_overrides
            )
        self.response_id, self.cost_cents = metered.response_id, metered.cost_cents


def _order_summary(row) -> str:
    return (
        f"{row.order_number} · {row.created_at:%Y-%m-%d} · {row.status} · {row.lines} lines · "
        f"{row.currency} {row.total_cents / 100:,.2f}"
    )


def start_reply(cfg: AssistantConfig, distributor_id: str, user_id: str | None, message_id: int) -> ReplyJob:
    """Checks the budget, redacts the conversation (recording the findings) and starts streaming the AI's
    reply to the message in its language and the distributor's tone. Raises AIError (already recorded)
    when the budget refuses or the request fails."""
    refuse_if_over_budget(cfg, distributor_id, user_id, message_id=message_id, feature="reply")
    with tenant_scope(distributor_id, user_id) as conn:
        message = target(conn, distributor_id, message_id)
        profile = q.distributor_profile(conn, distributor_id)
        thread = [
            (i, role, text)
            for i, role, text in q.conversation_thread(
                conn,
                distributor_id,
                conversation_id=message.conversation_id,
                message_id=message_id,
                limit=THREAD_MESSAGES,
            )
            if role != "system"
        ]
        orders = q.customer_orders(
            conn, distributor_id, customer_id=message.customer_id, tz=profile.timezone, limit=CONTEXT_ORDERS
        )
        texts, redacted = redact_and_record(conn, distributor_id, [(i, text) for i, _, text in thread])
    language = message_language(message)
    prompt = reply_messages(
        profile.name,
        profile.reply_tone,
        LANGUAGE_NAMES.get(language, language),
        [(role, text) for (_, role, _), text in zip(thread, texts, strict=True)],
        [_order_summary(row) for row in orders.itertuples()],
    )
    try:
        stream = stream_reply(make_client(cfg.ai), cfg.ai.model, prompt)
    except AIError as error:
        fail(cfg, distributor_id, user_id, error, message_id=message_id, feature="reply")
        raise
    prompt_text = "".join(m["content"] for m in prompt)
    return ReplyJob(cfg, distributor_id, user_id, message_id, stream, redacted, prompt_text)


@dataclass(frozen=True)
class SavedReply:
    """The outcome of saving a reply: the suggestion's id (None when nothing was saved) and what to tell."""

    response_id: int | None
    message: str


def save_reply(
    distributor_id: str, user_id: str | None, *, message_id: int, text: str, response_id: int | None = None
) -> SavedReply:
    """Saves the agent's reply as the pending suggestion on the message: into the AI draft `response_id`
    (the model's own text is kept in structured.model_text), or, for an offline draft, as a new suggestion.
    Nothing is saved when the text is empty or the AI draft was reviewed meanwhile."""
    try:
        content = check_text("reply", text)
    except TextInvalid as exc:
        return SavedReply(None, str(exc))
    if not content:
        return SavedReply(None, "Write a reply before saving it.")
    with tenant_scope(distributor_id, user_id) as conn:
        if response_id is not None:
            if not q.save_reply_text(conn, distributor_id, response_id=response_id, content=content):
                return SavedReply(
                    None,
                    "This draft was already reviewed in Conversations, so it cannot change "
                    "any more. Your text is still here to copy.",
                )
            saved, action = response_id, "update"
        else:
            target(conn, distributor_id, message_id)
            saved = q.insert_offline_reply(
                conn,
                distributor_id,
                message_id=message_id,
                content=content,
                model=OFFLINE_MODEL,
                prompt_version=OFFLINE_PROMPT_VERSION,
            )
            action = "create"
        audit.record_access(
            conn,
            distributor_id=distributor_id,
            user_id=user_id,
            action=action,
            resource="ai_responses",
            record_count=1,
            details={"response_id": saved, "message_id": message_id, "kind": "reply"},
        )
    return SavedReply(saved, "Saved as the reply suggestion on this message; it now waits for review.")
