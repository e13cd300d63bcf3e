"""ai.pricing: USD cents from genai-prices, settings overrides first, unknown models unpriced."""

from __future__ import annotations

from decimal import Decimal

from genai_prices import Usage, calc_price

from ai.pricing import is_priced, price_call


def test_known_model_is_genai_prices_figure_in_cents():
    # gpt-4o-mini: $0.15 / M input, $0.60 / M output ->
    # 1000 * 0.15e-6 + 500 * 0.60e-6 = 0.00015 + 0.0003 = $0.00045 = 0.045 cents
    cost = price_call("gpt-4o-mini", 1000, 500)
    own = calc_price(Usage(input_tokens=1000, output_tokens=500), model_ref="gpt-4o-mini").total_price
    assert cost == own * 100
    assert cost == Decimal("0.045")


def test_known_model_zero_tokens_costs_zero_not_unknown():
    assert price_call("gpt-4o-mini", 0, 0) == Decimal(0)


def test_override_prices_a_self_hosted_model():
    overrides = {"llama3.1:8b": (Decimal("0.10"), Decimal("0.40"))}
    # 2M input * $0.10/M + 1M output * $0.40/M = $0.60 = 60 cents
    assert price_call("llama3.1:8b", 2_000_000, 1_000_000, overrides) == Decimal("60")
    # 1234 * 0.10/M + 567 * 0.40/M = 0.0001234 + 0.0002268 = $0.0003502 = 0.03502 cents
    assert price_call("llama3.1:8b", 1234, 567, overrides) == Decimal("0.03502")


def test_override_wins_over_genai_prices():
    overrides = {"gpt-4o-mini": (Decimal("1"), Decimal("2"))}
    # 1M * $1/M + 1M * $2/M = $3 = 300 cents
    assert price_call("gpt-4o-mini", 1_000_000, 1_000_000, overrides) == Decimal("300")


def test_unknown_model_is_unpriced():
    assert price_call("llama3.1:8b", 1000, 500) is None
    assert price_call("llama3.1:8b", 1000, 500, {"other-model": (Decimal(1), Decimal(1))}) is None
    assert is_priced("llama3.1:8b") is False and is_priced("gpt-4o-mini") is True
