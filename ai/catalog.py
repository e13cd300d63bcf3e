"""The distributor's catalog as the order drafter sees it, and the text normalisation every
comparison with it goes through (also the key of the product matching history)."""

from __future__ import annotations

import re
import unicodedata

# Spellings of size units -> canonical symbol. Longest first so the regex alternation prefers them.
SIZE_UNITS: dict[str, str] = {
    **dict.fromkeys(("mililitros", "milliliters", "millilitres", "mls", "ml"), "ml"),
    **dict.fromkeys(
        ("litros", "litro", "liters", "liter", "litres", "litre", "ltrs", "ltr", "lts", "lt", "l"), "l"
    ),
    **dict.fromkeys(("centilitros", "cl"), "cl"),
    **dict.fromkeys(
        ("kilogramos", "kilogramas", "kilograms", "kilos", "kilo", "quilos", "quilo", "kgs", "kg"), "kg"
    ),
    **dict.fromkeys(("gramos", "gramas", "grams", "grs", "gr", "g"), "g"),
    **dict.fromkeys(("ounces", "ounce", "onzas", "onza", "oz"), "oz"),
    **dict.fromkeys(("gallons", "gallon", "gal"), "gal"),
}
_UNIT_ALTERNATION = "|".join(sorted(SIZE_UNITS, key=len, reverse=True))
# A number glued to (or one space from) a size unit: "2L", "500 ml", "1,5 litros".
SIZE_PATTERN = rf"\d+(?:[.,]\d+)?\s?(?:{_UNIT_ALTERNATION})\b"
_SIZE_RE = re.compile(rf"\b(\d+(?:\.\d+)?)\s?({_UNIT_ALTERNATION})\b")


def strip_accents(text: str) -> str:
    """Returns `text` without combining marks ("café" -> "cafe", "ção" -> "cao")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _format_number(value: str) -> str:
    # "1.50" and "1.5" must give the same key; "2.0" is "2".
    if "." not in value:
        return value.lstrip("0") or "0"
    whole, frac = value.split(".", 1)
    frac = frac.rstrip("0")
    whole = whole.lstrip("0") or "0"
    return f"{whole}.{frac}" if frac else whole


def normalize(text: str) -> str:
    """Returns `text` lowercased, without accents or punctuation, whitespace collapsed, with sizes
    written one way: "Coca-Cola 2 Litros" -> "coca cola 2l", "Água 1,5 L" -> "agua 1.5l"."""
    t = strip_accents(text.lower())
    t = re.sub(r"(?<=\d),(?=\d)", ".", t)  # decimal comma
    t = re.sub(r"[^\w.]|_", " ", t)
    t = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", t)  # a dot survives only inside a number
    t = _SIZE_RE.sub(lambda m: f"{_format_number(m.group(1))}{SIZE_UNITS[m.group(2)]}", t)
    return " ".join(t.split())
