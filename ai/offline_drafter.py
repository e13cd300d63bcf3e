"""The rule-based order drafter used when no AI is configured: reads the lines of a WhatsApp-style
order (English, Spanish, Portuguese), grounds them in the catalog, and drafts a reply."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ai.catalog import SIZE_PATTERN, SIZE_UNITS, normalize
from ai.drafts import DraftOrder, draft_line
from ai.lexicon import (
    ARTICLES,
    FILLER,
    LANGUAGE_MARKERS,
    LANGUAGES,
    NUMBER_WORD_LANGUAGE,
    NUMBER_WORDS,
    QUESTION_CUES,
    UNIT_NAMES,
    UNIT_WORDS,
)
from ai.matching import Match, match_line
from ai.replies import draft_reply, summarize_lines
from queries.assistant import CatalogProduct

__all__ = [
    "ParsedLine", "detect_language", "draft_order", "draft_reply", "parse_order_lines", "summarize_lines",
]


@dataclass(frozen=True)
class ParsedLine:
    """One line as the customer wrote it: the product wording (sizes included), how many, the
    packaging unit in English (case, box, pack, bottle, can, bag, kg, unit...) or None, notes."""

    raw_text: str
    quantity: Decimal
    unit: str | None
    notes: str | None = None


_TOKEN = re.compile(
    r"(?P<mult>(?<![\w.,])(?:x\s?\d+(?:[.,]\d+)?|\d+(?:[.,]\d+)?\s?x)(?!\w))"
    rf"|(?P<size>{SIZE_PATTERN})"
    r"|(?P<num>\d+(?:[.,]\d+)?)"
    r"|(?P<word>[^\W\d_]+(?:['’-][^\W\d_]+)*)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"([!?]+|(?<!\d)\.+|\.+(?!\d))")
_PART_SPLIT = re.compile(r"(?<!\d)[,:]|[,:](?!\d)|[;+&|]|\b(?:and|y|e|plus)\b", re.IGNORECASE)
_ENUMERATOR = re.compile(r"^\s*\d{1,2}[.)]\s+")  # "1) corona x 12": the 1 is no quantity
_NOTES = re.compile(r"\(([^)]*)\)")
_QUESTION = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in QUESTION_CUES) + r")\b")
_CONNECTORS = frozenset({"de", "of", "do", "da", "del", "dos", "das"})
# A bare number after the wording this big is a size ("heineken 600"), not a quantity.
_MAX_TRAILING_QUANTITY = 100


@dataclass(frozen=True)
class _Token:
    kind: str  # mult | size | num | word
    text: str  # as written
    norm: str  # as normalize() leaves it


def _is_separator(char: str) -> bool:
    # Emoji, pictographs, variation selectors and joiners split items like a comma would.
    return unicodedata.category(char) in {"So", "Sk", "Cs", "Co", "Cf", "Mn"}


def _tokens(text: str) -> list[_Token]:
    return [
        _Token(m.lastgroup or "word", m.group(), normalize(re.sub(r"['’]s$", "", m.group())))
        for m in _TOKEN.finditer(text)
    ]


def _decimal(text: str) -> Decimal:
    return Decimal(re.sub(r"[^\d.,]", "", text).replace(",", "."))


def _count(tokens: list[_Token], i: int, language: str) -> Decimal | None:
    """Returns the quantity token i says, when it says one."""
    t = tokens[i]
    if t.kind in ("mult", "num"):
        return _decimal(t.text)
    if t.kind != "word" or t.norm not in NUMBER_WORDS:
        return None
    if NUMBER_WORD_LANGUAGE.get(t.norm, language) != language:
        return None
    if t.norm in ARTICLES and not (i + 1 < len(tokens) and tokens[i + 1].norm in UNIT_WORDS):
        return None
    return NUMBER_WORDS[t.norm]


def _size_count(token: _Token) -> tuple[Decimal, str] | None:
    """Returns (quantity, unit) of a size token ("10 kg" -> 10, "kg")."""
    if token.kind != "size":
        return None
    return _decimal(token.text), SIZE_UNITS[re.sub(r"[\d.,\s]", "", token.text.lower())]


def _is_content(t: _Token) -> bool:
    return t.kind != "word" or t.norm not in FILLER


def _wording(tokens: list[_Token]) -> str:
    """Returns the product wording: the tokens with filler words stripped from both ends."""
    start, end = 0, len(tokens)
    while start < end and not _is_content(tokens[start]):
        start += 1
    while end > start and not _is_content(tokens[end - 1]):
        end -= 1
    kept = tokens[start:end]
    # A single letter ("18h") is no product.
    return " ".join(t.text for t in kept) if any(t.kind == "word" and len(t.norm) > 1 for t in kept) else ""


def _next_item(tokens: list[_Token], start: int) -> int:
    """Returns where a second item begins inside one part ("5 lettuce 3 avocados"), or len."""
    for k in range(start + 1, len(tokens) - 1):
        t = tokens[k]
        # Digits only, small and whole: "agua 1.5 sin gas" and "heineken 600 garrafa" are one item.
        small = t.kind == "num" and t.text.isdigit() and int(t.text) < _MAX_TRAILING_QUANTITY
        is_count = t.kind == "mult" or small
        if is_count and tokens[k + 1].kind == "word" and _is_content(tokens[k - 1]):
            return k
    return len(tokens)


def _parse_part(
    tokens: list[_Token], language: str, notes: str | None, context: str | None
) -> list[ParsedLine]:
    """Returns the lines of one part. `context` is the product of a question just before
    ("do you have corona? send 2 cases"), used by a count that names no product."""
    for i in range(len(tokens)):
        quantity = _count(tokens, i, language)
        if quantity is None:
            continue
        j, unit = i + 1, None
        if j < len(tokens) and tokens[j].norm in UNIT_WORDS:
            unit, j = UNIT_WORDS[tokens[j].norm], j + 1
        while j < len(tokens) and tokens[j].norm in _CONNECTORS:
            j += 1
        end = _next_item(tokens, j)
        wording = _wording(tokens[j:end])
        if wording:  # "send me 3 cases of heineken": what precedes the count is the request
            rest = _parse_part(tokens[end:], language, None, None)
            return [ParsedLine(wording, quantity, unit, notes), *rest]
        before = _wording(tokens[:i])
        is_trailing = tokens[i].kind == "mult" or quantity < _MAX_TRAILING_QUANTITY
        if is_trailing and (before or context):  # "heineken bottles x 6", "alface 4"
            return [ParsedLine(before or context or "", quantity, unit, notes)]
    return _parse_by_weight(tokens, notes)


def _parse_by_weight(tokens: list[_Token], notes: str | None) -> list[ParsedLine]:
    """Returns the line of a part whose only quantity is a weight or volume: "10 kg de tomate",
    "bananas 8kg" (a size in the middle of the wording, "arroz 1kg", is no quantity)."""
    content = [k for k, t in enumerate(tokens) if _is_content(t)]
    if not content:
        return []
    first, last = content[0], content[-1]
    size = _size_count(tokens[first])
    if size is None:  # "me ve 8 kg de banana": a weight followed by "de" is a quantity too
        first = next((k for k in content if tokens[k].kind == "size"), len(tokens))
        followed_by_of = first + 1 < len(tokens) and tokens[first + 1].norm in _CONNECTORS
        size = _size_count(tokens[first]) if followed_by_of else None
    if size is not None:
        rest = first + 1
        while rest < len(tokens) and tokens[rest].norm in _CONNECTORS:
            rest += 1
        wording = _wording(tokens[rest:])
    elif (size := _size_count(tokens[last])) is not None and size[1] in ("kg", "g"):
        wording = _wording(tokens[:last])
    else:
        return []
    return [ParsedLine(wording, size[0], size[1], notes)] if wording else []


def _parts(message: str) -> list[tuple[str, str | None]]:
    """Returns the message cut into item-sized parts, each with the product of the last question
    about prices or stock before it (the questions themselves order nothing)."""
    text = "".join("\n" if _is_separator(c) else c for c in unicodedata.normalize("NFC", message))
    parts: list[tuple[str, str | None]] = []
    context: str | None = None
    for line in text.splitlines():
        pieces = _SENTENCE_END.split(_ENUMERATOR.sub("", line))
        for sentence, end in zip(pieces[::2], [*pieces[1::2], ""], strict=True):
            if "?" in end and _QUESTION.search(normalize(sentence)):
                context = _wording(_tokens(sentence)) or context
                continue
            parts += [(p, context) for p in _PART_SPLIT.split(sentence) if p.strip()]
    return parts


def parse_order_lines(message: str, language: str | None = None) -> list[ParsedLine]:
    """Returns the order lines of a customer message, in message order; [] when it orders nothing
    (greetings, thanks, questions). `language` ("en", "es", "pt") defaults to detect_language()."""
    language = language or detect_language(message)
    lines: list[ParsedLine] = []
    for part, context in _parts(message):
        notes = "; ".join(n.strip() for n in _NOTES.findall(part) if n.strip()) or None
        lines += _parse_part(_tokens(_NOTES.sub(" ", part)), language, notes, context)
    return lines


def detect_language(message: str, default: str = "en") -> str:
    """Returns "en", "es" or "pt": the language whose common words (and letters such as ñ, ã, ç)
    the message uses most; `default` when nothing points anywhere."""
    words = normalize(message).split()
    scores = {lang: sum(w in LANGUAGE_MARKERS[lang] for w in words) for lang in LANGUAGES}
    lowered = message.lower()
    scores["es"] += 2 * sum(lowered.count(c) for c in "ñ¿¡")
    scores["pt"] += 2 * sum(lowered.count(c) for c in "ãõçêô")
    best = max(scores.values())
    if best == 0:
        return default
    leaders = [lang for lang in LANGUAGES if scores[lang] == best]
    return default if default in leaders else leaders[0]


def draft_order(
    message: str,
    catalog: Sequence[CatalogProduct],
    history: dict[str, int] | None = None,
    threshold: float = 0.75,
) -> DraftOrder:
    """Returns the offline DraftOrder of a message: every parsed line matched against the catalog
    (history first), priced, and flagged when unmatched."""
    language = detect_language(message)
    lines = [
        draft_line(p.raw_text, p.quantity, p.unit, _match(p, catalog, history, threshold), threshold, p.notes)
        for p in parse_order_lines(message, language)
    ]
    return DraftOrder(lines, language)


def _match(
    line: ParsedLine, catalog: Sequence[CatalogProduct], history: dict[str, int] | None, threshold: float
) -> Match:
    """Returns the line's Match; when the wording alone is ambiguous, the packaging settles it
    ("5 latas de coca" is the can of Coca-Cola, not the bottles)."""
    match = match_line(line.raw_text, catalog, history, threshold)
    if match.product is not None or line.unit not in UNIT_NAMES:
        return match
    hinted = (match_line(f"{line.raw_text} {names[0]}", catalog, None, threshold)
              for names in UNIT_NAMES[line.unit].values())
    return max((m for m in hinted if m.product is not None), key=lambda m: m.confidence, default=match)
