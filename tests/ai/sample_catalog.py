"""A small distributor catalog (drinks, groceries, produce) with the aliases a distributor in
Latin America would type in: English, Spanish and Portuguese names, brands, slang."""

from queries.assistant import CatalogProduct

_ROWS = [
    # sku, name, aliases, unit, price_cents, category
    ("COKE-2L", "Coca-Cola 2L",
     ("coke 2l", "coca 2l", "coca cola 2 litros", "gaseosa cola 2l", "refri coca 2l", "refrigerante coca 2l"),
     "bottle", 350, "drinks"),
    ("COKE-355", "Coca-Cola 355ml lata",
     ("coke can", "coca lata", "coca cola lata", "refrigerante coca lata"), "can", 120, "drinks"),
    ("COKE-600", "Coca-Cola 600ml", ("coca 600", "coke 600ml"), "bottle", 190, "drinks"),
    ("SPRITE-2L", "Sprite 2L", ("sprite 2 litros",), "bottle", 320, "drinks"),
    ("FANTA-2L", "Fanta Naranja 2L",
     ("fanta 2l", "fanta orange 2l", "gaseosa naranja 2l", "refri naranja 2l", "refrigerante laranja 2l"),
     "bottle", 320, "drinks"),
    ("GUARANA-2L", "Guaraná Antarctica 2L", ("guarana 2l", "refrigerante guarana", "refri guarana"),
     "bottle", 300, "drinks"),
    ("WATER-500", "Agua Mineral 500ml",
     ("water 500ml", "agua 500ml", "agua sin gas 500ml", "agua sem gas 500ml"), "bottle", 80, "drinks"),
    ("WATER-1.5L", "Agua Mineral 1.5L", ("water 1.5l", "agua 1.5l", "agua 1,5l"), "bottle", 140, "drinks"),
    ("WATER-SPARK-500", "Agua con gas 500ml",
     ("sparkling water 500ml", "agua com gas 500ml", "agua gasificada"), "bottle", 95, "drinks"),
    ("HEIN-355", "Heineken 355ml lata",
     ("heineken lata", "heineken can", "heineken 355"), "can", 210, "beer"),
    ("HEIN-600", "Heineken 600ml garrafa",
     ("heineken 600", "heineken garrafa", "heineken botella", "heineken bottle"), "bottle", 420, "beer"),
    ("SKOL-350", "Cerveja Skol Lata 350ml", ("skol lata", "skol can"), "can", 150, "beer"),
    ("SKOL-600", "Cerveja Skol 600ml garrafa", ("skol garrafa", "skol 600"), "bottle", 290, "beer"),
    ("CORONA-355", "Corona Extra 355ml", ("corona", "cerveza corona"), "bottle", 230, "beer"),
    ("BRAHMA-350", "Brahma Lata 350ml", ("cerveja brahma", "brahma lata"), "can", 140, "beer"),
    ("JUICE-OJ-1L", "Jugo de Naranja 1L", ("orange juice 1l", "suco de laranja 1l", "jugo naranja"),
     "carton", 260, "drinks"),
    ("REDBULL-250", "Red Bull 250ml", ("redbull", "energetico red bull"), "can", 240, "drinks"),
    ("RICE-1KG", "Arroz Blanco 1kg",
     ("rice 1kg", "arroz 1kg", "arroz branco 1kg", "arroz"), "bag", 180, "groceries"),
    ("RICE-5KG", "Arroz Blanco 5kg", ("rice 5kg", "arroz 5kg", "arroz branco 5kg"), "bag", 820, "groceries"),
    ("BEANS-1KG", "Feijão Carioca 1kg", ("beans 1kg", "frijoles 1kg", "feijao 1kg"), "bag", 290, "groceries"),
    ("OIL-900", "Aceite de Soja 900ml", ("soybean oil", "oleo de soja", "aceite soya", "aceite", "oleo"),
     "bottle", 310, "groceries"),
    ("OLIVE-500", "Aceite de Oliva 500ml",
     ("olive oil", "azeite", "azeite de oliva"), "bottle", 890, "groceries"),
    ("SUGAR-1KG", "Azúcar 1kg", ("sugar 1kg", "açucar 1kg", "azucar"), "bag", 150, "groceries"),
    ("SALT-1KG", "Sal Refinada 1kg", ("salt", "sal"), "bag", 90, "groceries"),
    ("PASTA-500", "Espagueti 500g", ("spaghetti", "macarrao espaguete", "fideos spaghetti", "pasta"),
     "pack", 130, "groceries"),
    ("FLOUR-1KG", "Harina de Trigo 1kg", ("flour", "farinha de trigo", "harina"), "bag", 160, "groceries"),
    ("COFFEE-500", "Café Molido 500g", ("ground coffee", "cafe", "cafe em po"), "pack", 650, "groceries"),
    ("MILK-1L", "Leche Entera 1L",
     ("whole milk", "milk 1l", "leite integral", "leche"), "carton", 170, "groceries"),
    ("TOMATO-KG", "Tomate", ("tomatoes", "tomato", "jitomate"), "kg", 220, "produce"),
    ("ONION-KG", "Cebolla", ("onions", "onion", "cebola"), "kg", 160, "produce"),
    ("POTATO-KG", "Papa", ("potatoes", "potato", "batata", "patata"), "kg", 140, "produce"),
    ("BANANA-KG", "Banana", ("bananas", "platano", "banano"), "kg", 130, "produce"),
    ("LEMON-KG", "Limón", ("lemons", "limes", "limao"), "kg", 250, "produce"),
    ("LETTUCE", "Lechuga", ("lettuce", "alface"), "unit", 110, "produce"),
    ("AVOCADO", "Aguacate", ("avocado", "palta", "abacate"), "unit", 120, "produce"),
]

CATALOG: list[CatalogProduct] = [
    CatalogProduct(i, sku, name, aliases, unit, price, category)
    for i, (sku, name, aliases, unit, price, category) in enumerate(_ROWS, start=1)
]
BY_SKU: dict[str, CatalogProduct] = {p.sku: p for p in CATALOG}
