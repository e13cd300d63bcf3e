"""Reply templates of the offline drafter, in the customer's language: confirm what was understood,
ask about what was not."""

from __future__ import annotations

from decimal import Decimal

from ai.drafts import DraftOrder
from ai.lexicon import UNIT_NAMES

_TEMPLATES: dict[str, dict[str, str]] = {
    "en": {
        "hello": "Hi {name}!", "hello_anon": "Hi!",
        "noted": "Thanks for your order. We have noted:",
        "unknown": "We could not identify: {items}. Could you tell us which product you mean?",
        "closing": "We will confirm availability and delivery shortly.",
        "nothing": "Thanks for your message! What would you like to order?",
        "of": "of",
        "how_many": "how many?",
    },
    "es": {
        "hello": "¡Hola {name}!", "hello_anon": "¡Hola!",
        "noted": "Gracias por tu pedido. Anotamos:",
        "unknown": "No pudimos identificar: {items}. ¿Nos dices a qué producto te refieres?",
        "closing": "En breve te confirmamos disponibilidad y entrega.",
        "nothing": "¡Gracias por tu mensaje! ¿Qué te gustaría pedir?",
        "of": "de",
        "how_many": "¿cuántos?",
    },
    "pt": {
        "hello": "Olá {name}!", "hello_anon": "Olá!",
        "noted": "Obrigado pelo pedido. Anotamos:",
        "unknown": "Não conseguimos identificar: {items}. Pode nos dizer qual produto você quer?",
        "closing": "Em breve confirmamos disponibilidade e entrega.",
        "nothing": "Obrigado pela mensagem! O que você gostaria de pedir?",
        "of": "de",
        "how_many": "quantos?",
    },
}


def draft_reply(
    language: str, customer_name: str | None, lines_summary: list[str], unmatched: list[str]
) -> str:
    """Returns a WhatsApp reply in `language` ("en", "es", "pt"; anything else gets English) that
    lists the understood lines and asks which product each unmatched wording means."""
    t = _TEMPLATES.get(language, _TEMPLATES["en"])
    name = (customer_name or "").strip()
    hello = t["hello"].format(name=name) if name else t["hello_anon"]
    if not lines_summary and not unmatched:
        return f"{hello} {t['nothing']}"
    body = [f"{hello} {t['noted']}" if lines_summary else hello]
    body += [f"• {line}" for line in lines_summary]
    if unmatched:
        body.append(t["unknown"].format(items=", ".join(f'"{u}"' for u in unmatched)))
    if lines_summary:
        body.append(t["closing"])
    return "\n".join(body)


def _quantity_text(quantity: Decimal, language: str) -> str:
    text = format(quantity.normalize(), "f")
    return text.replace(".", ",") if language in ("es", "pt") else text


def summarize_lines(order: DraftOrder) -> tuple[list[str], list[str]]:
    """Returns (summaries of the matched lines, wordings of the unmatched ones) in the order's
    language, ready for draft_reply: "2 cajas de Coca-Cola 2L", "3 x Azúcar 1kg", "Hielo: ¿cuántos?"."""
    t = _TEMPLATES.get(order.language, _TEMPLATES["en"])
    summary: list[str] = []
    unmatched: list[str] = []
    for line in order.lines:
        if line.product is None:
            unmatched.append(line.raw_text)
            continue
        if line.quantity is None:  # "manda hielo también": the reply asks
            summary.append(f"{line.product.name}: {t['how_many']}")
            continue
        qty = _quantity_text(line.quantity, order.language)
        names = UNIT_NAMES.get(line.unit or "", {}).get(order.language)
        if names:
            unit = names[0] if line.quantity == 1 else names[1]
            summary.append(f"{qty} {unit} {t['of']} {line.product.name}")
        elif line.unit:  # kg, l...: symbols read the same in every language
            summary.append(f"{qty} {line.unit} {t['of']} {line.product.name}")
        else:
            summary.append(f"{qty} x {line.product.name}")
    return summary, unmatched
