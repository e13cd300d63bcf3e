"""PII redaction: what must not leave for the AI is replaced by placeholders before the call.

Rules are the distributor's `pii_detection_rules` (name, pii_type, regex, replacement) or DEFAULT_RULES.
A regex alone would flag order quantities, SKUs and dates, so matches of some types must also pass a
check chosen by pii_type (for distributor rules too): cards the Luhn checksum, IBANs the mod-97
checksum, phones a digit count of 8-15 (E.164) and not looking like a date.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

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
    # +country code, then groups (the first may be in parentheses): +55 11 98765-4321, +1 (415) 555-0100
    PIIRule(
        "phone_international",
        "phone",
        r"(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,5}\)?)(?:[ .-]?\(?\d{2,5}\)?){0,5}(?!\d)",
        "[PHONE]",
    ),
    # local numbers in groups, optional (area code): (11) 98765-4321, 4567-8901, 612 345 678, 06 12 34 56 78
    PIIRule(
        "phone_local",
        "phone",
        r"(?<![\w+./,-])(?:\(\d{2,4}\) ?)?\d{2,5}(?:[ .-]\d{2,5}){1,4}(?![\w/]|[.,-]\d)",
        "[PHONE]",
    ),
]

# Types are applied in this order whatever the rules' order, so that a broad phone pattern never eats
# part of a card number or an IBAN, and a card pattern never eats the digits of an IBAN.
_TYPE_ORDER = {"email": 0, "iban": 1, "card": 2, "tax_id": 3, "phone": 4}
_DATE = re.compile(r"\b(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})\b")


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def luhn_ok(number: str) -> bool:
    """Returns whether the digits of `number` pass the Luhn checksum (payment cards)."""
    total = 0
    for i, ch in enumerate(reversed(_digits(number))):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _card_ok(text: str) -> bool:
    digits = _digits(text)
    # card numbers start with 2-6 (Mastercard 2-series, Amex, Visa, Mastercard, Discover): EAN barcodes
    # from many countries (e.g. 789 Brazil) do not, which keeps product codes out
    return 13 <= len(digits) <= 19 and digits[0] in "23456" and luhn_ok(digits)


def _iban_ok(text: str) -> bool:
    compact = text.replace(" ", "").upper()
    if not (15 <= len(compact) <= 34 and compact.isascii() and compact.isalnum()):
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def _phone_ok(text: str) -> bool:
    return 8 <= len(_digits(text)) <= 15 and not _DATE.search(text)


_CHECKS: dict[str, Callable[[str], bool]] = {"card": _card_ok, "iban": _iban_ok, "phone": _phone_ok}


def _valid_prefix(text: str, check: Callable[[str], bool]) -> int:
    """Returns the length of the longest prefix of `text`, cut at a space or dash, that passes `check`
    (0 if none): a trailing word or quantity swallowed by the regex must not hide a real match."""
    cuts = [len(text)] + [i for i in range(len(text) - 1, 0, -1) if text[i] in " -"]
    for cut in cuts:
        if check(text[:cut]):
            return cut
    return 0


def _apply(rule: PIIRule, text: str) -> tuple[str, int]:
    check = _CHECKS.get(rule.pii_type)
    hits = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal hits
        found = match.group(0)
        cut = len(found) if check is None else _valid_prefix(found, check)
        if cut == 0:
            return found
        hits += 1
        return rule.replacement + found[cut:]

    return re.sub(rule.pattern, replace, text), hits


def redact(text: str, rules: Iterable[PIIRule]) -> Redaction:
    """Returns `text` with every match of `rules` replaced by the rule's replacement, and the findings.

    An invalid regex raises re.error: a broken rule must stop the call, not let PII through.
    """
    findings: list[Finding] = []
    for rule in sorted(rules, key=lambda r: _TYPE_ORDER.get(r.pii_type, len(_TYPE_ORDER))):
        text, hits = _apply(rule, text)
        if hits:
            findings.append(Finding(rule.pii_type, rule.name, hits))
    return Redaction(text, findings)
