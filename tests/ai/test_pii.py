"""ai.pii: phones, emails, cards, IBANs, tax ids redacted; order text, quantities, SKUs and dates untouched."""

from __future__ import annotations

import re

import pytest

from ai.pii import DEFAULT_RULES, Finding, redact, region_of
from queries.assistant import PIIRule


@pytest.mark.parametrize(
    ("text", "expected", "rule_name"),
    [
        ("Mi número es +55 11 98765-4321, gracias", "Mi número es [PHONE], gracias", "phone_international"),
        ("call +1 (415) 555-0100 now", "call [PHONE] now", "phone_international"),
        ("whatsapp +34 612 345 678", "whatsapp [PHONE]", "phone_international"),
        ("+5511987654321", "[PHONE]", "phone_international"),
        ("+44 20 7946 0958 office", "[PHONE] office", "phone_international"),
        ("ligue (11) 98765-4321", "ligue [PHONE]", "phone_local"),
        ("tel 4567-8901.", "tel [PHONE].", "phone_local"),
        ("móvil 612 345 678", "móvil [PHONE]", "phone_local"),
        ("portable 06 12 34 56 78", "portable [PHONE]", "phone_local"),
        ("mail joao.silva99@empresa.com.br ok", "mail [EMAIL] ok", "email"),
        ("Ana.Perez+pedidos@bar-sur.es", "[EMAIL]", "email"),
        ("card 4111 1111 1111 1111 please", "card [CARD] please", "card"),
        ("4111-1111-1111-1111", "[CARD]", "card"),
        ("mc 5555555555554444", "mc [CARD]", "card"),
        ("amex 3782 822463 10005", "amex [CARD]", "card"),
        ("tarjeta 4111 1111 1111 1111 2 cajas", "tarjeta [CARD] 2 cajas", "card"),
        ("IBAN DE89 3704 0044 0532 0130 00 OK", "IBAN [IBAN] OK", "iban"),
        ("GB29NWBK60161331926819", "[IBAN]", "iban"),
        ("ES91 2100 0418 4502 0005 1332 por favor", "[IBAN] por favor", "iban"),
    ],
)
def test_pii_is_redacted(text, expected, rule_name):
    result = redact(text, DEFAULT_RULES)
    assert result.text == expected
    assert [(f.rule_name, f.count) for f in result.findings] == [(rule_name, 1)]


@pytest.mark.parametrize(
    "text",
    [
        "2 cajas de coca cola 2L",
        "10x water 500ml",
        "order 12345",
        "pedido #4521 - 10 cajas",
        "entrega 2024-05-12",
        "para el 12/05/2024",
        "12.05.2024",
        "12-05-2024 a las 10:30",
        "2024-05-12 10:30",
        "pedido 1.500 unidades a 2.000",
        "SKU 12345678",
        "EAN 7891000100103",  # a barcode: 13 digits, starts with 7, not a card
        "4111111111111112",  # card-shaped but fails Luhn
        "+2 cajas de agua, 3 x 600ml",
        "precio $1,234.56 por 24 unidades",
        "",
    ],
)
def test_order_text_is_untouched(text):
    result = redact(text, DEFAULT_RULES)
    assert result.text == text
    assert result.findings == []


def test_findings_count_per_rule():
    text = "Ana ana@x.com / +55 11 98765-4321 / +55 21 99876-5432, 2 cajas de agua; copia a pedidos@x.com"
    result = redact(text, DEFAULT_RULES)
    assert result.text == "Ana [EMAIL] / [PHONE] / [PHONE], 2 cajas de agua; copia a [EMAIL]"
    assert result.findings == [Finding("email", "email", 2), Finding("phone", "phone_international", 2)]


def test_rule_order_does_not_matter():
    text = "IBAN DE89 3704 0044 0532 0130 00, card 4111 1111 1111 1111, tel 98765-4321"
    expected = "IBAN [IBAN], card [CARD], tel [PHONE]"
    assert redact(text, DEFAULT_RULES).text == expected
    assert redact(text, list(reversed(DEFAULT_RULES))).text == expected


def test_distributor_rule_and_checks_by_type():
    cpf = PIIRule("cpf", "tax_id", r"\b\d{3}\.\d{3}\.\d{3}-\d{2}\b", "[TAX_ID]")
    # a distributor's own card rule still gets the Luhn check of its type
    loose_card = PIIRule("any16", "card", r"\b\d{16}\b", "[CARD]")
    result = redact("CPF 123.456.789-09, 4111111111111111 and 4111111111111112", [cpf, loose_card])
    assert result.text == "CPF [TAX_ID], [CARD] and 4111111111111112"
    assert result.findings == [Finding("card", "any16", 1), Finding("tax_id", "cpf", 1)]


def test_iban_needs_its_checksum():
    iban_rule = [r for r in DEFAULT_RULES if r.pii_type == "iban"]
    assert redact("DE89 3704 0044 0532 0130 00", iban_rule).text == "[IBAN]"
    # one digit off fails mod 97 (the other rules may still hide its long digit run, which is fine)
    assert redact("DE89 3704 0044 0532 0130 01", iban_rule).findings == []


def test_invalid_rule_stops_redaction():
    with pytest.raises(re.error):
        redact("text", [PIIRule("broken", "other", "(unclosed", "[X]")])


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("4111 1111 1111 1111", True),
        ("378282246310005", True),
        ("4111111111111112", False),
        ("5555 5555 5555 4445", False),
    ],
)
def test_cards_need_the_luhn_checksum(number, ok):
    card_rule = [r for r in DEFAULT_RULES if r.pii_type == "card"]
    assert redact(number, card_rule).text == ("[CARD]" if ok else number)


# --- with the tenant's country (from its time zone): tax ids by checksum, phones by libphonenumber ---


@pytest.mark.parametrize(
    ("timezone", "region"),
    [("America/Bogota", "CO"), ("America/Sao_Paulo", "BR"), ("America/New_York", "US"), ("UTC", None)],
)
def test_region_of_the_time_zone(timezone, region):
    assert region_of(timezone) == region


@pytest.mark.parametrize(
    ("region", "text", "expected", "rule_name"),
    [
        ("CO", "NIT 900.123.456-8 para la factura", "NIT [TAX_ID] para la factura", "tax_id"),
        ("CO", "nit 900123456-8", "nit [TAX_ID]", "tax_id"),
        ("BR", "CPF 111.444.777-35 obrigado", "CPF [TAX_ID] obrigado", "tax_id"),
        ("BR", "CNPJ 11.222.333/0001-81", "CNPJ [TAX_ID]", "tax_id"),
        ("CO", "+57 300 1234567", "[PHONE]", "phone_international"),
        ("CO", "Cualquier cosa me llaman al +57 310 555 1234", "Cualquier cosa me llaman al [PHONE]",
         "phone_international"),
        ("CO", "+52 55 1234 5678 (México)", "[PHONE] (México)", "phone_international"),
        # not assigned in Colombia, but after a +code a possible length is enough
        ("CO", "+57 390 555 1234", "[PHONE]", "phone_international"),
        ("BR", "ligue (11) 98765-4321", "ligue [PHONE]", "phone_local"),
        ("BR", "(11) 3456-7890 escritório", "[PHONE] escritório", "phone_local"),
        ("CO", "me llamo 3001234567 gracias", "me llamo [PHONE] gracias", "phone_local"),
        ("CO", "tel 601 7654321", "tel [PHONE]", "phone_local"),
        ("CO", "al 300 123 4567 y 2 cajas", "al [PHONE] y 2 cajas", "phone_local"),
        ("US", "call me at (617) 555-0142", "call me at [PHONE]", "phone_local"),
        # a quantity next to a phone stays: the regex swallows it, the number check leaves it out
        ("CO", "+57 300 1234567 12 cajas", "[PHONE] 12 cajas", "phone_international"),
        ("CO", "cel 300 123 4567 12 cajas", "cel [PHONE] 12 cajas", "phone_local"),
        ("CO", "12 300 123 4567", "12 [PHONE]", "phone_local"),
    ],
)
def test_pii_of_the_tenants_country_is_redacted(region, text, expected, rule_name):
    result = redact(text, DEFAULT_RULES, region=region)
    assert result.text == expected
    assert [(f.rule_name, f.count) for f in result.findings] == [(rule_name, 1)]


@pytest.mark.parametrize(
    ("region", "text"),
    [
        ("CO", "NIT 900.123.456-7"),  # wrong check digit
        ("BR", "CPF 123.456.789-10"),  # wrong check digits: neither a tax id nor a phone
        ("BR", "CNPJ 11.222.333/0001-82"),
        ("CO", "tarjeta 4111 1111 1111 1112 gracias"),  # wrong Luhn digit: not a card, nor a phone
        ("CO", "12 x 24, 6 x 12 y 3 x 6"),
        ("CO", "precio $1.250.000"),
        ("CO", "total 1.250.000 y 350.000"),
        ("CO", "entrega 2026-12-05"),
        ("CO", "ref 2026 12 05"),
        ("CO", "pedido 20 30 40 50"),
        ("CO", "llevo 100 200 300 400"),
        ("CO", "SKU GAS-001 y GAS-002"),
        ("CO", "SKU 7702004003508"),
        ("CO", "pedido AB-2026-001234"),
        ("BR", "pedido nº 2026120512"),
        ("BR", "R$ 1.250,00 em 3x"),
    ],
)
def test_numbers_of_the_tenants_country_that_are_not_pii_are_untouched(region, text):
    result = redact(text, DEFAULT_RULES, region=region)
    assert result.text == text
    assert result.findings == []


def test_iban_needs_its_country_format():
    iban_rule = [r for r in DEFAULT_RULES if r.pii_type == "iban"]
    # passes mod 97 but a German IBAN has 22 characters, not 21
    assert redact("DE68 1234 5678 9012 3456 7", iban_rule).findings == []


def test_distributor_tax_rule_is_checked_where_the_country_has_a_checksum():
    cpf = PIIRule("cpf", "tax_id", r"\b\d{3}\.\d{3}\.\d{3}-\d{2}\b", "[TAX_ID]")
    text = "CPF 111.444.777-35 ou 111.444.777-36"
    assert redact(text, [cpf], region="BR").text == "CPF [TAX_ID] ou 111.444.777-36"
    # a country without a known checksum (or none known) keeps every match, as a regex alone would
    assert redact(text, [cpf], region="US").text == "CPF [TAX_ID] ou [TAX_ID]"
    assert redact(text, [cpf]).text == "CPF [TAX_ID] ou [TAX_ID]"
