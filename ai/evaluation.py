"""Scores an order drafter on an evaluation set (tests/ai/eval/README.md): each message's drafted lines
against the lines a person would enter. `python -m ai.evaluation <file.jsonl> [--details]`.

A drafted line is right when it proposes the expected product; a line the set expects no product for
(unknown, inactive or ambiguous) is handled by any flagged line. A product proposed where none was
expected, without a flag, is a silent wrong product: the one error a person reviewing flags never sees.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ai.drafts import DraftOrder
from ai.offline_drafter import draft_order
from queries.assistant import CatalogProduct

Drafter = Callable[[str, Sequence[CatalogProduct]], DraftOrder]
HELDOUT = "heldout.jsonl"
# Confidence bands of the calibration table: share of proposed products that are right in each.
BANDS = ((0.0, 0.75), (0.75, 0.9), (0.9, 1.01))


@dataclass(frozen=True)
class Expected:
    sku: str | None  # None: no active product fits, the line must be flagged
    quantity: Decimal | None  # None: the customer gave none, the line must say unknown


@dataclass(frozen=True)
class Case:
    id: str
    language: str
    catalog: str
    message: str
    expected: tuple[Expected, ...]


@dataclass
class Tally:
    """Counts over some messages; the figures are ratios of these."""

    messages: int = 0
    expected: int = 0
    found: int = 0  # expected lines drafted right (product, or a flag where no product fits)
    right_products: int = 0
    wrong_products: int = 0
    silent_wrong: int = 0
    quantity_right: int = 0
    stray: int = 0  # unmatched lines nobody asked for
    needless_flags: int = 0  # right products flagged all the same
    bands: list[list[int]] = field(default_factory=lambda: [[0, 0] for _ in BANDS])  # [right, proposed]

    def add(self, other: Tally) -> None:
        for name in ("messages", "expected", "found", "right_products", "wrong_products", "silent_wrong",
                     "quantity_right", "stray", "needless_flags"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for mine, theirs in zip(self.bands, other.bands, strict=True):
            mine[0] += theirs[0]
            mine[1] += theirs[1]

    @property
    def precision(self) -> float:
        proposed = self.right_products + self.wrong_products
        return self.right_products / proposed if proposed else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    @property
    def quantity_accuracy(self) -> float:
        return self.quantity_right / self.found if self.found else 1.0


def load_cases(path: Path) -> list[Case]:
    """Returns the cases of a JSONL evaluation file."""
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        expected = tuple(
            Expected(e["sku"], None if e["quantity"] is None else Decimal(e["quantity"])) for e in row["expected"]
        )
        cases.append(Case(row["id"], row["language"], row["catalog"], row["message"], expected))
    return cases


def load_catalogs(path: Path) -> dict[str, list[CatalogProduct]]:
    """Returns each catalog's active products (the drafters never see inactive ones)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        name: [
            CatalogProduct(p["id"], p["sku"], p["name"], tuple(p["aliases"]), p["unit"], p["price_cents"],
                           pack_size=p.get("pack_size"))
            for p in catalog["products"] if p["active"]
        ]
        for name, catalog in data.items()
    }


def _band(confidence: float) -> int:
    return next(i for i, (low, high) in enumerate(BANDS) if low <= confidence < high)


def score_case(case: Case, draft: DraftOrder) -> Tally:
    """Returns the Tally of one message's draft, pairing expected and drafted lines in order."""
    tally = Tally(messages=1, expected=len(case.expected))
    left = list(draft.lines)

    def take(fits: Callable) -> object | None:
        line = next((ln for ln in left if fits(ln)), None)
        if line is not None:
            left.remove(line)
        return line

    for exp in sorted(case.expected, key=lambda e: e.sku is None):  # products first, then the flags
        if exp.sku is not None:
            line = take(lambda ln, sku=exp.sku: ln.product is not None and ln.product.sku == sku)
        else:
            line = take(lambda ln: ln.product is None or ln.flagged)
        if line is None:
            continue
        tally.found += 1
        tally.quantity_right += line.quantity == exp.quantity
        if exp.sku is not None:
            tally.right_products += 1
            tally.needless_flags += line.flagged and exp.quantity is not None
            tally.bands[_band(line.confidence)][0] += 1
            tally.bands[_band(line.confidence)][1] += 1
    for line in left:
        if line.product is None:
            tally.stray += 1
            continue
        tally.wrong_products += 1
        tally.silent_wrong += not line.flagged
        tally.bands[_band(line.confidence)][1] += 1
    return tally


def evaluate(
    cases: Iterable[Case], catalogs: dict[str, list[CatalogProduct]], drafter: Drafter = draft_order
) -> dict[str, tuple[Tally, list[tuple[Case, DraftOrder, Tally]]]]:
    """Returns, per language and "all", the Tally and each message's (case, draft, tally)."""
    results: dict[str, tuple[Tally, list]] = {}
    for case in cases:
        draft = drafter(case.message, catalogs[case.catalog])
        tally = score_case(case, draft)
        for key in (case.language, "all"):
            total, rows = results.setdefault(key, (Tally(), []))
            total.add(tally)
            rows.append((case, draft, tally))
    return results


def format_report(name: str, results: dict[str, tuple[Tally, list]]) -> str:
    """Returns the figures as a plain-text table, one row per language and one for all."""
    head = f"{'':4}{'msgs':>6}{'lines':>7}{'precision':>11}{'recall':>8}{'qty acc':>9}{'silent wrong':>14}"
    head += f"{'stray':>7}{'needless flags':>16}"
    rows = [f"{name}", head]
    for key in [*sorted(k for k in results if k != "all"), "all"]:
        t = results[key][0]
        rows.append(
            f"{key:4}{t.messages:>6}{t.expected:>7}{t.precision:>11.3f}{t.recall:>8.3f}{t.quantity_accuracy:>9.3f}"
            f"{t.silent_wrong:>14}{t.stray:>7}{t.needless_flags:>16}"
        )
    bands = results["all"][0].bands if "all" in results else []
    rows.append("calibration (right / proposed products per confidence band): " + ", ".join(
        f"{low:.2f}-{min(high, 1):.2f}: {right}/{proposed}" for (low, high), (right, proposed) in zip(BANDS, bands,
                                                                                                     strict=True)
    ))
    return "\n".join(rows)


def _quantity_text(quantity: Decimal | None) -> str:
    return "?" if quantity is None else f"{quantity.normalize():f}"


def format_details(rows: Sequence[tuple[Case, DraftOrder, Tally]]) -> str:
    """Returns every message the draft got anything wrong in: expected and drafted lines side by side."""
    out = []
    for case, draft, t in rows:
        perfect = t.found == t.expected == t.quantity_right and not (t.wrong_products or t.stray)
        if perfect:
            continue
        out.append(f"--- {case.id}: {case.message!r}")
        out.append("  expected: " + "; ".join(f"{e.sku or '(flag)'} x {_quantity_text(e.quantity)}"
                                              for e in case.expected))
        for ln in draft.lines:
            product = ln.product.sku if ln.product else "-"
            flag = " FLAG" if ln.flagged else ""
            out.append(f"  drafted: {ln.raw_text!r} x {_quantity_text(ln.quantity)} {ln.unit or ''} -> {product} "
                       f"{ln.confidence:.2f}{flag}")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="a JSONL evaluation file (tests/ai/eval/*.jsonl)")
    parser.add_argument("--details", action="store_true", help="show each wrong message (not for held-out)")
    parser.add_argument("--catalog", type=Path, help="catalog JSON (default: catalog.json next to the file)")
    args = parser.parse_args(argv)
    if args.details and args.file.name == HELDOUT:
        print("--details refuses the held-out set: tune on tuning.jsonl, report held-out in aggregate only.",
              file=sys.stderr)
        return 2
    results = evaluate(load_cases(args.file), load_catalogs(args.catalog or args.file.with_name("catalog.json")))
    print(format_report(args.file.name, results))
    if args.details and "all" in results:
        print(format_details(results["all"][1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
