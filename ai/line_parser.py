"""Reading the order lines of a WhatsApp-style message (English, Spanish, Portuguese): each item's
wording, quantity (or None when the customer gave none), packaging unit and stated pack size."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from ai.catalog import normalize
from ai.intent import detect_language
from ai.lexicon import ARTICLES, QUESTION_CUES, UNIT_WORDS, VAGUE_WORDS
from ai.line_tokens import Part, is_content, size_count, tokenize, wording
from ai.quantities import rewrite

# A full stop ends a sentence, except inside a number ("1.5") or after a title ("Mr. Tea Limón").
_SENTENCE_END = re.compile(
    r"([!?]+|(?<!\bmr)(?<!\bmrs)(?<!\bdr)(?<!\bsr)(?<!\bsra)(?<!\bst)(?:(?<!\d)\.+|\.+(?!\d)))", re.IGNORECASE
)
_PART_SPLIT = re.compile(r"(?<!\d)[,:]|[,:](?!\d)|[;+&|]|\b(?:and|y|e|plus)\b", re.IGNORECASE)
_ENUMERATOR = re.compile(r"^\s*\d{1,2}[.)]\s+")  # "1) corona x 12": the 1 is no quantity
_NOTES = re.compile(r"\(([^)]*)\)")
_QUESTION = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in QUESTION_CUES) + r")\b")
# A bare number after the wording this big is a size ("heineken 600"), not a quantity.
_MAX_TRAILING_QUANTITY = 100


@dataclass(frozen=True)
class ParsedLine:
    """One line as the customer wrote it: the product wording (sizes included), how many (None when the
    customer gave no number: "manda hielo también"), the packaging unit in English (case, box, pack,
    bottle, can, bag, kg, unit...) or None, notes, and the pack size stated ("caja x24" -> 24)."""

    raw_text: str
    quantity: Decimal | None
    unit: str | None
    notes: str | None = None
    pack: int | None = None


def _is_separator(char: str) -> bool:
    # Emoji, pictographs, variation selectors and joiners split items like a comma would.
    return unicodedata.category(char) in {"So", "Sk", "Cs", "Co", "Cf", "Mn"}


def _next_item(part: Part, start: int) -> int:
    """Returns where a second item begins inside one part ("5 lettuce 3 avocados", "dois fardos de X
    três pacotes de Y"), or len."""
    tokens = part.tokens
    for k in range(start + 1, len(tokens) - 1):
        t, after = tokens[k], tokens[k + 1]
        # Digits only, small and whole: "agua 1.5 sin gas" and "heineken 600 garrafa" are one item.
        small = t.kind == "num" and t.text.isdigit() and int(t.text) < _MAX_TRAILING_QUANTITY
        if (t.kind == "mult" or small) and after.kind == "word" and is_content(tokens[k - 1]) \
                and part.pack_at(k - 1) is None:
            return k
        if t.kind == "word" and t.norm not in ARTICLES and part.count(k) is not None and after.norm in part.units:
            return k
    return len(tokens)


def _read_count(part: Part, i: int, quantity: Decimal) -> tuple[Decimal, str | None, int | None, int]:
    """Returns (quantity, unit, pack, index after) of the count at i: "2 and a half cases", "una docena
    de bolsas" (12 bags), "2 cajas x24"."""
    tokens, units = part.tokens, part.units
    half, j = part.half_at(i + 1)
    unit, pack = None, None
    if j < len(tokens) and tokens[j].norm in units:
        unit, pack = units[tokens[j].norm], part.pack_at(j)
        extra, j = part.half_at(j + 1)
        half += extra
        if pack:
            return quantity + half, unit, pack[0], pack[1]
    quantity += half
    if unit == "dozen":  # "una docena de bolsas de hielo": 12 bags
        quantity, unit = quantity * 12, None
        k = part.skip_connectors(j)
        if k < len(tokens) and tokens[k].norm in units:
            unit, j = units[tokens[k].norm], k + 1
    return quantity, unit, None, j


def _parse_part(part: Part) -> list[ParsedLine]:
    """Returns the lines of one part. A part that is only a count ("5 pacas") comes back with an empty
    wording: it belongs to the item before it ("coca 2L, 5 pacas")."""
    tokens = part.tokens
    packs = {k: p for k in range(len(tokens)) if (p := part.pack_at(k))}
    in_pack = {n for k, (_, end) in packs.items() for n in range(k + 1, end)}
    for i in range(len(tokens)):
        quantity = None if i in in_pack else part.count(i)
        if quantity is None:
            continue
        quantity, unit, pack, j = _read_count(part, i, quantity)
        before = wording(tokens[:i])
        if before and tokens[i].kind == "mult" and tokens[i].norm.startswith("x"):
            # "guaro tapa azul x1 para el fin de semana": a postfix count closes the item before it
            rest = _parse_part(replace(part, tokens=tokens[j:], notes=None, context=None))
            return [ParsedLine(before, quantity, unit, part.notes, pack), *rest]
        j = part.skip_connectors(j)
        end = _next_item(part, j)
        named = wording(tokens[j:end])
        if named:  # "send me 3 cases of heineken": what precedes the count is the request
            rest = _parse_part(replace(part, tokens=tokens[end:], notes=None, context=None))
            return [ParsedLine(named, quantity, unit, part.notes, pack), *rest]
        pack = pack or next((p for k, (p, _) in packs.items() if k < i), None)
        is_trailing = tokens[i].kind == "mult" or quantity < _MAX_TRAILING_QUANTITY
        if is_trailing and (before or part.context):  # "heineken bottles x 6", "alface 4"
            return [ParsedLine(before or part.context or "", quantity, unit, part.notes, pack)]
        if not before:  # "5 pacas" after "coca 2L,"
            return [ParsedLine("", quantity, unit, part.notes, pack)]
    return _parse_by_weight(part) or _unquantified(part, packs)


def _unquantified(part: Part, packs: dict[int, tuple[int, int]]) -> list[ParsedLine]:
    """Returns the line of a part that names something without a number ("manda hielo también", "unas
    cuantas pacas de brisa"): quantity None, for a person to settle; "caja y media de X" is 1.5."""
    tokens = part.tokens
    k = 0
    while k < len(tokens) and (not is_content(tokens[k]) or tokens[k].norm in VAGUE_WORDS):
        k += 1
    unit, pack, quantity = None, next((p for p, _ in packs.values()), None), None
    if k < len(tokens) and tokens[k].norm in part.units:
        unit, singular = part.units[tokens[k].norm], not tokens[k].norm.endswith("s")
        pack, after = packs.get(k, (None, k + 1))
        half, k = part.half_at(after)
        quantity = Decimal(1) + half if half and singular else None
        k = part.skip_connectors(k)
    named = wording(tokens[k:])
    return [ParsedLine(named, quantity, unit, part.notes, pack)] if named else []


def _parse_by_weight(part: Part) -> list[ParsedLine]:
    """Returns the line of a part whose only quantity is a weight or volume: "10 kg de tomate",
    "bananas 8kg", "3 kilos y medio de limón" (a size in the middle, "arroz 1kg", is no quantity)."""
    tokens = part.tokens
    content = [k for k, t in enumerate(tokens) if is_content(t)]
    if not content:
        return []
    first, last = content[0], content[-1]
    size = size_count(tokens[first])
    if size is None:  # "me ve 8 kg de banana": a weight followed by "de" is a quantity too
        first = next((k for k in content if tokens[k].kind == "size"), len(tokens))
        followed_by_of = part.skip_connectors(first + 1) > first + 1
        size = size_count(tokens[first]) if followed_by_of else None
    half = Decimal(0)
    if size is not None:
        half, rest = part.half_at(first + 1)
        named = wording(tokens[part.skip_connectors(rest):])
    else:
        half, _ = part.half_at(last)  # "queijo prato 4 kg e meio"
        last -= bool(half)
        size = size_count(tokens[last]) if last >= 0 else None
        if size is None or size[1] not in ("kg", "g"):
            return []
        named = wording(tokens[:last])
    return [ParsedLine(named, size[0] + half, size[1], part.notes)] if named else []


def _parts(message: str) -> list[tuple[str, str | None]]:
    """Returns the message cut into item-sized parts, each with the product of the last question
    about prices or stock before it (the questions themselves order nothing)."""
    text = "".join("\n" if _is_separator(c) else c for c in unicodedata.normalize("NFC", message))
    parts: list[tuple[str, str | None]] = []
    context: str | None = None
    for line in rewrite(text).splitlines():
        pieces = _SENTENCE_END.split(_ENUMERATOR.sub("", line))
        for sentence, end in zip(pieces[::2], [*pieces[1::2], ""], strict=True):
            if "?" in end and _QUESTION.search(normalize(sentence)):
                context = wording(tokenize(sentence)) or context
                continue
            parts += [(p, context) for p in _PART_SPLIT.split(sentence) if p.strip()]
    return parts


def parse_order_lines(
    message: str,
    language: str | None = None,
    units: Mapping[str, str] | None = None,
    unquantified: bool = False,
) -> list[ParsedLine]:
    """Returns the order lines of a customer message, in message order; [] when it orders nothing
    (greetings, thanks, questions). `language` ("en", "es", "pt") defaults to detect_language(); `units`
    adds packaging words (the catalog's own units) to the lexicon's; with `unquantified`, items named
    without a number come back too, quantity None."""
    language = language or detect_language(message)
    units = {**UNIT_WORDS, **(units or {})}
    lines: list[ParsedLine] = []
    for text, context in _parts(message):
        notes = "; ".join(n.strip() for n in _NOTES.findall(text) if n.strip()) or None
        part = Part(tokenize(_NOTES.sub(" ", text)), language, units, notes, context)
        for line in _parse_part(part):
            if line.raw_text:
                lines.append(line)
            elif lines and lines[-1].quantity is None:  # "coca 2L, 5 pacas"
                last = lines[-1]
                lines[-1] = replace(last, quantity=line.quantity, unit=line.unit or last.unit,
                                    pack=line.pack or last.pack)
    return lines if unquantified else [ln for ln in lines if ln.quantity is not None]

