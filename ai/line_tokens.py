"""Tokens of a customer message as the offline drafter reads them (counts, sizes, names, words), and the
part of the message, one item or a few, they belong to."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from ai.catalog import SIZE_PATTERN, SIZE_UNITS, normalize
from ai.lexicon import ARTICLES, FILLER, NUMBER_WORD_LANGUAGE, NUMBER_WORDS, VAGUE_WORDS
from ai.quantities import AND_A_HALF, PACK_LINKS

_TOKEN = re.compile(
    r"(?P<dim>(?<![\w.,])\d+x\d+(?!\w))"  # "9x9 clamshells": a size in the name, not 9 of them
    # "paper bags #20", "240ct", "2-ply", "18in x 500ft", "18 inch": part of a name, never a count
    r"|(?P<ref>#\d+|\d+(?:ct|pcs|in|ft)\b|\d+-[^\W\d_]+|\d+\s(?:inch|inches|ct|ft)\b)"
    r"|(?P<mult>(?<![\w.,])(?:x\s?\d+(?:[.,]\d+)?|\d+(?:[.,]\d+)?\s?x)(?!\w))"
    rf"|(?P<size>{SIZE_PATTERN})"
    r"|(?P<num>\d+(?:[.,]\d+)?)"
    r"|(?P<word>[^\W\d_]+(?:['’-][^\W\d_]+)*)",
    re.IGNORECASE,
)
CONNECTORS = frozenset({"de", "of", "do", "da", "del", "dos", "das"})
_PACKS = frozenset({"case", "box", "pack", "crate", "tray", "bag"})  # units that hold a number of items


@dataclass(frozen=True)
class Token:
    kind: str  # dim | ref (part of a name) | mult | size | num | word
    text: str  # as written
    norm: str  # as normalize() leaves it


def tokenize(text: str) -> list[Token]:
    return [
        Token(m.lastgroup or "word", m.group(), normalize(re.sub(r"['’]s$", "", m.group())))
        for m in _TOKEN.finditer(text)
    ]


def to_decimal(text: str) -> Decimal:
    return Decimal(re.sub(r"[^\d.,]", "", text).replace(",", "."))


def size_count(token: Token) -> tuple[Decimal, str] | None:
    """Returns (quantity, unit) of a size token ("10 kg" -> 10, "kg")."""
    if token.kind != "size":
        return None
    return to_decimal(token.text), SIZE_UNITS[re.sub(r"[\d.,\s]", "", token.text.lower())]


def is_content(t: Token) -> bool:
    return t.kind != "word" or t.norm not in FILLER


def _names_something(t: Token) -> bool:
    # A single letter ("18h") is no product; "33 gal" or "9x9" is, a bare weight ("10 kg") is not.
    if t.kind == "word":
        return len(t.norm) > 1 and t.norm != AND_A_HALF
    size = size_count(t)
    return t.kind in ("dim", "ref") or (size is not None and size[1] not in ("kg", "g"))


def wording(tokens: list[Token]) -> str:
    """Returns the product wording: the tokens with filler words stripped from both ends."""
    start, end = 0, len(tokens)
    while start < end and not is_content(tokens[start]):
        start += 1
    while end > start and not is_content(tokens[end - 1]):
        end -= 1
    kept = tokens[start:end]
    return " ".join(t.text for t in kept) if any(_names_something(t) for t in kept) else ""


@dataclass(frozen=True)
class Part:
    """One item-sized part of a message, tokenized, with what reading it needs."""

    tokens: list[Token]
    language: str
    units: Mapping[str, str]  # packaging words -> unit ("cajas" -> "case", "paca" -> "pack")
    notes: str | None = None
    context: str | None = None  # the product of a question just before ("do you have corona? send 2")

    def count(self, i: int) -> Decimal | None:
        """Returns the quantity token i says, when it says one."""
        t = self.tokens[i]
        if t.kind in ("mult", "num"):
            return to_decimal(t.text)
        if t.kind != "word" or t.norm not in NUMBER_WORDS:
            return None
        if NUMBER_WORD_LANGUAGE.get(t.norm, self.language) != self.language:
            return None
        if t.norm in ARTICLES and not self._article_counts(i):
            return None
        return NUMBER_WORDS[t.norm]

    def _article_counts(self, i: int) -> bool:
        # "a case of corona" and "... and a dish soap" are one; "thanks a lot" and "a few cases" are not.
        if i + 1 >= len(self.tokens):
            return False
        after = self.tokens[i + 1]
        if after.norm in self.units:
            return True
        return i == 0 and is_content(after) and after.norm not in VAGUE_WORDS

    def pack_at(self, k: int) -> tuple[int, int] | None:
        """Returns (pack size, index after it) when the unit at k states its pack: "caja x24", "paca de
        24", "case of 12", "fardos c/ 6", "cx 36". Only a counted or a singular unit does: "bottles x 6" is
        6 bottles."""
        t = self.tokens
        if k >= len(t) or t[k].norm not in self.units:
            return None
        counted = k > 0 and self.count(k - 1) is not None
        # uncounted, only a singular pack of things says its size: "paca de 24", not "lata x4" (4 cans)
        if not counted and (t[k].norm.endswith("s") or self.units[t[k].norm] not in _PACKS):
            return None
        nxt = k + 1 + (k + 1 < len(t) and t[k + 1].norm in PACK_LINKS)
        by_x = counted and nxt < len(t) and t[nxt].kind == "mult" and t[nxt].norm.startswith("x")
        if nxt < len(t) and (t[nxt].kind == "num" or by_x):
            size = to_decimal(t[nxt].text)
            if size == size.to_integral() and 1 < size <= 1000:
                return int(size), nxt + 1
        return None

    def half_at(self, j: int) -> tuple[Decimal, int]:
        """Returns (0.5, j + 1) when token j is "and a half", else (0, j)."""
        if j < len(self.tokens) and self.tokens[j].norm == AND_A_HALF:
            return Decimal("0.5"), j + 1
        return Decimal(0), j

    def skip_connectors(self, j: int) -> int:
        while j < len(self.tokens) and self.tokens[j].norm in CONNECTORS:
            j += 1
        return j
