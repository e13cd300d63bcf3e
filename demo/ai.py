"""One AI call on a customer message: the ai_responses row with tokens, latency and genai-prices cost,
the failed attempt before it (ai_errors), the human review with its audit row, and the training example
an edit or a rejection leaves behind."""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from decimal import Decimal
from functools import cache
from itertools import accumulate

from genai_prices import Usage, calc_price

from demo.clock import ts_dt
from demo.model import Ids, Tenant
from demo.phrases import FEEDBACK, PHRASES

SELF_HOSTED = "llama-3.1-8b-instruct"
# model -> (base latency ms, ms per output token)
SPEED = {"gpt-4o-mini": (350, 9), "gpt-4o": (600, 16), SELF_HOSTED: (220, 12)}
MODELS = {"classification": (("gpt-4o-mini",), (1,)),
          "order_extraction": (("gpt-4o-mini", "gpt-4o", SELF_HOSTED), (75, 20, 5)),
          "reply": (("gpt-4o-mini", "gpt-4o", SELF_HOSTED), (70, 15, 15))}
VERSIONS = {"classification": "classify-v1", "order_extraction": "order-v1"}
# (approved, edited, rejected) weights: reply-v2 and gpt-4o are better, the small self-hosted model worse
REVIEW = {"reply-v1": (64, 22, 14), "reply-v2": (76, 17, 7), "order-v1": (86, 12, 2)}
MODEL_BONUS = {"gpt-4o": (12, -4, -8), SELF_HOSTED: (-14, 4, 10), "gpt-4o-mini": (0, 0, 0)}
ERRORS = (("timeout", 35, "Request timed out after 30.0 seconds."),
          ("rate_limit", 30, "Error code: 429 - Rate limit reached for {model} on tokens per min (TPM)."),
          ("server_error", 15, "Error code: 500 - The server had an error while processing your request."),
          ("malformed_output", 10, "Could not read the order draft: Expecting ',' delimiter: line 1"),
          ("connection", 5, "Connection error."),
          ("truncated", 5, "The answer was cut off at max_tokens=600."))
ERROR_RATE = 0.015
STATUSES = ("approved", "edited", "rejected")
ACTIONS = {"approved": "approve", "edited": "edit", "rejected": "reject"}


@cache
def token_prices(model: str) -> tuple[Decimal, Decimal] | None:
    """Returns the price of one input and one output token in millionths of a US cent, from genai-prices
    (asked once per model: the price is linear in tokens), or None when the model has no public price."""
    try:
        per_m_in = calc_price(Usage(input_tokens=1_000_000), model_ref=model).total_price
        per_m_out = calc_price(Usage(output_tokens=1_000_000), model_ref=model).total_price
    except LookupError:
        return None
    # USD per million tokens x 100 cents = millionths of a cent per token
    return per_m_in * 100, per_m_out * 100


def micro_text(micro: int) -> str:
    """Formats millionths of a cent as the numeric text of a cents column."""
    return f"{micro // 1_000_000}.{micro % 1_000_000:06d}"


def _cum(weights) -> list[float]:
    return list(accumulate(weights))


class AI:
    """Writes AI calls for one tenant into batches; keeps the review queue and the spend series."""

    def __init__(self, t: Tenant, ids: Ids):
        self.t, self.ids, self.rng = t, ids, t.rng
        self.models = {kind: (names, _cum(w)) for kind, (names, w) in MODELS.items()}
        self.review = {(v, m): _cum(max(1, a + b) for a, b in zip(w, MODEL_BONUS[m], strict=True))
                       for v, w in REVIEW.items() for m in MODEL_BONUS}
        self.errors = _cum(w for _, w, _ in ERRORS)
        self.straggle_from = t.clock.end - 3 * 86400
        self.sign = {lang: PHRASES[lang]["sign"] for lang in PHRASES}
        self.first_names = {u.id: u.name.split()[0] for users in t.users.values() for u in users}
        self.failed_yet = False  # the tenant's first call fails once, so even a tiny tenant has ai_errors

    def respond(self, b: dict, msg: int, msg_ts: int, msg_text: str, lang: str, kind: str, content: str, *,
                structured: str | None = None, mistaken: str | None = None, review_at: int | None = None,
                reviewer: str | None = None, allow: tuple[str, ...] = STATUSES, straggle: bool = False,
                history: int = 0) -> tuple[str, str | None]:
        """Adds one AI response to message `msg` and returns (status, the text the customer finally got:
        the suggestion or its edit, None while pending or when rejected). `mistaken` is what the AI
        produced when a reviewer had to edit it (content is then the corrected text). An order
        extraction's content is its JSON, stored as `structured` too; classifications are accepted
        automatically."""
        # random() arithmetic instead of randint()/lognormvariate(): this runs for every AI call
        rng, t, ids, d = self.rng, self.t, self.ids, self.t.id
        r = rng.random
        names, cum = self.models[kind]
        model = names[bisect_right(cum, r() * cum[-1])] if len(names) > 1 else names[0]
        if kind == "reply":
            version = "reply-v2" if msg_ts >= t.reply_v2_from and r() < 0.85 else "reply-v1"
        else:
            version = VERSIONS[kind]
        produced = content
        status, final, feedback, reviewed_at = "pending", None, None, None
        pending = (review_at is None or msg_ts >= t.pending_from or review_at > t.clock.end - 60
                   or (straggle and msg_ts >= self.straggle_from and r() < 0.02))
        if kind == "classification":
            status, reviewer = "approved", None
        elif not pending:
            weights = self.review[(version, model)]
            status = STATUSES[bisect_right(weights, r() * weights[-1])]
            if status not in allow:
                status = allow[0]
            if status == "edited":
                if mistaken is not None:
                    produced, final = mistaken, content
                else:
                    final = content + self.sign[lang].format(agent=self.first_names.get(reviewer, ""))
            elif status == "rejected":
                feedback = rng.choice(FEEDBACK[kind])
        # prompts carry the system text, recent orders and catalog candidates; outputs are what was produced
        out_tokens = len(produced) // 4 + 2 + int(r() * 24)
        if kind == "classification":
            in_tokens = 170 + len(msg_text) // 4 + int(r() * 40)
        elif kind == "reply":
            in_tokens = 540 + 45 * history + len(msg_text) // 4 + int(r() * 150)
        else:
            in_tokens = 480 + len(msg_text) // 3 + int(r() * 220)
        base, per_token = SPEED[model]
        latency = int((base + per_token * out_tokens) * math.exp(rng.gauss(0, 0.3)))
        created = msg_ts + 1 + latency // 1000
        prices = token_prices(model)
        cost = None
        if prices is not None:
            micro = round(in_tokens * prices[0] + out_tokens * prices[1])
            cost = micro_text(micro)
            t.spend_ts.append(created)
            t.spend_micro.append(micro)
        if status == "pending":
            confidence = 0.55 + 0.42 * r()
        elif status == "approved":
            confidence = 0.86 + 0.13 * r() if kind == "classification" else 0.78 + 0.21 * r()
        else:
            confidence = 0.45 + 0.45 * r()
        if not pending and kind != "classification":
            reviewed_at = max(review_at, created + 20)
        elif kind == "classification":
            reviewed_at = created + 1
        rid = ids("ai_responses")
        if kind == "order_extraction":
            structured = produced
        human = kind != "classification" and reviewed_at is not None
        b["ai_responses"].append((
            rid, d, msg, kind, produced, structured, model, version, in_tokens, out_tokens, False, cost,
            latency, f"{confidence:.3f}", status, final, reviewer if human else None,
            reviewed_at and ts_dt(reviewed_at), feedback, ts_dt(created)))
        if r() < ERROR_RATE or not self.failed_yet:
            self.failed_yet = True
            self._error(b, msg, model, kind, version, created)
        if status in ("edited", "rejected"):
            b["ai_training_data"].append((ids("ai_training_data"), d, rid, msg_text, produced, final, status,
                                          reviewer, ts_dt(reviewed_at)))
        if human:
            details = f'{{"ai_response_id": {rid}, "kind": "{kind}"}}'
            b["data_access_audit"].append((ids("data_access_audit"), d, reviewer, ACTIONS[status],
                                           "ai_responses", 1, details, ts_dt(reviewed_at)))
        return status, (final or produced) if status in ("approved", "edited") else None

    def _error(self, b: dict, msg: int, model: str, kind: str, version: str, created: int) -> None:
        """A failed first attempt a few seconds before the response, on the same local day (so the
        day's ai_usage_metrics row counts it)."""
        rng, clock = self.rng, self.t.clock
        pick = ERRORS[bisect_right(self.errors, rng.random() * self.errors[-1])]
        if pick[0] == "malformed_output" and kind != "order_extraction":
            pick = ERRORS[0]
        at = created - rng.randint(2, 30)
        if clock.day_index(at) != clock.day_index(created):
            at = created
        context = json.dumps({"attempt": 1, "prompt_version": version, "retried": True})
        b["ai_errors"].append((self.ids("ai_errors"), self.t.id, msg, model, kind, pick[0],
                               pick[2].format(model=model), context, None, ts_dt(at)))

