"""Quantity phrases of the offline drafter beyond a plain count: "a couple of", "half a dozen", "two and a
half", and pack sizes ("caja x24", "a case of 12"), converted to the unit the catalog sells by."""

from __future__ import annotations

import re
from decimal import Decimal

from ai.catalog import SIZE_UNITS, normalize, strip_accents
from ai.lexicon import ARTICLES, ITEM_UNITS, NUMBER_WORDS, UNIT_WORDS
from queries.assistant import CatalogProduct

# The word "and a half" becomes, so that the item splitter ("and", "y", "e") leaves it on its item.
AND_A_HALF = "andahalf"

_REWRITES = (
    # "a couple of cases", "un par de pacas", "um par de pacotes"
    (re.compile(r"\b(?:an?\s+)?couple(?:\s+of)?\b|\bu[nm]\s+par\s+de\b", re.IGNORECASE), " 2 "),
    (re.compile(r"\b(?:can|could|would|will)\s+(?:you|u|we|i)\b", re.IGNORECASE), " "),  # "Can you send"
    (re.compile(r"\bhalf\s+an?\s+dozen\b|\bmedia\s+docena\b|\bmeia\s+d[uú]zia\b", re.IGNORECASE), " 6 "),
    # "two and a half cases", "3 kilos y medio", "caja y media", "um quilo e meio"
    (re.compile(r"\s+(?:and\s+a\s+half|y\s+medi[oa]|e\s+mei[oa])\b", re.IGNORECASE), f" {AND_A_HALF} "),
)
# How a pack size follows its unit: "caja x24", "paca de 24", "case of 12", "fardo c/ 6", "caixa com 12".
PACK_LINKS = frozenset({"de", "of", "with", "con", "com", "c"})
# A pack size written in a product name: "x50", "200ct", "100un", "cx 36", "bandeja 30", "6 rolls".
_NAME_PACK = re.compile(
    r"(?:\bx\s?|\b(?:cx|caja|caixa|case|bandeja|paca|fardo|pack)\s)(\d+)\b|\b(\d+)\s?(?:ct|un|unid|rolls|pcs)\b",
    re.IGNORECASE,
)


# A size said in words, as voice notes transcribe it: "sixteen ounce deli containers" is the 16oz one.
_SPOKEN_SIZE = re.compile(
    r"\b([^\W\d_]+)\s+(" + "|".join(sorted((u for u in SIZE_UNITS if len(u) > 2), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


def _spoken_size(found: re.Match) -> str:
    word = strip_accents(found.group(1).lower())
    if word in ARTICLES or word not in NUMBER_WORDS or NUMBER_WORDS[word] < 1:
        return found.group(0)
    return f"{NUMBER_WORDS[word]}{found.group(2)}"


def rewrite(text: str) -> str:
    """Returns `text` with quantity phrases written as counts ("a couple of" -> "2", "half a dozen" -> "6"),
    sizes said in words as numbers ("sixteen ounce" -> "16ounce") and "and a half" as one word, before the
    message is cut into items."""
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    return _SPOKEN_SIZE.sub(_spoken_size, text)


def pack_size_of(product: CatalogProduct) -> int | None:
    """Returns how many items one selling unit of `product` holds: the catalog's pack size, else the one
    its name states ("Vasos 7oz x50" -> 50), else None."""
    if product.pack_size:
        return product.pack_size
    found = _NAME_PACK.search(product.name)
    return int(found.group(1) or found.group(2)) if found else None


def _sells_items(product: CatalogProduct) -> bool:
    unit = normalize(product.unit)
    return unit in ITEM_UNITS or UNIT_WORDS.get(unit) in ITEM_UNITS


def convert(
    quantity: Decimal | None, unit: str | None, pack: int | None, product: CatalogProduct
) -> tuple[Decimal | None, str | None]:
    """Returns the quantity in the product's selling unit and a note showing the conversion (None when
    there is none): "2 × 24 = 48 → 2 caja of 24", or a note to check a pack size nothing converts."""
    if quantity is None:
        return None, None
    size = pack_size_of(product)
    if pack:
        items = quantity * pack
        if _sells_items(product):
            return items, f"{_text(quantity)} × {pack} = {_text(items)} {product.unit}"
        if size and size > 1:
            converted = items / size
            note = f"{_text(quantity)} × {pack} = {_text(items)} → {_text(converted)} {product.unit} of {size}"
            return converted, note
        return quantity, f"pack of {pack}: check the {product.unit} size"
    # "48 latas de heineken" sold by the case of 24: whole cases only, else a person decides
    if unit in ITEM_UNITS and size and size > 1 and not _sells_items(product) and quantity % size == 0:
        converted = quantity / size
        return converted, f"{_text(quantity)} {unit} → {_text(converted)} {product.unit} of {size}"
    return quantity, None


def _text(value: Decimal) -> str:
    return format(value.normalize(), "f")
