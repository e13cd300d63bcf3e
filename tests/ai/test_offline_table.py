"""The offline drafter over the table of real-looking WhatsApp messages (tests/ai/offline_cases.py):
precision and recall of the (sku, quantity) lines it drafts."""

from collections import Counter

from ai.offline_drafter import detect_language, draft_order
from tests.ai.offline_cases import CASES, DEVELOPMENT, HELD_OUT, HELD_OUT_2


def _counts(cases, catalog) -> tuple[int, int, int]:
    """Returns (true positives, drafted matched lines, expected lines) over `cases`; prints misses."""
    hits = drafted = expected = 0
    for _, message, lines in cases:
        order = draft_order(message, catalog)
        got = Counter((line.product.sku, line.quantity) for line in order.lines if line.product is not None)
        want = Counter(lines)
        if got != want:
            print(f"\nMISS {message!r}: drafted {sorted(got.elements())}, expected {sorted(want.elements())}")
        hits += sum((got & want).values())
        drafted += sum(got.values())
        expected += sum(want.values())
    return hits, drafted, expected


def test_table_is_big_enough_and_balanced():
    per_language = Counter(language for language, _, _ in CASES)
    assert len(CASES) >= 45
    assert min(per_language.values()) >= 15 and set(per_language) == {"en", "es", "pt"}


def test_precision_and_recall_over_the_table(catalog, record_property):
    results = {}
    batches = {"development": DEVELOPMENT, "held_out": HELD_OUT, "held_out_2": HELD_OUT_2, "all": CASES}
    for name, cases in batches.items():
        hits, drafted, expected = _counts(cases, catalog)
        results[name] = (hits / drafted, hits / expected)
        record_property(f"{name}_precision", round(hits / drafted, 4))
        record_property(f"{name}_recall", round(hits / expected, 4))
        print(f"\n{name}: {len(cases)} messages, {expected} expected lines, {drafted} drafted, {hits} right: "
              f"precision {hits / drafted:.3f} recall {hits / expected:.3f}")
    precision, recall = results["all"]
    assert precision >= 0.9
    assert recall >= 0.9


def test_language_detection_over_the_table(record_property):
    right = sum(detect_language(message) == language for language, message, _ in CASES)
    accuracy = right / len(CASES)
    record_property("language_accuracy", round(accuracy, 4))
    print(f"\nlanguage detection: {right}/{len(CASES)} = {accuracy:.3f}")
    assert accuracy >= 0.9
