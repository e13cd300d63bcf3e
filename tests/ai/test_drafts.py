from decimal import Decimal

import pytest

from ai.drafts import DraftOrder, draft_line, line_total_cents
from ai.matching import Match
from tests.ai.sample_catalog import BY_SKU


@pytest.mark.parametrize(
    ("quantity", "price", "expected"),
    [
        (Decimal(2), 350, 700),
        (Decimal("2.5"), 333, 833),  # 832.5 rounds half up
        (Decimal("0.25"), 250, 63),  # 62.5
        (Decimal("1.333"), 90, 120),  # 119.97
        (Decimal(3), 0, 0),
    ],
)
def test_line_total_cents(quantity, price, expected):
    assert line_total_cents(quantity, price) == expected


def test_matched_line_is_priced_and_not_flagged():
    coke = BY_SKU["COKE-2L"]
    line = draft_line("coca 2l", Decimal(3), "case", Match(coke, 0.9, "fuzzy", [(coke, 0.9)]))
    assert (line.unit_price_cents, line.line_total_cents, line.flagged) == (350, 1050, False)
    assert (line.product, line.method, line.unit) == (coke, "fuzzy", "case")


def test_unmatched_line_costs_nothing_and_is_flagged():
    line = draft_line("pepsi", Decimal(2), None, Match(None, 0.4, "none", []), notes="bien fria")
    assert (line.product, line.unit_price_cents, line.line_total_cents, line.flagged) == (None, 0, 0, True)
    assert line.notes == "bien fria"


def test_unsure_choice_is_priced_but_flagged():
    # The AI path may keep a model's choice below the threshold: priced, but a person must look.
    salt = BY_SKU["SALT-1KG"]
    line = draft_line("sal fina", Decimal(4), None, Match(salt, 0.6, "fuzzy", []), threshold=0.75)
    assert (line.line_total_cents, line.flagged) == (360, True)


def test_order_total_and_flagged_lines():
    coke, salt = BY_SKU["COKE-2L"], BY_SKU["SALT-1KG"]
    lines = [
        draft_line("coca 2l", Decimal(2), None, Match(coke, 1.0, "exact", [])),
        draft_line("sal", Decimal("1.5"), "kg", Match(salt, 0.8, "fuzzy", [])),
        draft_line("pepsi", Decimal(5), None, Match(None, 0.3, "none", [])),
    ]
    order = DraftOrder(lines, "es")
    assert order.total_cents == 700 + 135 + 0
    assert [line.raw_text for line in order.flagged_lines] == ["pepsi"]
