"""Grounding an order line's wording in the distributor's catalog.

A line is matched by, in order: a past confirmed match of the same wording (history), an exact
SKU / name / alias, then fuzzy similarity. Below the threshold nothing is chosen: the line stays
unmatched with its candidates, for a person (or the AI, among those candidates only) to decide.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz

from ai.catalog import normalize
from ai.lexicon import CATEGORY_WORDS, SIZE_WORDS, UNIT_WORDS, VARIANT_WORDS
from queries.assistant import CatalogProduct

MatchMethod = Literal["history", "exact", "fuzzy", "none"]

# Function words that say nothing about which product is meant ("cocas de lata", "bottle of coke").
_STOPWORDS = frozenset(
    ("de", "del", "da", "do", "das", "dos", "of", "the", "la", "el", "los", "las", "en", "em", "a", "an", "o",
     "os", "as", "al")
)
_SIZE_TOKEN = re.compile(r"^(\d+(?:\.\d+)?)(ml|cl|l|g|kg|oz|gal)?$")
# Sizes in a common base so that "1.5l" equals "1500ml".
_BASE = {"ml": ("vol", 1), "cl": ("vol", 10), "l": ("vol", 1000), "g": ("mass", 1), "kg": ("mass", 1000),
         "oz": ("oz", 1), "gal": ("vol", 3785.41)}
# A product whose size contradicts the asked size is another product: this keeps it below threshold.
_SIZE_MISMATCH = 0.7
_SIZE_UNKNOWN = 0.95  # the wording names a size, the product none (produce sold by the kg)
# Two different products this close are a coin toss: neither is chosen. Closer than the wider margin,
# two products that both hold every word asked for are one too ("feijão": carioca or preto); the narrow
# margin is for a runner-up that lacks one of those words.
_AMBIGUITY_MARGIN = 0.04
_COVERED_AMBIGUITY_MARGIN = 0.1
_SAME_WORD_ALONE = 85  # stricter for a wording with no count around it: "mail" is not "milk"
_SAME_WORD = 75  # rapidfuzz ratio from which two words are one, misspelt ("spagetti", "spaghetti")


@dataclass(frozen=True)
class Match:
    """The product chosen for a line (None when unmatched), how sure (0..1; when unmatched, how close
    the nearest product came), by which method, and the top candidates with their scores."""

    product: CatalogProduct | None
    confidence: float
    method: MatchMethod
    candidates: list[tuple[CatalogProduct, float]] = field(default_factory=list)


@dataclass(frozen=True)
class _Text:
    words: str  # stemmed words without sizes, for fuzzy comparison
    sizes: tuple[tuple[float, str | None], ...]  # (value, unit or None for a bare number)
    key: str  # words and sizes, for exact comparison


def _stem(word: str) -> str:
    # Plural "s" only: enough to make "cocas", "aguacates", "leches enteras" meet their singulars.
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


@lru_cache(maxsize=8192)
def _prepare(text: str) -> _Text:
    words: list[str] = []
    sizes: list[tuple[float, str | None]] = []
    for token in normalize(text).split():
        if token in _STOPWORDS:
            continue
        size = _SIZE_TOKEN.match(token)
        if size:
            sizes.append((float(size.group(1)), size.group(2)))
        else:
            words.append(_stem(token))
    joined = " ".join(words)
    key = " ".join([joined, *sorted(f"{v:g}{u or ''}" for v, u in sizes)]).strip()
    return _Text(joined, tuple(sizes), key)


@lru_cache(maxsize=65536)
def _fields(product: CatalogProduct) -> tuple[_Text, ...]:
    return tuple(_prepare(t) for t in (product.name, product.sku, *product.aliases) if t)


def _same_size(a: tuple[float, str | None], b: tuple[float, str | None]) -> bool:
    (va, ua), (vb, ub) = a, b
    if ua is None or ub is None:  # "heineken 600" names the 600ml one
        return va == vb
    (da, fa), (db, fb) = _BASE[ua], _BASE[ub]
    return da == db and abs(va * fa - vb * fb) < 1e-6


def _size_factor(query: _Text, product_sizes: set[tuple[float, str | None]]) -> float:
    if not query.sizes:
        return 1.0
    if not product_sizes:
        return _SIZE_UNKNOWN
    if any(_same_size(q, p) for q in query.sizes for p in product_sizes):
        return 1.0
    return _SIZE_MISMATCH


def _word_score(query: str, target: str) -> float:
    # token_set_ratio is 100 when one side's words contain the other's; the token_sort part
    # keeps an exact wording above a mere containment ("aceite" vs "aceite de oliva").
    if not query or not target:
        return 0.0
    return 0.8 * fuzz.token_set_ratio(query, target) + 0.2 * fuzz.token_sort_ratio(query, target)


def _score(query: _Text, product: CatalogProduct) -> float:
    fields = _fields(product)
    sizes = {s for f in fields for s in f.sizes}
    if query.words:
        best = max(_word_score(query.words, f.words) for f in fields)
    else:  # the wording is only a size ("500ml"): compare everything
        best = max(_word_score(query.key, f.key) for f in fields)
    return round(best / 100 * _size_factor(query, sizes), 4)


# Packaging words in a wording ("cajas de coca cola") say how, not what; a container ("lata") says what.
_PACKAGING = frozenset(_stem(w) for w, unit in UNIT_WORDS.items() if unit not in ("can", "bottle"))


def _uncovered(
    query: _Text, product: CatalogProduct, vocabulary: frozenset[str], same: int = _SAME_WORD
) -> list[str]:
    """Returns the distinguishing words asked for that no name, SKU or alias of the product holds: a match
    that ignores one ("leite desnatado" -> Leite Condensado, "blue gloves large" -> Black Large) is no match.
    A word is distinguishing when the catalog uses it (`vocabulary`), or it names a variant or a size;
    other words ("to the usual address") tell no product from another."""
    held = {w for f in _fields(product) for w in f.words.split()}
    distinguishing = vocabulary | VARIANT_WORDS | (frozenset() if query.sizes else SIZE_WORDS)
    # "cerveja heineken", "Coca-Cola grande 2 litros", "cajas de coca" ask for nothing the product lacks
    ignored = _PACKAGING | CATEGORY_WORDS | (SIZE_WORDS if query.sizes else frozenset())
    return [w for w in query.words.split()
            if len(w) > 1 and w in distinguishing and w not in held and w not in ignored
            and not any(fuzz.ratio(w, h) >= same for h in held)]


def _vocabulary(catalog: Sequence[CatalogProduct]) -> frozenset[str]:
    return frozenset(w for p in catalog for f in _fields(p) for w in f.words.split())


def holds_every_word(raw_text: str, product: CatalogProduct) -> bool:
    """Returns whether the product's names hold every word of `raw_text` (misspelt or not): how an item
    named without a number ("manda hielo") must name a product, where "Mi mail" must not pass for milk."""
    query = _prepare(raw_text)
    return not _uncovered(query, product, frozenset(query.words.split()), _SAME_WORD_ALONE)


def candidates_for(
    raw_text: str, catalog: Sequence[CatalogProduct], n: int = 5
) -> list[tuple[CatalogProduct, float]]:
    """Returns the `n` catalog products most similar to `raw_text`, best first, with a score 0..1
    (ties in catalog order). These are the only products the AI model may choose from."""
    query = _prepare(raw_text)
    scored = [(p, _score(query, p)) for p in catalog]
    scored.sort(key=lambda ps: -ps[1])
    return scored[:n]


def _exact(query: _Text, catalog: Sequence[CatalogProduct]) -> CatalogProduct | None:
    hits = {p.id: p for p in catalog if any(f.key == query.key for f in _fields(p))}
    # The same alias on two products is no exact answer.
    return next(iter(hits.values())) if len(hits) == 1 else None


def match_line(
    raw_text: str,
    catalog: Sequence[CatalogProduct],
    history: dict[str, int] | None = None,
    threshold: float = 0.75,
) -> Match:
    """Returns the Match of one line's wording: product None (method "none") when nothing reaches
    `threshold` or two products tie; candidates are always the top 5. `history` maps normalize()d
    wording to the product id a person confirmed before."""
    candidates = candidates_for(raw_text, catalog)
    if history:
        product_id = history.get(normalize(raw_text))
        product = next((p for p in catalog if p.id == product_id), None)
        if product is not None:  # a confirmed product that left the catalog falls through
            return Match(product, 1.0, "history", candidates)
    query = _prepare(raw_text)
    if query.key:
        exact = _exact(query, catalog)
        if exact is not None:
            return Match(exact, 1.0, "exact", candidates)
    if not candidates:
        return Match(None, 0.0, "none", candidates)
    best, score = candidates[0]
    runner_up, runner_score = candidates[1] if len(candidates) > 1 else (None, 0.0)
    vocabulary = _vocabulary(catalog)
    if score < threshold or _uncovered(query, best, vocabulary):
        return Match(None, score, "none", candidates)
    # a close runner-up that lacks a word asked for ("águila botella" vs the can) is no rival
    rival = runner_up is not None and not _uncovered(query, runner_up, vocabulary)
    margin = _COVERED_AMBIGUITY_MARGIN if rival else _AMBIGUITY_MARGIN
    if score - runner_score < margin:
        return Match(None, score, "none", candidates)
    return Match(best, score, "fuzzy", candidates)


def ground_choice(
    model_choice_sku: str | None, candidates: Sequence[tuple[CatalogProduct, float]]
) -> CatalogProduct | None:
    """Returns the candidate whose SKU the model chose (case and spaces ignored), or None when the
    model chose nothing or a SKU outside the candidates: the model never adds a product."""
    if not model_choice_sku:
        return None
    wanted = model_choice_sku.strip().casefold()
    return next((p for p, _ in candidates if p.sku.strip().casefold() == wanted), None)
