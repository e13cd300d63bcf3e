"""PII redaction: what must not leave for the AI is replaced by placeholders before the call.

Rules are the distributor's `pii_detection_rules` (name, pii_type, regex, replacement) or DEFAULT_RULES.
A regex alone would flag order quantities, SKUs and dates, so matches of some types must also pass a
check chosen by pii_type (for distributor rules too), from python-stdnum and phonenumbers: cards the Luhn
checksum, IBANs their country's format and mod 97, tax ids the checksum of the tenant's country (Colombian
NIT, Brazilian CPF / CNPJ; a country without a known one keeps every match), phones must hold a number
valid in the tenant's country, or of a possible length after a +code (libphonenumber); for a tenant of
unknown country, 8-15 digits that do not look like a date.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, partial
from importlib.resources import files

import phonenumbers
from phonenumbers import NumberParseException
from stdnum import iban, luhn
from stdnum.br import cnpj, cpf
from stdnum.co import nit

from queries.assistant import PIIRule  # the row shape lives with the query that reads it


@dataclass(frozen=True)
class Finding:
    pii_type: str
    rule_name: str
    count: int


@dataclass(frozen=True)
class Redaction:
    """The redacted text and, per rule that matched, how many times (what pii_detection_results records)."""

    text: str
    findings: list[Finding]


DEFAULT_RULES: list[PIIRule] = [
    PIIRule("email", "email", r"[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}", "[EMAIL]"),
    PIIRule("iban", "iban", r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?\d{1,3})?\b", "[IBAN]"),
    # 13-19 digits, single spaces or dashes between them
    PIIRule("card", "card", r"(?<![\w+.-])\d(?:[ -]?\d){12,18}(?![\w-]|\.\d)", "[CARD]"),
    # NIT 900.123.456-8, CPF 111.444.777-35, CNPJ 11.222.333/0001-81 (dots and slash optional, dash not)
    PIIRule(
        "tax_id",
        "tax_id",
        r"(?<![\w.-])(?:\d{1,3}\.?\d{3}\.?\d{3}-\d{1,2}|\d{2}\.?\d{3}\.?\d{3}/?\d{4}-\d{2})(?![\w-]|[.,/]\d)",
        "[TAX_ID]",
    ),
    # +country code, then groups (the first may be in parentheses): +55 11 98765-4321, +1 (415) 555-0100
    PIIRule(
        "phone_international",
        "phone",
        r"(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,5}\)?)(?:[ .-]?\(?\d{2,5}\)?){0,5}(?!\d)",
        "[PHONE]",
    ),
    # local numbers in groups, optional (area code), or 10-11 digits in one run: (11) 98765-4321,
    # 601 7654321, 612 345 678, 06 12 34 56 78, 3001234567
    PIIRule(
        "phone_local",
        "phone",
        r"(?<![\w+./,-])(?:\(\d{2,4}\) ?)?(?:\d{2,5}(?:[ .-]\d{2,7}){1,4}|\d{10,11})(?![\w/]|[.,-]\d)",
        "[PHONE]",
    ),
]

# Types are applied in this order whatever the rules' order, so that a broad phone pattern never eats
# part of a card number, an IBAN or a tax id, and a card pattern never eats the digits of an IBAN.
_TYPE_ORDER = {"email": 0, "iban": 1, "card": 2, "tax_id": 3, "phone": 4}
_DATE = re.compile(r"\b(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})\b")
_TAX_IDS = {"CO": (nit,), "BR": (cpf, cnpj)}  # python-stdnum modules, by the tenant's country

Spans = list[tuple[int, int]]  # what to replace inside one regex match
_LONGEST = 64  # characters: no card, IBAN, tax id or phone is longer, even spaced out


@cache
def _zone_countries() -> dict[str, str]:
    tab = files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in tab.splitlines() if not line.startswith("#"))
    return {row[2]: row[0] for row in rows if len(row) >= 3}


def region_of(timezone: str) -> str | None:
    """Returns the ISO country code of an IANA time zone ('America/Bogota' -> 'CO'), None for 'UTC' and
    other zones of no country: the tenant's country for its phone and tax id checks."""
    return _zone_countries().get(timezone)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _card_ok(text: str) -> bool:
    digits = _digits(text)
    # card numbers start with 2-6 (Mastercard 2-series, Amex, Visa, Mastercard, Discover): EAN barcodes
    # from many countries (e.g. 789 Brazil) do not, which keeps product codes out
    return 13 <= len(digits) <= 19 and digits[0] in "23456" and luhn.is_valid(digits)


def _phone_ok(text: str) -> bool:
    return 8 <= len(_digits(text)) <= 15 and not _DATE.search(text)


def _valid_spans(text: str, check: Callable[[str], bool]) -> Spans:
    """Returns the parts of `text`, cut at spaces and dashes, that pass `check`, the longest first from the
    left: a quantity or word swallowed by the regex, before or after a real match, must not hide it."""
    cuts = [i for i, ch in enumerate(text) if ch in " -"]
    starts, ends = [0] + [i + 1 for i in cuts], [len(text)] + cuts[::-1]
    spans: Spans = []
    for start in starts:
        if spans and start < spans[-1][1]:
            continue
        end = next((end for end in ends if start < end <= start + _LONGEST and check(text[start:end])), None)
        if end is not None:
            spans.append((start, end))
    return spans


def _phone_of(region: str, text: str) -> bool:
    """Whether `text` is a number valid in `region`, or of a possible length after a +code: people type
    made-up or unassigned numbers too, and the +code alone tells a phone from a quantity."""
    if len(_digits(text)) > 17:  # 15 at most (E.164), with a trunk or carrier prefix: no parse needed
        return False
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException:
        return False
    return phonenumbers.is_possible_number(number) if text.startswith("+") else phonenumbers.is_valid_number(number)


def _finder(pii_type: str, region: str | None) -> Callable[[str], Spans]:
    """Returns what finds the PII inside a match of a rule of `pii_type`, for a tenant of `region`."""
    checks: dict[str, Callable[[str], bool]] = {"card": _card_ok, "iban": iban.is_valid, "phone": _phone_ok}
    if region:
        checks["phone"] = partial(_phone_of, region)
    if validators := _TAX_IDS.get(region or ""):
        checks["tax_id"] = lambda text: any(v.is_valid(text) for v in validators)
    check = checks.get(pii_type)
    return (lambda text: [(0, len(text))]) if check is None else partial(_valid_spans, check=check)


def _apply(rule: PIIRule, text: str, find: Callable[[str], Spans]) -> tuple[str, int]:
    hits = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal hits
        found, parts, last = match.group(0), [], 0
        for start, end in find(found):
            parts += [found[last:start], rule.replacement]
            last = end
            hits += 1
        return "".join(parts) + found[last:]

    return re.sub(rule.pattern, replace, text), hits


def redact(text: str, rules: Iterable[PIIRule], region: str | None = None) -> Redaction:
    """Returns `text` with every match of `rules` replaced by the rule's replacement, and the findings;
    `region` is the tenant's country (region_of its time zone), which phones and tax ids are checked for.

    An invalid regex raises re.error: a broken rule must stop the call, not let PII through.
    """
    findings: list[Finding] = []
    for rule in sorted(rules, key=lambda r: _TYPE_ORDER.get(r.pii_type, len(_TYPE_ORDER))):
        text, hits = _apply(rule, text, _finder(rule.pii_type, region))
        if hits:
            findings.append(Finding(rule.pii_type, rule.name, hits))
    return Redaction(text, findings)
