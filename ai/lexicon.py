"""Words the offline drafter knows, in English, Spanish and Portuguese. Every word is written as
catalog.normalize() leaves it: lowercase, without accents."""

from __future__ import annotations

from decimal import Decimal

LANGUAGES = ("en", "es", "pt")


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_NUMBERS_EN = _split(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty"
)
_NUMBERS_ES = _split(
    "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince "
    "dieciseis diecisiete dieciocho diecinueve veinte"
)
_NUMBERS_PT = _split(
    "zero um dois tres quatro cinco seis sete oito nove dez onze doze treze catorze quinze "
    "dezesseis dezessete dezoito dezenove vinte"
)

NUMBER_WORDS: dict[str, Decimal] = {
    **{w: Decimal(i) for i, w in enumerate(_NUMBERS_EN)},
    **{w: Decimal(i) for i, w in enumerate(_NUMBERS_ES)},
    **{w: Decimal(i) for i, w in enumerate(_NUMBERS_PT)},
    "un": Decimal(1), "una": Decimal(1), "uma": Decimal(1), "duas": Decimal(2), "quatorze": Decimal(14),
    "dezasseis": Decimal(16), "dezassete": Decimal(17), "dezanove": Decimal(19),
    "half": Decimal("0.5"), "medio": Decimal("0.5"), "media": Decimal("0.5"),
    "meio": Decimal("0.5"), "meia": Decimal("0.5"),
    "a": Decimal(1), "an": Decimal(1),
}
NUMBER_WORDS.pop("zero")
NUMBER_WORDS.pop("cero")

# Words that are a number in one language and something else in another ("dos" = "of the" in
# Portuguese, "once" in English, "doce" = sweet in Portuguese, "um" = a hesitation in English).
NUMBER_WORD_LANGUAGE: dict[str, str] = {
    "dos": "es", "once": "es", "doce": "es", "medio": "es", "media": "es",
    "um": "pt", "meio": "pt", "meia": "pt", "half": "en", "a": "en", "an": "en",
}
# Articles count as one only right before a unit: "a case of", not "a lot".
ARTICLES = frozenset({"a", "an"})


def _units(canonical: str, words: str) -> dict[str, str]:
    return dict.fromkeys(words.split(), canonical)


# Packaging words said right after the quantity ("3 cajas de ...") -> the unit in English.
UNIT_WORDS: dict[str, str] = {
    **_units("case", "case cases cs caja cajas cj cjs cja caixa caixas cx cxs"),
    **_units("jug", "jug jugs botellon botellones galon galones galao galoes bidon bidones"),
    **_units("pail", "pail pails balde baldes cubeta cubetas"),
    **_units("roll", "roll rolls rollo rollos rolo rolos"),
    **_units("kg", "kilo kilos quilo quilos"),
    **_units("box", "box boxes bx"),
    **_units("pack", "pack packs pk pkt pkts paquete paquetes paq pq pacote pacotes pct fardo fardos "
                     "sixpack paca pacas"),
    **_units("bottle", "bottle bottles btl btls botella botellas garrafa garrafas"),
    **_units("can", "can cans lata latas latinha latinhas"),
    **_units("bag", "bag bags bolsa bolsas saco sacos sack sacks"),
    **_units("crate", "crate crates cajon cajones engradado engradados canasta canastas"),
    **_units("tray", "tray trays bandeja bandejas"),
    **_units("bunch", "bunch bunches manojo manojos maco macos"),
    **_units("dozen", "dozen dozens dz docena docenas duzia duzias"),
    **_units("unit", "unit units un und unds unid unids unidad unidades unidade pc pcs piece pieces "
                     "pieza piezas peca pecas"),
}

# Words around the product wording that are not the product: greetings, requests, politeness,
# time, the linking "of / de". Stripped from both ends of a line, never from its middle.
FILLER = frozenset(_split(
    # English
    "hi hello hey good morning afternoon evening pls please plz send sent me us i we need needs want "
    "would like could u you get give also plus more another add order the to for tomorrow tmrw "
    "today thanks thank thx ty ok okay and of some just asap urgent bring deliver delivery too"
    # Spanish
    " hola despacha despachan despachen regala regalas buen buenos buenas dia dias tardes noches que q tal "
    "quiero quisiera necesito ocupo manda "
    "mandame mandas mandar envia envias enviame traeme trae porfa por favor pf gracias tambien mas "
    "agrega agregame agregar pedido para manana hoy ayer al del de el la los las y otra otro otras otros "
    "en"
    # Portuguese
    " oi ola bom boa tarde noite tudo bem quero queria gostaria preciso vou querer mande pode "
    "poderia enviar traz pfv obrigado obrigada valeu vlw fazer semana pra amanha hoje da do o a os as "
    "seu dona vc vcs voce voces e pfvr se tiver"
    # Days, and the words of "do you have X? if so send 2" around the X
    " monday tuesday wednesday thursday friday saturday sunday lunes martes miercoles jueves viernes "
    "sabado domingo segunda terca quarta quinta sexta feira on el if so si hay have has do does got "
    "any is are there tienen tiene tem how much price cuanto cuesta esta precio quanto ta custa preco "
    "my our mi mis nuestro meu minha nosso no na"
    # Voice-note hesitations and chit-chat around the items
    " x uh um eh ehm hmm like gonna yeah so well mire pues bueno entonces ta brigado audio that thats it ones"
    # Time, as in "I'll be there in 5 minutes"
    " minute minutes min mins minuto minutos hour hours hr hrs hora horas h hs"
))

# A question with one of these is asking, not ordering ("how much is the heineken 600?").
QUESTION_CUES = (
    "how much", "price", "do you have", "do you deliver", "cuanto", "precio", "tienen", "hay",
    "quanto", "preco", "tem",
)

# Words that point to a language; accented letters count too (see offline_drafter.detect_language).
LANGUAGE_MARKERS: dict[str, frozenset[str]] = {
    "en": frozenset(_split(
        "the of and please pls plz send need want cases case thanks thx hi hello hey can you u for "
        "tomorrow bottles boxes bags i we good morning order some get could would also more with "
        "water milk rice juice beer oil sugar salt flour potatoes onions tomatoes lemons three two"
    )),
    "es": frozenset(_split(
        "quiero necesito cajas caja gracias hola y el los las una dos porfa mandame mandas buenos "
        "buenas tardes dias manana paquetes paquete botellas con sin del al que q tienen cuanto "
        "frijoles cebolla aceite aceites leche jugo quisiera envias tambien docena bolsa cerveza "
        "agua aguas tal esta hay ayer agregame cuatro tres"
    )),
    "pt": frozenset(_split(
        "quero preciso caixa caixas cx obrigado obrigada oi ola e o os um uma dois duas com sem "
        "voce vc vcs pacotes pacote garrafas garrafa cerveja nao bom boa tudo bem pra amanha pode "
        "mais vou querer gostaria feijao leite suco cebola azeite oleo fardo fardos pfv valeu "
        "tambem semana tem limao alface abacates batata farinha macarrao"
    )),
}

# Unit names in replies: (singular, plural) per language.
UNIT_NAMES: dict[str, dict[str, tuple[str, str]]] = {
    "case": {"en": ("case", "cases"), "es": ("caja", "cajas"), "pt": ("caixa", "caixas")},
    "box": {"en": ("box", "boxes"), "es": ("caja", "cajas"), "pt": ("caixa", "caixas")},
    "pack": {"en": ("pack", "packs"), "es": ("paquete", "paquetes"), "pt": ("pacote", "pacotes")},
    "bottle": {"en": ("bottle", "bottles"), "es": ("botella", "botellas"), "pt": ("garrafa", "garrafas")},
    "can": {"en": ("can", "cans"), "es": ("lata", "latas"), "pt": ("lata", "latas")},
    "bag": {"en": ("bag", "bags"), "es": ("bolsa", "bolsas"), "pt": ("saco", "sacos")},
    "crate": {"en": ("crate", "crates"), "es": ("cajón", "cajones"), "pt": ("engradado", "engradados")},
    "tray": {"en": ("tray", "trays"), "es": ("bandeja", "bandejas"), "pt": ("bandeja", "bandejas")},
    "bunch": {"en": ("bunch", "bunches"), "es": ("manojo", "manojos"), "pt": ("maço", "maços")},
    "dozen": {"en": ("dozen", "dozen"), "es": ("docena", "docenas"), "pt": ("dúzia", "dúzias")},
    "unit": {"en": ("unit", "units"), "es": ("unidad", "unidades"), "pt": ("unidade", "unidades")},
    "jug": {"en": ("jug", "jugs"), "es": ("galón", "galones"), "pt": ("galão", "galões")},
    "pail": {"en": ("pail", "pails"), "es": ("balde", "baldes"), "pt": ("balde", "baldes")},
    "roll": {"en": ("roll", "rolls"), "es": ("rollo", "rollos"), "pt": ("rolo", "rolos")},
}

# Units a product is sold by one at a time: a pack of them converts to that many ("a case of 12 jugs").
ITEM_UNITS = frozenset({"unit", "bottle", "can", "jug", "each", "unidad", "unidade", "botella", "garrafa",
                        "lata", "pieza", "peca"})
# Words that say "some" without a number: the line is kept, its quantity unknown.
VAGUE_WORDS = frozenset(_split(
    "some few several more varias varios unas unos cuantas cuantos algunas algunos algumas alguns umas uns "
    "mais otras otros"
))
# Messages with these are about past orders, not new ones: complaints, and cancellations ("other").
COMPLAINT_CUES = frozenset(_split(
    "charged overcharged broken crushed damaged missing wrong refund expired cobraron cobraste cobraram "
    "rotas rotos rota roto quebrados quebradas quebrado quebrada vencidas vencidos vencido vencida faltaron "
    "falto faltou reclamo reclamacao"
))
CANCEL_CUES = frozenset(_split("cancel cancels cancela cancelar cancele cancelo cancelem"))

# Words naming a kind of product, not one: asked for with a brand, they distinguish nothing. Stemmed as
# matching does (a plural "s" dropped).
CATEGORY_WORDS = frozenset(_split(
    "cerveza cerveja beer birra gaseosa refresco refrigerante refri soda jugo suco juice bebida drink"
))
# Size adjectives: redundant next to a stated size ("grande 2 litros"), distinguishing without one.
SIZE_WORDS = frozenset(_split("grande big large small pequeno pequena chico chica mediano mediana medium"))
# Words that make another product of the same name: diet, fat, colour, flavour-less variants. Stemmed.
VARIANT_WORDS = frozenset(_split(
    "light lite zero diet skim skimmed lowfat desnatado desnatada descremado descremada deslactosado "
    "deslactosada semidesnatado integral whole sin sem sugarfree blue black red green white clear yellow "
    "azul negro negra preto preta rojo roja vermelho blanco blanca branco branca verde"
))
