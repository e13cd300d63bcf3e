"""What people write: customer messages, AI and agent replies, per language, WhatsApp style.

Placeholders: {items} an order's lines joined as people write them, {lines} the same one per line,
{w} a product as the customer calls it, {name} its catalog name, {price} / {total} money, {number}
an order number, {email} / {phone} / {card} / {iban} private data."""

from __future__ import annotations

PHRASES: dict[str, dict] = {
    "es": {
        "plural": {"paca": "pacas", "caja": "cajas", "canasta": "canastas", "botella": "botellas",
                   "garrafa": "garrafas", "botellón": "botellones", "bolsa": "bolsas", "paquete": "paquetes",
                   "kg": "kg"},
        "line": ("{q} {u} de {w}", "{q} {u} de {w}", "{q} de {w}", "{q} {w}", "{w} x{q}"),
        "and": " y ",
        "request": (
            "Hola! me mandas {items} porfa", "Buenos días, para mañana necesito {items}. Gracias!",
            "Hola, me regalas {items}", "Buenas tardes. Por favor enviar {items} al local de siempre",
            "Qué más! Necesito {items} para el fin de semana 🙏", "Me despachan {items}? Gracias",
            "hola mandame {items} x favor", "Pedido:\n{lines}",
            "Buenas! Pedido de la semana:\n{lines}\nGracias",
        ),
        "thanks": ("gracias!", "Mil gracias 🙌", "perfecto, gracias", "listo, quedo atento", "👍"),
        "ask_delivery": ("A qué hora llega el pedido?", "Hoy sí alcanzan a entregar?",
                         "El camión pasa en la mañana?"),
        "ask_price": ("Hola, a cómo tienen {w}?", "Buenas, tienen {w}? precio por favor",
                      "Cuánto vale {w}?"),
        "complaint": ("Ayer llegó el pedido incompleto, faltó {w}", "La {w} llegó golpeada 😕",
                      "Me cobraron de más {w} en la última factura"),
        "info": ("Abren el festivo?", "Hasta qué hora reciben pedidos hoy?", "Tienen catálogo actualizado?"),
        "pii": {"email": "Mi correo para la factura es {email}",
                "phone": "Cualquier cosa me llaman al {phone}",
                "card": "Les pago con la tarjeta {card} vence 08/28", "iban": "Les transfiero desde {iban}"},
        "reply_order": ("¡Hola! Anotado: {summary}. Ya te confirmamos el total y la entrega 👍",
                        "Recibido 🙌 {summary}. En un momento te confirmo el pedido.",
                        "¡Listo! Tomamos {summary}. Te aviso cuando salga."),
        "reply_thanks": ("¡Con gusto! Cualquier cosa nos escribes.", "¡A ti! Que tengas buen día 🙌"),
        "reply_delivery": ("Sale en la ruta de mañana temprano, llega antes del mediodía.",
                           "Hoy sí alcanza, el camión pasa entre 2 y 4 pm."),
        "reply_price": ("{name} está a {price} la {u}. ¿Te la agrego al pedido?",
                        "Sí hay 👍 {name} a {price} la {u}."),
        "reply_complaint": ("Qué pena, ya lo revisamos y te reponemos {name} en la próxima entrega.",
                            "Disculpa la molestia, ya escalamos el caso con bodega."),
        "reply_info": ("Sí, atendemos de 7 am a 5 pm. Pedidos antes de las 3 pm salen al día siguiente.",),
        "reply_pii": ("¡Gracias! Ya actualizamos tus datos.",),
        "agent": ("Hola, ya te confirmo con bodega y te escribo.", "Listo, lo revisamos y te aviso.",
                  "Dame un momento y te respondo."),
        "sign": " Saludos, {agent}.",
        "confirm": "Pedido {number} confirmado ✅ Total: {total}. ¡Gracias por tu compra!",
    },
    "pt": {
        "plural": {"fardo": "fardos", "caixa": "caixas", "pacote": "pacotes", "unidade": "unidades",
                   "kg": "kg", "balde": "baldes", "bandeja": "bandejas"},
        "line": ("{q} {u} de {w}", "{q} {u} de {w}", "{q} {w}", "{w} x{q}", "{q} de {w}"),
        "and": " e ",
        "request": (
            "Oi! Me manda {items} por favor", "Bom dia, preciso de {items} pra amanhã",
            "Boa tarde! Pedido: {items}", "Olá, consegue entregar {items} hoje ainda?",
            "E aí, beleza? Manda {items} pra cá, valeu", "Pedido da semana:\n{lines}",
            "Bom dia! Anota aí:\n{lines}\nObrigado", "Me vê {items}, por favor 🙏",
        ),
        "thanks": ("obrigado!", "valeu 🙌", "perfeito, obrigada", "show, valeu!", "👍"),
        "ask_delivery": ("Que horas chega o pedido?", "Dá pra entregar hoje ainda?",
                         "O caminhão passa de manhã?"),
        "ask_price": ("Oi, quanto tá {w}?", "Vocês têm {w}? qual o preço?", "Qual o valor de {w}?"),
        "complaint": ("O pedido de ontem veio faltando {w}", "{w} chegou amassado 😕",
                      "Cobraram {w} a mais na última nota"),
        "info": ("Vocês abrem no feriado?", "Até que horas posso fazer pedido hoje?",
                 "Tem tabela nova de preços?"),
        "pii": {"email": "Meu email pra nota fiscal é {email}", "phone": "Qualquer coisa me liga no {phone}",
                "card": "Pago no cartão {card} validade 08/28", "iban": "Vou transferir da conta {iban}"},
        "reply_order": ("Oi! Anotado: {summary}. Já te confirmo o total e a entrega 👍",
                        "Recebido 🙌 {summary}. Em instantes confirmo o pedido.",
                        "Fechado! {summary}. Aviso quando sair pra entrega."),
        "reply_thanks": ("Imagina! Qualquer coisa é só chamar.", "Nós que agradecemos 🙌"),
        "reply_delivery": ("Sai na rota de amanhã cedo, chega antes do meio-dia.",
                           "Hoje ainda dá, o caminhão passa entre 14h e 16h."),
        "reply_price": ("{name} está {price} o {u}. Quer que eu inclua no pedido?",
                        "Temos sim 👍 {name} por {price} o {u}."),
        "reply_complaint": ("Poxa, desculpa! Vamos repor {name} na próxima entrega.",
                            "Desculpa o transtorno, já passei para o estoque verificar."),
        "reply_info": ("Atendemos das 7h às 17h. Pedidos até 15h saem no dia seguinte.",),
        "reply_pii": ("Obrigado! Já atualizamos seu cadastro.",),
        "agent": ("Oi, vou confirmar com o estoque e já te falo.", "Certo, vou verificar e te aviso.",
                  "Só um momento que já te respondo."),
        "sign": " Abraço, {agent}.",
        "confirm": "Pedido {number} confirmado ✅ Total: {total}. Obrigado pela preferência!",
    },
    "en": {
        "plural": {"box": "boxes", "case": "cases", "pack": "packs", "jug": "jugs", "pail": "pails",
                   "roll": "rolls"},
        "line": ("{q} {u} of {w}", "{q} {u} of {w}", "{q} x {w}", "{q} {w}", "{w} x{q}"),
        "and": " and ",
        "request": (
            "Hi! Can you send {items}?", "Morning, we need {items} for tomorrow please",
            "Hey, please add {items} to our next delivery. Thanks!", "Running low — need {items} asap",
            "Order for this week:\n{lines}", "Hi there, could we get {items}? Thank you",
            "Please send {items} to the usual address 🙏",
        ),
        "thanks": ("thanks!", "Perfect, thank you 🙌", "great, thanks", "👍"),
        "ask_delivery": ("What time will the order arrive?", "Can you still deliver today?",
                         "Is the truck coming in the morning?"),
        "ask_price": ("Hi, how much is {w}?", "Do you have {w} in stock? price please",
                      "What's the price on {w}?"),
        "complaint": ("Yesterday's order came short, missing {w}", "The {w} arrived damaged 😕",
                      "We were overcharged for {w} on the last invoice"),
        "info": ("Are you open on the holiday?", "What's the cutoff for orders today?",
                 "Do you have an updated price list?"),
        "pii": {"email": "Please send invoices to {email}", "phone": "You can reach me at {phone}",
                "card": "Charge it to card {card} exp 08/28", "iban": "We'll pay from account {iban}"},
        "reply_order": ("Hi! Got it: {summary}. We'll confirm the total and delivery shortly 👍",
                        "Thanks! Noted {summary}. Confirming your order in a moment.",
                        "All set: {summary}. I'll let you know when it ships."),
        "reply_thanks": ("Anytime! Let us know if you need anything else.", "You're welcome 🙌"),
        "reply_delivery": ("It goes out on tomorrow morning's route, before noon.",
                           "Yes, the truck comes by between 2 and 4 pm today."),
        "reply_price": ("{name} is {price} per {u}. Want me to add it to your order?",
                        "Yes, in stock 👍 {name} at {price} per {u}."),
        "reply_complaint": ("Sorry about that! We'll replace the {name} on your next delivery.",
                            "Apologies — I've flagged it with the warehouse team."),
        "reply_info": ("We're open 7 am to 5 pm. Orders in by 3 pm ship next day.",),
        "reply_pii": ("Thanks! Your details are updated.",),
        "agent": ("Hi, let me check with the warehouse and get back to you.",
                  "Sure, checking and I'll update you.", "One moment and I'll get back to you."),
        "sign": " Best, {agent}.",
        "confirm": "Order {number} confirmed ✅ Total: {total}. Thank you!",
    },
}

# Why an agent rejected a suggestion (internal notes, English), per kind of suggestion.
FEEDBACK = {
    "reply": ("Tone too formal", "Too long for WhatsApp", "Promised a delivery time we can't meet",
              "Did not answer what the customer asked", "Quoted a price we no longer have"),
    "order_extraction": ("Not an order, the customer only asked a question",),
}


def money(cents: int, currency: str) -> str:
    """Returns an amount as the distributor's customers write it: $ 1.234.500 / R$ 1.234,50 / $1,234.50."""
    if currency == "COP":
        return "$ " + f"{cents // 100:,}".replace(",", ".")
    whole, frac = f"{cents / 100:,.2f}".split(".")
    if currency == "BRL":
        return f"R$ {whole.replace(',', '.')},{frac}"
    return f"${whole}.{frac}"
