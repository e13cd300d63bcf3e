"""What an AI call cost, in USD cents (Decimal, fractions allowed), priced by genai-prices.

Self-hosted or unlisted models are priced by settings overrides; a model neither knows is
unpriced (None), never silently free.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from genai_prices import Usage, calc_price

CENTS_PER_USD = Decimal(100)
TOKENS_PER_MILLION = Decimal(1_000_000)


@lru_cache(maxsize=256)
def is_priced(model: str) -> bool:
    """Returns whether genai-prices knows `model` (cached: the answer is the same for the process)."""
    try:
        calc_price(Usage(input_tokens=0, output_tokens=0), model_ref=model)
    except LookupError:
        return False
    return True


def price_call(
    model: str,
    input_tokens: int,
    output_tokens: int,
    overrides: dict[str, tuple[Decimal, Decimal]] | None = None,
) -> Decimal | None:
    """Returns the cost of one call in USD cents, or None when the model's price is unknown.

    `overrides` maps model -> (USD per million input tokens, USD per million output tokens) and
    wins over genai-prices.
    """
    if overrides and model in overrides:
        per_m_in, per_m_out = overrides[model]
        usd = (per_m_in * input_tokens + per_m_out * output_tokens) / TOKENS_PER_MILLION
        return usd * CENTS_PER_USD
    if not is_priced(model):
        return None
    usage = Usage(input_tokens=input_tokens, output_tokens=output_tokens)
    return calc_price(usage, model_ref=model).total_price * CENTS_PER_USD
