import pytest

from ai.catalog import normalize
from ai.matching import candidates_for, ground_choice, match_line
from tests.ai.sample_catalog import BY_SKU


@pytest.mark.parametrize(
    ("wording", "sku"),
    [
        ("coca cola 2l", "COKE-2L"),
        ("coca cola 355ml", "COKE-355"),
        ("coca cola 600ml", "COKE-600"),
        ("Coca-Cola grande 2 litros", "COKE-2L"),
        ("coca cola lata 355 ml", "COKE-355"),
        ("cerveja heineken 600", "HEIN-600"),  # a bare number names the size
        ("agua mineral 1500ml", "WATER-1.5L"),  # 1500ml is 1.5L
    ],
)
def test_size_decides_between_products_of_one_brand(catalog, wording, sku):
    match = match_line(wording, catalog)
    assert match.product is not None and match.product.sku == sku
    assert match.confidence >= 0.75


def test_size_preference_when_fuzzy(catalog):
    match = match_line("coka cola 2l", catalog)
    assert match.method == "fuzzy"
    assert match.product.sku == "COKE-2L"
    scores = dict((p.sku, s) for p, s in match.candidates)
    # Same words, wrong size: scored 0.7 of the right size (the size-mismatch factor).
    assert scores["COKE-600"] < 0.75 < scores["COKE-2L"]
    assert scores["COKE-600"] == pytest.approx(0.7 * scores["COKE-2L"], abs=0.01)


def test_wrong_size_alone_is_not_matched(catalog):
    without_2l = [p for p in catalog if p.sku != "COKE-2L"]
    match = match_line("coca cola 2l", without_2l)
    assert match.product is None and match.method == "none"
    assert match.candidates[0][0].sku in {"COKE-355", "COKE-600"}
    assert match.confidence < 0.75


def test_history_wins_with_confidence_one(catalog):
    coke_600 = BY_SKU["COKE-600"]
    history = {normalize("Coca Lata"): coke_600.id}  # a person once confirmed this wording as the 600ml
    match = match_line("coca lata", catalog, history)
    assert (match.product, match.confidence, match.method) == (coke_600, 1.0, "history")
    # Without the history the same wording is the can, exactly.
    assert match_line("coca lata", catalog).product.sku == "COKE-355"


def test_history_key_is_normalized_wording(catalog):
    history = {"refri": BY_SKU["GUARANA-2L"].id}
    assert match_line("  REFRI!! ", catalog, history).product.sku == "GUARANA-2L"


def test_history_pointing_outside_the_catalog_falls_through(catalog):
    match = match_line("coca lata", catalog, {"coca lata": 999})
    assert (match.product.sku, match.method) == ("COKE-355", "exact")


@pytest.mark.parametrize("wording", ["hein-600", "Heineken Botella", "HEINEKEN 600ML GARRAFA"])
def test_exact_by_sku_alias_or_name(catalog, wording):
    match = match_line(wording, catalog)
    assert (match.product.sku, match.confidence, match.method) == ("HEIN-600", 1.0, "exact")


@pytest.mark.parametrize("wording", ["biscoito recheado", "pepsi 2l", "papel higienico", "zzz"])
def test_unknown_product_stays_unmatched(catalog, wording):
    match = match_line(wording, catalog)
    assert match.product is None
    assert match.method == "none"
    assert match.confidence < 0.75
    assert len(match.candidates) == 5  # still offered to the person who decides


def test_tie_between_two_products_is_not_a_match(catalog):
    match = match_line("heineken", catalog)  # the can or the bottle?
    assert match.product is None and match.method == "none"
    assert {p.sku for p, _ in match.candidates[:2]} == {"HEIN-355", "HEIN-600"}


def test_threshold_is_respected(catalog):
    fuzzy = match_line("spagetti", catalog)
    assert fuzzy.product.sku == "PASTA-500" and 0.75 <= fuzzy.confidence < 1
    assert match_line("spagetti", catalog, threshold=fuzzy.confidence + 0.01).product is None


def test_candidates_for_is_sorted_and_bounded(catalog):
    cands = candidates_for("agua con gas", catalog, n=3)
    assert len(cands) == 3
    assert cands[0][0].sku == "WATER-SPARK-500" and cands[0][1] == 1.0
    scores = [s for _, s in cands]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores)
    assert len(candidates_for("agua", catalog)) == 5


def test_ground_choice_accepts_only_a_candidate(catalog):
    cands = candidates_for("heineken", catalog)
    assert ground_choice("HEIN-600", cands) is BY_SKU["HEIN-600"]
    assert ground_choice(" hein-355 ", cands) is BY_SKU["HEIN-355"]
    assert ground_choice("HEIN-1L", cands) is None  # invented by the model
    assert ground_choice("LETTUCE", cands) is None  # real SKU, but not offered for this line
    assert ground_choice(None, cands) is None
    assert ground_choice("", cands) is None


def test_empty_wording_or_catalog_matches_nothing(catalog):
    empty_text = match_line("", catalog)
    assert (empty_text.product, empty_text.confidence, empty_text.method) == (None, 0.0, "none")
    empty_catalog = match_line("coca cola 2l", [])
    assert (empty_catalog.product, empty_catalog.method, empty_catalog.candidates) == (None, "none", [])
