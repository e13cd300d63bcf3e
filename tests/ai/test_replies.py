from decimal import Decimal

import pytest

from ai.drafts import DraftOrder, draft_line
from ai.matching import Match
from ai.offline_drafter import draft_order, draft_reply
from ai.replies import summarize_lines
from tests.ai.sample_catalog import BY_SKU


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", 'Hi Ana! Thanks for your order. We have noted:\n• 2 x Coca-Cola 2L\n• 1 x Sal Refinada 1kg\n'
               'We could not identify: "pepsi". Could you tell us which product you mean?\n'
               "We will confirm availability and delivery shortly."),
        ("es", "¡Hola Ana! Gracias por tu pedido. Anotamos:\n• 2 x Coca-Cola 2L\n• 1 x Sal Refinada 1kg\n"
               'No pudimos identificar: "pepsi". ¿Nos dices a qué producto te refieres?\n'
               "En breve te confirmamos disponibilidad y entrega."),
        ("pt", "Olá Ana! Obrigado pelo pedido. Anotamos:\n• 2 x Coca-Cola 2L\n• 1 x Sal Refinada 1kg\n"
               'Não conseguimos identificar: "pepsi". Pode nos dizer qual produto você quer?\n'
               "Em breve confirmamos disponibilidade e entrega."),
    ],
)
def test_reply_in_the_customers_language(language, expected):
    assert draft_reply(language, "Ana", ["2 x Coca-Cola 2L", "1 x Sal Refinada 1kg"], ["pepsi"]) == expected


def test_reply_without_name_and_without_lines():
    assert draft_reply("es", None, [], []) == "¡Hola! ¡Gracias por tu mensaje! ¿Qué te gustaría pedir?"
    assert draft_reply("pt", "  ", [], []) == "Olá! Obrigado pela mensagem! O que você gostaria de pedir?"
    assert draft_reply("fr", "Jo", [], []) == "Hi Jo! Thanks for your message! What would you like to order?"


def test_reply_with_only_unmatched_asks_and_confirms_nothing():
    reply = draft_reply("en", "Jo", [], ["fuba", "pepsi"])
    assert reply == (
        'Hi Jo!\nWe could not identify: "fuba", "pepsi". Could you tell us which product you mean?'
    )


def test_summaries_are_localized(catalog):
    message = "2 cajas de coca cola 2L, 1 caja de corona, 3 de sal, 1,5 kg de limon y 4 pepsi"
    order = draft_order(message, catalog)
    summary, unmatched = summarize_lines(order)
    assert summary == [
        "2 cajas de Coca-Cola 2L", "1 caja de Corona Extra 355ml", "3 x Sal Refinada 1kg", "1,5 kg de Limón",
    ]
    assert unmatched == ["pepsi"]
    pt = DraftOrder([draft_line("x", Decimal(2), "bag", Match(BY_SKU["SALT-1KG"], 1.0, "exact", []))], "pt")
    assert summarize_lines(pt) == (["2 sacos de Sal Refinada 1kg"], [])


def test_offline_reply_end_to_end(catalog):
    order = draft_order("Hi! pls send 2 cases of coke 2L and 3 pepsi", catalog)
    reply = draft_reply(order.language, "Bob", *summarize_lines(order))
    assert reply == (
        "Hi Bob! Thanks for your order. We have noted:\n"
        "• 2 cases of Coca-Cola 2L\n"
        'We could not identify: "pepsi". Could you tell us which product you mean?\n'
        "We will confirm availability and delivery shortly."
    )
