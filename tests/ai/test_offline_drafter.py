from decimal import Decimal

import pytest

from ai.catalog import normalize
from ai.offline_drafter import ParsedLine, detect_language, draft_order, parse_order_lines
from tests.ai.sample_catalog import BY_SKU


def lines(message, language=None):
    return [(p.raw_text, p.quantity, p.unit) for p in parse_order_lines(message, language)]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("2 cajas de coca cola 2L", [("coca cola 2L", 2, "case")]),
        ("10x water 500ml", [("water 500ml", 10, None)]),
        ("send three cases of Heineken", [("Heineken", 3, "case")]),
        ("quiero 5 paquetes de arroz 1kg y 2 aceites", [("arroz 1kg", 5, "pack"), ("aceites", 2, None)]),
        ("manda 3 caixas de cerveja skol lata", [("cerveja skol lata", 3, "case")]),
        ("pls 4 boxes of tomatoes + 2 bags onions", [("tomatoes", 4, "box"), ("onions", 2, "bag")]),
    ],
)
def test_brief_examples(message, expected):
    assert lines(message) == [(w, Decimal(q), u) for w, q, u in expected]


@pytest.mark.parametrize(
    ("message", "language", "quantity"),
    [
        ("one corona", "en", 1), ("seven corona", "en", 7), ("twelve corona", "en", 12),
        ("twenty corona", "en", 20), ("uno corona", "es", 1), ("una corona", "es", 1),
        ("dos corona", "es", 2), ("once corona", "es", 11), ("quince corona", "es", 15),
        ("diecisiete corona", "es", 17), ("veinte corona", "es", 20), ("um corona", "pt", 1),
        ("uma corona", "pt", 1), ("dois corona", "pt", 2), ("duas corona", "pt", 2),
        ("catorze corona", "pt", 14), ("quatorze corona", "pt", 14), ("dezenove corona", "pt", 19),
        ("vinte corona", "pt", 20), ("TRES corona", "es", 3), ("três corona", "pt", 3),
    ],
)
def test_number_words(message, language, quantity):
    assert lines(message, language) == [("corona", Decimal(quantity), None)]


def test_number_words_of_another_language_are_not_numbers():
    assert parse_order_lines("once more corona", "en") == []  # "once" is 11 only in Spanish
    assert lines("2 caixas dos tomates", "pt") == [("tomates", Decimal(2), "case")]
    assert parse_order_lines("thanks a lot", "en") == []  # "a" counts only before a unit: "a case of"
    assert lines("a case of corona", "en") == [("corona", Decimal(1), "case")]


@pytest.mark.parametrize(
    "message", ["x3 corona", "3x corona", "3 x corona", "corona x3", "corona x 3", "3 corona"]
)
def test_multiplier_forms(message):
    assert lines(message) == [("corona", Decimal(3), None)]


@pytest.mark.parametrize(
    "message",
    [
        "2 corona\n3 sprite 2l", "2 corona, 3 sprite 2l", "2 corona and 3 sprite 2l",
        "2 corona y 3 sprite 2l", "2 corona e 3 sprite 2l", "2 corona + 3 sprite 2l", "2 corona; 3 sprite 2l",
        "- 2 corona\n- 3 sprite 2l", "• 2 corona\n• 3 sprite 2l", "* 2 corona\n* 3 sprite 2l",
        "2 corona 🍺 3 sprite 2l", "2 corona 3 sprite 2l", "1) 2 corona\n2) 3 sprite 2l",
    ],
)
def test_separators(message):
    assert lines(message) == [("corona", Decimal(2), None), ("sprite 2l", Decimal(3), None)]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("coca cola 2L x 6", [("coca cola 2L", 6, None)]),  # the size stays in the wording
        ("3 agua 1,5L", [("agua 1,5L", 3, None)]),
        ("5 cerveja heineken 600", [("cerveja heineken 600", 5, None)]),
        ("10 kg de tomate", [("tomate", 10, "kg")]),  # a weight before the product is the quantity
        ("bananas 8kg", [("bananas", 8, "kg")]),
        ("2.5 kg limes", [("limes", Decimal("2.5"), "kg")]),
        ("12 unidades de jugo", [("jugo", 12, "unit")]),
        ("6 fardos agua", [("agua", 6, "pack")]),
        ("2 garrafas de skol", [("skol", 2, "bottle")]),
        ("3 latas de coca", [("coca", 3, "can")]),
        ("1 docena de aguacates", [("aguacates", 12, None)]),  # a dozen is 12 of the product
    ],
)
def test_sizes_and_units(message, expected):
    assert lines(message) == [(w, Decimal(q), u) for w, q, u in expected]


@pytest.mark.parametrize(
    "message",
    [
        "Hi!", "good morning 😊", "thanks a lot!", "ok", "Hola, buenas tardes", "Gracias!!", "muchas gracias",
        "Bom dia!", "obrigado 🙏", "valeu", "How much is the corona?", "¿Cuánto cuesta la caja de corona?",
        "vcs tem azeite?", "do you have 2l cokes?", "", "   ", "👍👍",
    ],
)
def test_no_order_gives_no_lines(message):
    assert parse_order_lines(message) == []


def test_question_then_count_uses_the_asked_product():
    assert lines("tem cerveja corona? manda 2 caixas") == [("cerveja corona", Decimal(2), "case")]


def test_notes_in_parentheses():
    parsed = parse_order_lines("2 cajas de coca 2L (bien frías) y 1 sprite 2l")
    assert parsed == [
        ParsedLine("coca 2L", Decimal(2), "case", "bien frías"),
        ParsedLine("sprite 2l", Decimal(1), None, None),
    ]


@pytest.mark.parametrize(
    ("message", "language"),
    [
        ("pls send 2 cases of coke", "en"), ("quiero 2 cajas de coca", "es"),
        ("quero 2 caixas de coca", "pt"),
        ("mañana 3 cocas", "es"), ("3 cocas pra amanhã", "pt"), ("Gracias!", "es"), ("obrigado!", "pt"),
        ("thanks!", "en"), ("2 corona", "en"),
    ],
)
def test_detect_language(message, language):
    assert detect_language(message) == language


def test_detect_language_default():
    assert detect_language("2 corona", default="pt") == "pt"


def test_draft_order_matches_prices_and_flags(catalog):
    order = draft_order("2 cajas de coca cola 2L, 3 de pepsi y 1,5 kg de limon", catalog)
    assert order.language == "es"
    got = [(d.raw_text, d.quantity, d.product.sku if d.product else None, d.line_total_cents, d.flagged)
           for d in order.lines]
    assert got == [
        ("coca cola 2L", Decimal(2), "COKE-2L", 700, False),
        ("pepsi", Decimal(3), None, 0, True),
        ("limon", Decimal("1.5"), "LEMON-KG", 375, False),  # 1.5 kg x 250
    ]
    assert order.total_cents == 1075


def test_draft_order_uses_history(catalog):
    history = {normalize("refri"): BY_SKU["GUARANA-2L"].id}
    order = draft_order("manda 4 refri", catalog, history)
    line = order.lines[0]
    assert (line.product.sku, line.method, line.confidence) == ("GUARANA-2L", "history", 1.0)
    assert line.line_total_cents == 4 * 300
    assert draft_order("manda 4 refri", catalog).lines[0].product is None  # unknown without history


def test_packaging_settles_an_ambiguous_wording(catalog):
    # "coca" alone could be any Coca-Cola; "latas de coca" is the can.
    assert draft_order("5 latas de coca", catalog).lines[0].product.sku == "COKE-355"
    assert draft_order("5 coca", catalog).lines[0].product is None
