"""The drafter rules of issue 15, one job each: quantity words, items without a number, quantity after the
product, the catalog's own units, pack sizes, numbers inside names, near-misses and intent."""

from dataclasses import replace
from decimal import Decimal

import pytest

from ai.intent import classify_intent
from ai.matching import match_line
from ai.offline_drafter import catalog_units, draft_order, parse_order_lines
from ai.quantities import convert, pack_size_of
from queries.assistant import CatalogProduct
from tests.ai.sample_catalog import BY_SKU

D = Decimal


def lines(message, language=None, units=None, unquantified=False):
    return [(p.raw_text, p.quantity, p.unit) for p in parse_order_lines(message, language, units, unquantified)]


@pytest.mark.parametrize(
    ("message", "language", "expected"),
    [
        ("una docena de aguacates", "es", ("aguacates", D(12), None)),
        ("meia dúzia de abacates", "pt", ("abacates", D(6), None)),
        ("half a dozen avocados", "en", ("avocados", D(6), None)),
        ("two dozen avocados", "en", ("avocados", D(24), None)),
        ("una docena de bolsas de hielo", "es", ("hielo", D(12), "bag")),
        ("3 kilos y medio de limón", "es", ("limón", D("3.5"), "kg")),
        ("um quilo e meio de presunto", "pt", ("presunto", D("1.5"), "kg")),
        ("queijo prato 4 kg e meio", "pt", ("queijo prato", D("4.5"), "kg")),
        ("two and a half cases of corona", "en", ("corona", D("2.5"), "case")),
        ("caja y media de corona", "es", ("corona", D("1.5"), "case")),
        ("a couple of cases of corona", "en", ("corona", D(2), "case")),
        ("un par de cajas de corona", "es", ("corona", D(2), "case")),
    ],
)
def test_quantity_words_and_fractions(message, language, expected):
    assert lines(message, language) == [expected]


def test_items_without_a_number_come_back_unknown_and_flagged(catalog):
    assert lines("manda azúcar también", "es") == []  # not an order line unless asked for
    assert lines("manda azúcar también", "es", unquantified=True) == [("azúcar", None, None)]
    draft = draft_order("manda azúcar también", catalog)
    assert [(ln.product.sku, ln.quantity, ln.flagged) for ln in draft.lines] == [("SUGAR-1KG", None, True)]
    assert draft_order("unas cuantas cajas de corona", catalog).lines[0].quantity is None
    assert draft_order("muchas gracias, todo bien", catalog).lines == []  # names no product: no line
    assert draft_order("Mi mail: [EMAIL]", catalog).lines == []  # without a count, near is not enough


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("azúcar, 5 bolsas", [("azúcar", D(5), "bag")]),
        ("Red Bull: 2 cajas. Corona: 1 caja.", [("Red Bull", D(2), "case"), ("Corona", D(1), "case")]),
        ("Can you send 4 kg of tomatoes", [("tomatoes", D(4), "kg")]),
        ("a couple of degreasers and a dish soap", [("degreasers", D(2), None), ("dish soap", D(1), None)]),
        ("dois fardos de feijão preto três pacotes de pão", [("feijão preto", D(2), "pack"), ("pão", D(3), "pack")]),
    ],
)
def test_quantity_after_the_product_lead_ins_and_run_on_items(message, expected):
    assert lines(message) == expected


def test_the_catalogs_own_selling_units_are_packaging(catalog):
    paca = CatalogProduct(99, "AGU-1", "Agua Cristal 600ml", ("agua cristal",), "paca", 2400, pack_size=24)
    units = catalog_units([paca])
    assert units["pacas"] == "pack" and catalog_units([replace(paca, unit="botellón")])["botellones"] == "jug"
    assert lines("4 pacas de agua cristal", "es", units) == [("agua cristal", D(4), "pack")]
    assert catalog_units([replace(paca, unit="kg")]) == {}  # a weight is a size, not packaging


@pytest.mark.parametrize(
    ("message", "pack", "quantity"),
    [("2 cajas x24 de corona", 24, 2), ("a case of 12 corona", 12, 1), ("2 fardos c/ 6 corona", 6, 2),
     ("1 caixa com 12 corona", 12, 1), ("paca de 24 de corona, 3", 24, 3), ("corona cx 36, 3 caixas", 36, 3)],
)
def test_pack_sizes_are_read(message, pack, quantity):
    assert [(ln.pack, ln.quantity) for ln in parse_order_lines(message)] == [(pack, D(quantity))]


def test_pack_sizes_convert_to_the_selling_unit_and_say_so():
    case24 = CatalogProduct(1, "C", "Corona 355ml", (), "caja", 100, pack_size=24)
    jug = CatalogProduct(2, "J", "Dish Soap 1 gal", (), "jug", 100)
    named = CatalogProduct(3, "V", "Vasos desechables 7oz x50", (), "paquete", 100)
    assert convert(D(2), "case", 24, case24) == (D(2), "2 × 24 = 48 → 2 caja of 24")
    assert convert(D(1), "case", 12, jug) == (D(12), "1 × 12 = 12 jug")
    assert convert(D(48), "can", None, case24) == (D(2), "48 can → 2 caja of 24")
    assert convert(D(30), "can", None, case24) == (D(30), None)  # not whole cases: a person decides
    assert convert(D(2), "case", 12, replace(case24, pack_size=None)) == (D(2), "pack of 12: check the caja size")
    assert pack_size_of(named) == 50 and pack_size_of(jug) is None


def test_a_converted_line_is_priced_in_the_selling_unit(catalog):
    corona = replace(BY_SKU["CORONA-355"], unit="caja", pack_size=24)
    [line] = draft_order("48 latas de corona", [corona]).lines
    assert (line.quantity, line.unit, line.notes) == (D(2), "caja", "48 can → 2 caja of 24")
    assert line.line_total_cents == 2 * corona.price_cents


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("bolsas 55 gal x3", [("bolsas 55 gal", D(3), None)]),
        ("9x9 clamshells 6 cases", [("9x9 clamshells", D(6), "case")]),
        ("paper bags #20 1", [("paper bags #20", D(1), None)]),
        ("need 13 gal liners 2 cases and 33 gal 1", [("13 gal liners", D(2), "case"), ("33 gal", D(1), None)]),
        ("4 gallons of degreaser", [("degreaser", D(4), "gal")]),
    ],
)
def test_numbers_inside_names_stay_in_the_name(message, expected):
    assert lines(message, "en") == expected


@pytest.mark.parametrize("wording", ["leche descremada", "agua mineral con limon", "corona light"])
def test_a_match_that_ignores_a_word_asked_for_is_no_match(catalog, wording):
    match = match_line(wording, catalog)
    assert match.product is None and match.candidates  # the nearest products stay offered


def test_two_products_holding_every_word_are_ambiguous_and_offered(catalog):
    match = match_line("heineken", catalog)
    assert match.product is None
    assert {p.sku for p, _ in match.candidates[:2]} == {"HEIN-355", "HEIN-600"}


@pytest.mark.parametrize(
    ("message", "intent"),
    [("me cobraron 3 cajas de corona y eran 2", "complaint"), ("the cases of corona arrived broken", "complaint"),
     ("cancela el pedido de ayer", "other"), ("tem azeite?", "question"), ("obrigado!", "other")],
)
def test_only_orders_get_lines(catalog, message, intent):
    draft = draft_order(message, catalog)
    assert (draft.intent, draft.lines) == (intent, [])
    assert classify_intent("2 cajas de corona", has_lines=True) == "order"


def test_a_size_said_in_words_is_a_size():
    assert lines("three cases of the sixteen ounce deli containers", "en") == [
        ("16ounce deli containers", D(3), "case")]
    assert lines("a case of corona", "en") == [("corona", D(1), "case")]  # "a" before no size stays an article


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Necesito guaro tapa azul x1 para el fin de semana", [("guaro tapa azul", D(1), None)]),
        ("Me despachan aguilas en lata x4? Gracias", [("aguilas en lata", D(4), None)]),  # 4 cans, no pack
        ("necesito 2 de Mr. Tea Limón 500ml. Gracias!", [("Mr Tea Limón 500ml", D(2), None)]),
        ("Glass Cleaner 32oz 12ct x20", [("Glass Cleaner 32oz 12ct", D(20), None)]),
        ("3 cases of Dinner Napkins 2-ply 3000ct", [("Dinner Napkins 2-ply 3000ct", D(3), "case")]),
        ("Hi! Can you send hot cups x6?", [("hot cups", D(6), None)]),
    ],
)
def test_how_the_demo_customers_write(message, expected):
    assert lines(message) == expected


def test_words_no_product_uses_do_not_block_a_match(catalog):
    # "to the usual address" tells no product from another; "light" (a variant) does
    assert match_line("corona to the usual address", catalog).product.sku == "CORONA-355"
    assert match_line("corona light", catalog).product is None


def test_an_unknown_quantity_is_asked_for_in_the_reply_and_left_to_the_agent_in_the_editor(catalog):
    from ai import draft_rows
    from ai.replies import summarize_lines

    draft = draft_order("manda azúcar también", catalog)
    assert summarize_lines(draft) == (["Azúcar 1kg: ¿cuántos?"], [])
    [edited] = draft_rows.current_lines(draft_rows.base_rows(draft.lines), {}, catalog)
    assert (edited.quantity, edited.flagged, edited.line_total_cents) == (D(0), True, 0)
    frame = draft_rows.editor_frame([edited])
    assert frame.loc[0, "Notes"] == "quantity not given"
    typed = draft_rows.current_lines(draft_rows.base_rows(draft.lines), {0: {"Quantity": 3}}, catalog)
    assert (typed[0].quantity, typed[0].flagged) == (D(3), False)


@pytest.mark.parametrize("stored", ['{"lines": 1}', "not json", '["a"]', '{"lines": []}', {"lines": ["x"]}, None])
def test_an_unreadable_stored_extraction_is_refused(stored):
    from ai import draft_rows

    with pytest.raises(ValueError):
        draft_rows.extraction_lines(stored, [], 0.9)


def test_a_stored_extraction_reads_skus_and_grounded_ids():
    from ai import draft_rows

    coke = CatalogProduct(7, "COKE", "Coca-Cola 2L", (), "caja", 450)
    model = '{"lines": [{"product_wording": "coca", "quantity": 2, "unit": "caja", "sku": "COKE"}]}'
    [line] = draft_rows.extraction_lines(model, [coke], 0.6)
    assert (line.raw_text, line.quantity, line.product, line.line_total_cents) == ("coca", 2, coke, 900)
    assert line.flagged and draft_rows.match_text(line) == "⚠ AI choice 60%"
    grounded = {"lines": [{"raw_text": "agua", "quantity": "1.5", "product_id": 7, "method": "fuzzy",
                           "confidence": 0.8}]}
    [line] = draft_rows.extraction_lines(grounded, [coke], 0.6)
    assert (line.quantity, line.line_total_cents, draft_rows.match_text(line)) == (Decimal("1.5"), 675, "similar 80%")
