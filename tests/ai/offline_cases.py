"""WhatsApp order messages as customers write them, with the lines a person at the distributor
would enter for them: (sku, quantity) in the quantity and unit the customer used.

Written before the parser was tuned; a miss here is a parser limitation, not a wrong case.
"""

from decimal import Decimal

D = Decimal

Case = tuple[str, str, list[tuple[str, Decimal]]]  # (language, message, expected lines)

# Written first, and used while building the parser.
DEVELOPMENT: list[Case] = [
    # --- English ---
    ("en", "Hi! pls send 2 cases of coke 2L and 1 case sprite 2l 🙏",
     [("COKE-2L", D(2)), ("SPRITE-2L", D(1))]),
    ("en", "10x water 500ml", [("WATER-500", D(10))]),
    ("en", "send three cases of Heineken cans", [("HEIN-355", D(3))]),
    ("en", "pls 4 boxes of tomatoes + 2 bags onions", [("TOMATO-KG", D(4)), ("ONION-KG", D(2))]),
    ("en", "Good morning!\n- 5 rice 5kg\n- 3 sugar\n- 2 olive oil\nthanks",
     [("RICE-5KG", D(5)), ("SUGAR-1KG", D(3)), ("OLIVE-500", D(2))]),
    ("en", "hey can u send 12 red bull and 6 corona", [("REDBULL-250", D(12)), ("CORONA-355", D(6))]),
    ("en", "need 20 kg potatoes, 10kg banana, 5 kg lemons",
     [("POTATO-KG", D(20)), ("BANANA-KG", D(10)), ("LEMON-KG", D(5))]),
    ("en", "thanks a lot, see you tomorrow 👍", []),
    ("en", "do you deliver on saturdays?", []),
    ("en", "Order for tmrw: heineken bottles x 6, coke cans x24", [("HEIN-600", D(6)), ("COKE-355", D(24))]),
    ("en", "a case of orange juice and two bags of flour pls", [("JUICE-OJ-1L", D(1)), ("FLOUR-1KG", D(2))]),
    ("en", "hi john, could you send me 3 spagetti, 2 ground cofee and 1 salt? thx",
     [("PASTA-500", D(3)), ("COFFEE-500", D(2)), ("SALT-1KG", D(1))]),
    ("en", "5 lettuce 🥬 3 avocados", [("LETTUCE", D(5)), ("AVOCADO", D(3))]),
    ("en", "Can I get 6 packs of sparkling water 500ml and 4 bottles of soybean oil",
     [("WATER-SPARK-500", D(6)), ("OIL-900", D(4))]),
    ("en", "1 case skol cans\n1 case brahma\n2 cases guarana 2L",
     [("SKOL-350", D(1)), ("BRAHMA-350", D(1)), ("GUARANA-2L", D(2))]),
    ("en", "Hello, how much is the heineken 600?", []),
    ("en", "3 cases of Pepsi 2L and 2 coke 2l", [("COKE-2L", D(2))]),
    # --- Spanish ---
    ("es", "2 cajas de coca cola 2L", [("COKE-2L", D(2))]),
    ("es", "quiero 5 paquetes de arroz 1kg y 2 aceites", [("RICE-1KG", D(5)), ("OIL-900", D(2))]),
    ("es", "Hola buenas tardes! me mandas 3 cajas de heineken lata porfa 🍺", [("HEIN-355", D(3))]),
    ("es", "necesito:\n- 10 kg de tomate\n- 5 kilos de cebolla\n- 8 aguacates",
     [("TOMATO-KG", D(10)), ("ONION-KG", D(5)), ("AVOCADO", D(8))]),
    ("es", "buen dia, para mañana: una caja de corona, dos de sprite 2 lts y 6 aguas de 500",
     [("CORONA-355", D(1)), ("SPRITE-2L", D(2)), ("WATER-500", D(6))]),
    ("es", "Gracias!! 🙌", []),
    ("es", "tienen papas? cuanto esta el kilo", []),
    ("es", "3 x gaseosa naranja 2l\n4 x frijoles", [("FANTA-2L", D(3)), ("BEANS-1KG", D(4))]),
    ("es", "me envias 1 bolsa de azucar, 2 de sal y 3 harinas porfa",
     [("SUGAR-1KG", D(1)), ("SALT-1KG", D(2)), ("FLOUR-1KG", D(3))]),
    ("es", "hola, q tal? mandame 6 red bull, 12 coronas y 24 cocas de lata",
     [("REDBULL-250", D(6)), ("CORONA-355", D(12)), ("COKE-355", D(24))]),
    ("es", "pedido:\n2 cj heineken botella\n1 cj agua con gas\n5 jugos de naranja",
     [("HEIN-600", D(2)), ("WATER-SPARK-500", D(1)), ("JUICE-OJ-1L", D(5))]),
    ("es", "Buenos días, quisiera cuatro leches enteras y un café molido",
     [("MILK-1L", D(4)), ("COFFEE-500", D(1))]),
    ("es", "10 kg papa\n5kg limon\n3 lechugas",
     [("POTATO-KG", D(10)), ("LEMON-KG", D(5)), ("LETTUCE", D(3))]),
    ("es", "porfa agregame 2 paquetes de espagueti al pedido de ayer", [("PASTA-500", D(2))]),
    ("es", "quiero 3 cajas de cerveza corona y 2 de heineken en lata",
     [("CORONA-355", D(3)), ("HEIN-355", D(2))]),
    ("es", "2 aceites de oliva, 1 arroz de 5 kilos", [("OLIVE-500", D(2)), ("RICE-5KG", D(1))]),
    ("es", "2 cajas de pepsi y 3 de coca 2 litros", [("COKE-2L", D(3))]),
    # --- Portuguese ---
    ("pt", "manda 3 caixas de cerveja skol lata", [("SKOL-350", D(3))]),
    ("pt", "Bom dia! Preciso de 2 fardos de refrigerante guaraná 2L e 1 fardo de coca 2L",
     [("GUARANA-2L", D(2)), ("COKE-2L", D(1))]),
    ("pt", "oi, tudo bem? vou querer 10 kg de tomate, 5 kg de cebola e 20 kg de batata",
     [("TOMATO-KG", D(10)), ("ONION-KG", D(5)), ("POTATO-KG", D(20))]),
    ("pt", "obrigado!!", []),
    ("pt", "vcs tem azeite?", []),
    ("pt", "quero 4 pacotes de arroz 5kg, 2 feijão e 3 açúcar",
     [("RICE-5KG", D(4)), ("BEANS-1KG", D(2)), ("SUGAR-1KG", D(3))]),
    ("pt", "manda duas caixas de brahma e uma de heineken garrafa",
     [("BRAHMA-350", D(2)), ("HEIN-600", D(1))]),
    ("pt", "6 cx agua sem gas 500ml\n2 cx agua com gas", [("WATER-500", D(6)), ("WATER-SPARK-500", D(2))]),
    ("pt", "boa tarde, pode mandar 12 redbull e 3 suco de laranja?",
     [("REDBULL-250", D(12)), ("JUICE-OJ-1L", D(3))]),
    ("pt", "pedido da semana:\n• 5 leite integral\n• 2 café\n• 3 farinha de trigo\n• 1 sal",
     [("MILK-1L", D(5)), ("COFFEE-500", D(2)), ("FLOUR-1KG", D(3)), ("SALT-1KG", D(1))]),
    ("pt", "me manda 3 óleo de soja e 2 macarrão", [("OIL-900", D(3)), ("PASTA-500", D(2))]),
    ("pt", "2 cx skol 600 + 1 cx corona", [("SKOL-600", D(2)), ("CORONA-355", D(1))]),
    ("pt", "bananas 8kg, limão 3kg, alface 4", [("BANANA-KG", D(8)), ("LEMON-KG", D(3)), ("LETTUCE", D(4))]),
    ("pt", "Olá! Gostaria de fazer um pedido: 3 caixas de coca lata, 2 de fanta 2l e 1 de sprite 2l. "
           "Obrigada",
     [("COKE-355", D(3)), ("FANTA-2L", D(2)), ("SPRITE-2L", D(1))]),
    ("pt", "mais 2 abacates e 1 kg de limao pfv", [("AVOCADO", D(2)), ("LEMON-KG", D(1))]),
    ("pt", "Bom dia seu Zé, manda 5 cerveja heineken 600 e 10 água 1,5",
     [("HEIN-600", D(5)), ("WATER-1.5L", D(10))]),
    ("pt", "3 pacotes de biscoito recheado", []),
]

# Written after the parser worked on DEVELOPMENT, and measured before any further change: how it
# does on messages it was not built around (a few need context no parser has, e.g. "if you have it
# send 10").
HELD_OUT: list[Case] = [
    ("en", "morning!! can we get 2 cs corona & 1 cs heineken 600 for friday",
     [("CORONA-355", D(2)), ("HEIN-600", D(1))]),
    ("en", "Need: 15kg tomatos, 10 kg onion, 2 lettuces",
     [("TOMATO-KG", D(15)), ("ONION-KG", D(10)), ("LETTUCE", D(2))]),
    ("en", "Hey it's Maria from the corner store. Please add 4 x coca cola 600ml to today's order",
     [("COKE-600", D(4))]),
    ("en", "6 orange juice\n6 whole milk\n2 cafe",
     [("JUICE-OJ-1L", D(6)), ("MILK-1L", D(6)), ("COFFEE-500", D(2))]),
    ("en", "one box bananas, one box avocados", [("BANANA-KG", D(1)), ("AVOCADO", D(1))]),
    ("en", "plz send 24 cans of redbull asap!!!", [("REDBULL-250", D(24))]),
    ("en", "ok perfect thank you 😊", []),
    ("en", "2 sacks rice 5 kg and 10 bags of sugar", [("RICE-5KG", D(2)), ("SUGAR-1KG", D(10))]),
    ("es", "hola! me podes mandar 4 cajas de skol en lata y 2 de brahma?",
     [("SKOL-350", D(4)), ("BRAHMA-350", D(2))]),
    ("es", "Buenas, necesito 20 kilos de papa y 5 de limón", [("POTATO-KG", D(20)), ("LEMON-KG", D(5))]),
    ("es", "para el sábado: 3 cajas agua mineral 1.5 lts, 2 cajas gaseosa cola 2l",
     [("WATER-1.5L", D(3)), ("COKE-2L", D(2))]),
    ("es", "Muchas gracias, hasta mañana!", []),
    ("es", "mandame diez paquetes de fideos spaghetti y 6 harina",
     [("PASTA-500", D(10)), ("FLOUR-1KG", D(6))]),
    ("es", "ocupo 2 cajas de refri de naranja de 2 litros", [("FANTA-2L", D(2))]),
    ("es", "tienen aguacate? si hay mandame 10", [("AVOCADO", D(10))]),
    ("es", "5 latas de coca y 5 de sprite 2L", [("COKE-355", D(5)), ("SPRITE-2L", D(5))]),
    ("pt", "Boa noite! Amanhã preciso de 3 cx de heineken lata e 2 cx de skol garrafa",
     [("HEIN-355", D(3)), ("SKOL-600", D(2))]),
    ("pt", "manda 1 saco de arroz 5kg e 4 pct de macarrao", [("RICE-5KG", D(1)), ("PASTA-500", D(4))]),
    ("pt", "valeu, até amanhã 👍", []),
    ("pt", "2 azeite, 3 oleo, 5 acucar", [("OLIVE-500", D(2)), ("OIL-900", D(3)), ("SUGAR-1KG", D(5))]),
    ("pt", "quero 12 guaraná 2l e 12 coca 2l pfvr", [("GUARANA-2L", D(12)), ("COKE-2L", D(12))]),
    ("pt", "Oi Zé! me ve 8 kg de banana, 4kg de cebola, 6 alfaces",
     [("BANANA-KG", D(8)), ("ONION-KG", D(4)), ("LETTUCE", D(6))]),
    ("pt", "dez fardos de água sem gás 500ml", [("WATER-500", D(10))]),
    ("pt", "tem cerveja corona? manda 2 caixas", [("CORONA-355", D(2))]),
]

# A second batch, written and measured the same way after the fixes the first one led to.
HELD_OUT_2: list[Case] = [
    ("en", "Hi team, for Monday pls:\n1) Corona x 12\n2) Heineken cans x 12\n3) 2 bags of ice",
     [("CORONA-355", D(12)), ("HEIN-355", D(12))]),
    ("en", "could you add another 3 milk 1L to my order? thanks!", [("MILK-1L", D(3))]),
    ("en", "2.5 kg lemons and a bag of rice 1kg", [("LEMON-KG", D("2.5")), ("RICE-1KG", D(1))]),
    ("en", "I need TWO cases SPRITE 2L", [("SPRITE-2L", D(2))]),
    ("en", "send the usual + 4 sparkling water", [("WATER-SPARK-500", D(4))]),
    ("es", "Buenas tardes Don Pedro, le encargo 3 cajas de cerveza Heineken de 600 y 2 de Corona",
     [("HEIN-600", D(3)), ("CORONA-355", D(2))]),
    ("es", "1. 5 kg de cebolla\n2. 3 kg de tomate\n3. 2 kg de papa",
     [("ONION-KG", D(5)), ("TOMATO-KG", D(3)), ("POTATO-KG", D(2))]),
    ("es", "necesito 12 unidades de jugo de naranja", [("JUICE-OJ-1L", D(12))]),
    ("es", "Me mandas once botellas de aceite de oliva?", [("OLIVE-500", D(11))]),
    ("es", "otra cosa: 2 sal y 2 azucar, gracias amigo", [("SALT-1KG", D(2)), ("SUGAR-1KG", D(2))]),
    ("pt", "bom dia!! hoje vou precisar de 5 cxs de coca cola lata e 3 cxs de guarana 2 litros",
     [("COKE-355", D(5)), ("GUARANA-2L", D(3))]),
    ("pt", "me ve 1 duzia de abacate", [("AVOCADO", D(1))]),
    ("pt", "Seu Zé, coloca mais 2kg de cebola no meu pedido", [("ONION-KG", D(2))]),
    ("pt", "4 caixas de agua 1,5 litro sem gas", [("WATER-1.5L", D(4))]),
    ("pt", "quanto tá o café? manda 3 se tiver", [("COFFEE-500", D(3))]),
    ("pt", "preciso 2 farinha, 2 fubá e 1 óleo", [("FLOUR-1KG", D(2)), ("OIL-900", D(1))]),
]

CASES: list[Case] = DEVELOPMENT + HELD_OUT + HELD_OUT_2
