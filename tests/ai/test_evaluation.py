import json
from decimal import Decimal
from pathlib import Path

import pytest

from ai.drafts import DraftLine, DraftOrder
from ai.evaluation import Case, Expected, evaluate, format_report, load_cases, load_catalogs, main, score_case
from tests.ai.sample_catalog import BY_SKU

D = Decimal


def line(sku, quantity, flagged=False, confidence=0.95):
    product = BY_SKU[sku] if sku else None
    return DraftLine("w", quantity, None, product, confidence, "fuzzy" if product else "none", 0, 0,
                     flagged or product is None)


def case(*expected, message="m", language="en"):
    return Case("x", language, "c", message, tuple(Expected(s, q) for s, q in expected))


def test_right_lines_count_for_precision_recall_and_quantity():
    t = score_case(case(("COKE-2L", D(2)), ("SPRITE-2L", D(1))),
                   DraftOrder([line("SPRITE-2L", D(3)), line("COKE-2L", D(2))], "en"))
    assert (t.found, t.right_products, t.quantity_right, t.wrong_products, t.precision, t.recall) == (
        2, 2, 1, 0, 1.0, 1.0)


def test_a_wrong_product_without_a_flag_is_silent_and_costs_precision_and_recall():
    t = score_case(case(("COKE-2L", D(2))), DraftOrder([line("COKE-355", D(2))], "en"))
    assert (t.found, t.wrong_products, t.silent_wrong, t.precision, t.recall) == (0, 1, 1, 0.0, 0.0)


def test_a_flagged_wrong_product_is_not_silent():
    t = score_case(case(("COKE-2L", D(2))), DraftOrder([line("COKE-355", D(2), flagged=True)], "en"))
    assert (t.wrong_products, t.silent_wrong) == (1, 0)


def test_a_line_with_no_fitting_product_is_found_by_a_flag_only():
    flagged = score_case(case((None, D(3))), DraftOrder([line("COKE-2L", D(3), flagged=True)], "en"))
    silent = score_case(case((None, D(3))), DraftOrder([line("COKE-2L", D(3))], "en"))
    assert (flagged.found, flagged.quantity_right, flagged.wrong_products) == (1, 1, 0)
    assert (silent.found, silent.silent_wrong) == (0, 1)


def test_unknown_quantity_is_right_only_when_drafted_unknown():
    unknown = score_case(case(("SUGAR-1KG", None)), DraftOrder([line("SUGAR-1KG", None, flagged=True)], "es"))
    guessed = score_case(case(("SUGAR-1KG", None)), DraftOrder([line("SUGAR-1KG", D(1))], "es"))
    needless = score_case(case(("SUGAR-1KG", D(1))), DraftOrder([line("SUGAR-1KG", D(1), flagged=True)], "es"))
    assert (unknown.quantity_right, unknown.needless_flags) == (1, 0)  # an unknown quantity needs its flag
    assert (guessed.found, guessed.quantity_right) == (1, 0)
    assert needless.needless_flags == 1


def test_lines_on_a_non_order_are_wrong_or_stray_and_missing_lines_cost_recall():
    t = score_case(case(), DraftOrder([line("COKE-2L", D(2)), line(None, D(1))], "en"))
    missed = score_case(case(("COKE-2L", D(2))), DraftOrder([], "en"))
    assert (t.silent_wrong, t.stray, t.recall) == (1, 1, 1.0)
    assert (missed.recall, missed.precision) == (0.0, 1.0)


def test_evaluate_totals_per_language_and_calibration_bands(catalog):
    cases = [case(("COKE-2L", D(2)), message="2 coke 2l"), case(("CORONA-355", D(1)), message="1 corona",
                                                                   language="es")]

    def drafter(message, products):
        assert products == catalog
        return DraftOrder([line("COKE-2L", D(2), confidence=0.8)] if "coke" in message else [], "en")

    results = evaluate(cases, {"c": catalog}, drafter)
    assert (results["all"][0].found, results["en"][0].recall, results["es"][0].recall) == (1, 1.0, 0.0)
    assert results["all"][0].bands == [[0, 0], [1, 1], [0, 0]]
    assert "0.75-0.90: 1/1" in format_report("set", results)


def test_files_load_active_products_only_and_details_refuse_the_heldout_set(tmp_path, capsys):
    (tmp_path / "catalog.json").write_text(json.dumps({"c": {"products": [
        {"id": 1, "sku": "A", "name": "Coca-Cola 2L", "aliases": [], "unit": "paca", "price_cents": 1,
         "pack_size": 8, "active": True},
        {"id": 2, "sku": "B", "name": "Pepsi 2L", "aliases": [], "unit": "paca", "price_cents": 1, "active": False},
    ]}}))
    row = {"id": "en-1", "language": "en", "catalog": "c", "message": "2 pacas coca-cola 2L",
           "expected": [{"sku": "A", "quantity": "2"}]}
    for name in ("tuning.jsonl", "heldout.jsonl"):
        (tmp_path / name).write_text(json.dumps(row) + "\n")
    assert [(p.sku, p.pack_size) for p in load_catalogs(tmp_path / "catalog.json")["c"]] == [("A", 8)]
    assert load_cases(tmp_path / "tuning.jsonl")[0].expected == (Expected("A", D(2)),)
    assert main([str(tmp_path / "heldout.jsonl"), "--details"]) == 2
    assert main([str(tmp_path / "heldout.jsonl")]) == 0
    assert "recall" in capsys.readouterr().out
    assert main([str(tmp_path / "tuning.jsonl"), "--details"]) == 0


@pytest.mark.parametrize("name", ["tuning.jsonl", "heldout.jsonl"])
def test_the_evaluation_set_names_only_active_catalog_products(name):
    folder = Path(__file__).parent / "eval"
    catalogs = {k: {p.sku for p in v} for k, v in load_catalogs(folder / "catalog.json").items()}
    cases = load_cases(folder / name)
    assert len(cases) >= 85
    assert all(e.sku in catalogs[c.catalog] for c in cases for e in c.expected if e.sku)
