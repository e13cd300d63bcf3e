"""The three demo trades: who the distributor is, where its customers are, and what it sells.

Bench tenants beyond the third cycle through these with a number suffix. Catalog lines are
`SKU | name | unit | price | alias; alias` (price in major units of the currency, aliases as the
customers write them), grouped by category.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Trade:
    key: str
    name: str
    slug: str
    order_prefix: str
    language: str
    timezone: str
    currency: str
    tone: str
    # (city, phone prefix, random digits after it)
    cities: tuple[tuple[str, str, int], ...]
    business_types: tuple[str, ...]
    business_names: tuple[str, ...]
    # admin, manager, support, support2, finance, then spare agents for big tenants
    staff: tuple[str, ...]
    catalog: dict[str, tuple[str, ...]]
    # (bundle sku, name, [(product sku, quantity)])
    bundles: tuple[tuple[str, str, tuple[tuple[str, int], ...]], ...]
    # Monday..Sunday order volume
    weekdays: tuple[float, ...]
    erp: str
    mail_domains: tuple[str, ...]


DRINKS = Trade(
    key="drinks", name="Andes Bebidas", slug="andes", order_prefix="AB", language="es",
    timezone="America/Bogota", currency="COP", tone="cercano y breve, tuteando",
    cities=(("Bogotá", "+573", 9), ("Medellín", "+573", 9), ("Cali", "+573", 9),
            ("Barranquilla", "+573", 9), ("Bucaramanga", "+573", 9), ("Pereira", "+573", 9),
            ("Chía", "+573", 9), ("Cartagena", "+573", 9)),
    business_types=("Tienda", "Minimercado", "Bar", "Licorera", "Restaurante", "Cafetería", "Estanco",
                    "Asadero", "Panadería", "Discoteca"),
    business_names=("La Esquina", "Don Pepe", "El Paisa", "La 70", "Doña Rosa", "El Rincón Costeño",
                    "Los Compadres", "La Bendición", "El Parche", "San Jorge", "La Terraza", "Mi Tierra",
                    "El Mirador", "La Fonda", "Villa Luz", "El Trébol", "La Estación", "Santa Fe",
                    "El Dorado",
                    "La Candelaria", "Chapinero", "Los Andes", "El Buen Sabor", "La Palma", "Don Chucho",
                    "Las Acacias", "El Sol", "La Riviera", "Punto Frío", "El Galpón"),
    staff=("Valentina Rojas", "Andrés Gómez", "Camila Torres", "Santiago Díaz", "Laura Martínez",
           "Julián Herrera", "Daniela Castro", "Mateo Vargas", "Sofía Ramírez", "Felipe Moreno"),
    catalog={
        "Gaseosas": (
            "GAS-001 | Coca-Cola 2L | paca | 39000 | coca 2L; coca cola de 2 litros; cocas grandes",
            "GAS-002 | Coca-Cola Zero 1.5L | paca | 31000 | coca zero; coca zero 1.5",
            "GAS-003 | Coca-Cola 400ml | paca | 28000 | coca personal; cocas de 400",
            "GAS-004 | Postobón Manzana 2.5L | paca | 36000 | manzana postobón; postobon manzana",
            "GAS-005 | Colombiana 2.5L | paca | 36000 | colombiana grande; la colombiana",
            "GAS-006 | Pepsi 1.5L | paca | 27000 | pepsi 1.5; pepsis",
            "GAS-007 | Sprite 1.5L | paca | 30000 | sprite",
            "GAS-008 | Quatro Toronja 1.5L | paca | 29000 | quatro; quatro toronja",
            "GAS-009 | Canada Dry Ginger 1.5L | paca | 32000 | ginger; canada dry",
            "GAS-010 | Kola Román 2L | paca | 33000 | kola román; kola roman",
        ),
        "Aguas": (
            "AGU-001 | Agua Cristal 600ml | paca | 24000 | agua cristal; aguas pequeñas; agua 600",
            "AGU-002 | Agua Cristal 5L | garrafa | 9500 | garrafa de agua; agua de 5 litros",
            "AGU-003 | Agua Brisa con gas 600ml | paca | 26000 | brisa con gas; agua con gas",
            "AGU-004 | Agua Manantial 1L | paca | 30000 | manantial; agua manantial",
            "AGU-005 | Agua Oasis 20L | botellón | 14000 | botellón; oasis 20 litros",
        ),
        "Cervezas": (
            "CER-001 | Águila lata 330ml | caja | 62000 | aguilas en lata; águila lata; aguila",
            "CER-002 | Águila Light lata 330ml | caja | 62000 | aguila light; águila light",
            "CER-003 | Club Colombia Dorada 330ml | caja | 78000 | club colombia; club dorada",
            "CER-004 | Club Colombia Roja 330ml | caja | 80000 | club roja",
            "CER-005 | Poker botella 330ml | canasta | 70000 | poker; canasta de poker",
            "CER-006 | Costeña botella 330ml | canasta | 66000 | costeñita; costeña",
            "CER-007 | Corona botella 355ml | caja | 118000 | corona; coronitas",
            "CER-008 | Heineken lata 330ml | caja | 95000 | heineken",
            "CER-009 | BBC Cajicá Miel 330ml | caja | 120000 | bbc miel; cajicá miel",
            "CER-010 | Stella Artois 330ml | caja | 125000 | stella",
        ),
        "Jugos y tés": (
            "JUG-001 | Jugo Hit Mango 500ml | paca | 28000 | hit de mango; hit mango",
            "JUG-002 | Jugo Hit Mora 500ml | paca | 28000 | hit de mora; hit mora",
            "JUG-003 | Del Valle Naranja 1L | paca | 34000 | del valle naranja; jugo de naranja",
            "JUG-004 | Mr. Tea Limón 500ml | paca | 26000 | mr tea; té limón",
            "JUG-005 | Tutti Frutti Durazno 250ml | paca | 18000 | tutti frutti; jugos de cajita",
        ),
        "Energizantes e hidratantes": (
            "ENE-001 | Gatorade Maracuyá 500ml | paca | 36000 | gatorade maracuyá; gatorade",
            "ENE-002 | Gatorade Mandarina 500ml | paca | 36000 | gatorade mandarina",
            "ENE-003 | Red Bull 250ml | caja | 96000 | red bull; redbull",
            "ENE-004 | Vive 100 380ml | paca | 30000 | vive 100; vive cien",
            "ENE-005 | Speed Max 310ml | paca | 24000 | speed max; speed",
            "ENE-006 | Monster Energy 473ml | paca | 54000 | monster",
        ),
        "Licores": (
            "LIC-001 | Aguardiente Antioqueño sin azúcar 750ml | botella | 52000 | guaro tapa azul; "
            "aguardiente antioqueño; antioqueño",
            "LIC-002 | Aguardiente Néctar 750ml | botella | 45000 | néctar; nectar verde",
            "LIC-003 | Ron Medellín Añejo 3 años 750ml | botella | 55000 | ron medellín; medellín 3 años",
            "LIC-004 | Ron Viejo de Caldas 750ml | botella | 50000 | viejo de caldas; ron caldas",
            "LIC-005 | Whisky Old Parr 12 años 750ml | botella | 165000 | old parr",
            "LIC-006 | Tequila José Cuervo Especial 750ml | botella | 98000 | josé cuervo; cuervo",
            "LIC-007 | Vino Gato Negro Cabernet 750ml | botella | 32000 | gato negro",
        ),
        "Hielo y desechables": (
            "OTR-001 | Hielo en bolsa 5kg | bolsa | 7000 | bolsas de hielo; hielo",
            "OTR-002 | Vasos desechables 7oz x50 | paquete | 4500 | vasos desechables; vasos",
            "OTR-003 | Pitillos x100 | paquete | 3500 | pitillos; pajillas",
            "OTR-004 | Limón Tahití | kg | 4800 | limones; limón",
        ),
    },
    bundles=(("CMB-FIESTA", "Combo Fiesta", (("CER-001", 2), ("LIC-001", 1), ("OTR-001", 2))),
             ("CMB-TIENDA", "Combo Tienda", (("GAS-001", 1), ("AGU-001", 1), ("JUG-001", 1)))),
    weekdays=(0.9, 0.85, 0.9, 1.05, 1.35, 1.0, 0.25),
    erp="Siigo Nube", mail_domains=("gmail.com", "hotmail.com", "outlook.com", "yahoo.com"),
)

GROCERY = Trade(
    key="grocery", name="Empório Paulista Alimentos", slug="paulista", order_prefix="EP", language="pt",
    timezone="America/Sao_Paulo", currency="BRL", tone="simpático e direto",
    cities=(("São Paulo", "+55119", 8), ("Campinas", "+55199", 8), ("Santos", "+55139", 8),
            ("Guarulhos", "+55119", 8), ("Osasco", "+55119", 8), ("Sorocaba", "+55159", 8),
            ("Ribeirão Preto", "+55169", 8), ("São José dos Campos", "+55129", 8)),
    business_types=("Padaria", "Lanchonete", "Mercadinho", "Restaurante", "Pizzaria", "Bar", "Empório",
                    "Cantina", "Hamburgueria", "Confeitaria"),
    business_names=("Pão Dourado", "do Zé", "Bom Preço", "Sabor Mineiro", "Bella Napoli", "do Alemão",
                    "Santa Luzia", "Estrela", "da Vila", "São Jorge", "Recanto", "Bom Gosto", "da Praça",
                    "Nova Era", "Primavera", "do Largo", "Aurora", "Três Irmãos", "Vitória", "Central",
                    "da Esquina", "Flor de Lis", "Paulista", "Real", "Dona Maria", "Brasil", "Ipiranga",
                    "Paraíso", "Jardim", "Boa Vista"),
    staff=("Mariana Souza", "Rafael Oliveira", "Beatriz Lima", "Lucas Pereira", "Fernanda Costa",
           "Gabriel Almeida", "Juliana Ribeiro", "Thiago Carvalho", "Larissa Gomes", "Bruno Martins"),
    catalog={
        "Mercearia": (
            "MER-001 | Arroz Tio João 5kg | pacote | 32.90 | arroz tio joão; arroz 5kg",
            "MER-002 | Feijão Carioca Camil 1kg | fardo | 89.90 | feijão camil; feijão carioca",
            "MER-003 | Feijão Preto Kicaldo 1kg | fardo | 95.00 | feijão preto; kicaldo",
            "MER-004 | Açúcar Refinado União 1kg | fardo | 52.90 | açúcar união; açucar",
            "MER-005 | Café Pilão 500g | caixa | 179.00 | café pilão; pilão",
            "MER-006 | Farinha de Trigo Dona Benta 5kg | pacote | 27.50 | farinha dona benta; "
            "farinha de trigo",
            "MER-007 | Macarrão Espaguete Renata 500g | fardo | 48.00 | macarrão renata; espaguete",
            "MER-008 | Sal Refinado Cisne 1kg | fardo | 28.00 | sal cisne",
            "MER-009 | Farinha de Mandioca Yoki 500g | fardo | 62.00 | farinha de mandioca; farofa yoki",
            "MER-010 | Fubá Mimoso Sinhá 1kg | fardo | 44.00 | fubá; fubá sinhá",
        ),
        "Óleos, molhos e temperos": (
            "OLE-001 | Óleo de Soja Soya 900ml | caixa | 139.00 | óleo soya; óleo de soja",
            "OLE-002 | Azeite Gallo Extra Virgem 500ml | unidade | 34.90 | azeite gallo; azeite",
            "OLE-003 | Molho de Tomate Pomarola 340g | caixa | 96.00 | pomarola; molho de tomate",
            "OLE-004 | Maionese Hellmann's 3kg | balde | 58.90 | maionese hellmann's; maionese balde",
            "OLE-005 | Ketchup Heinz 1kg | unidade | 24.90 | ketchup heinz; ketchup",
            "OLE-006 | Vinagre de Álcool Castelo 750ml | caixa | 45.00 | vinagre castelo; vinagre",
            "OLE-007 | Mostarda Hemmer 1kg | unidade | 16.90 | mostarda",
        ),
        "Laticínios": (
            "LAT-001 | Leite Integral Italac 1L | caixa | 64.90 | leite italac; leite integral",
            "LAT-002 | Queijo Mussarela Tirolez | kg | 42.90 | mussarela; muçarela",
            "LAT-003 | Queijo Prato Président | kg | 49.90 | queijo prato",
            "LAT-004 | Requeijão Catupiry 1,5kg | unidade | 69.90 | catupiry; requeijão catupiry",
            "LAT-005 | Manteiga Aviação 500g | unidade | 32.90 | manteiga aviação; manteiga",
            "LAT-006 | Creme de Leite Nestlé 200g | caixa | 89.00 | creme de leite",
            "LAT-007 | Leite Condensado Moça 395g | caixa | 168.00 | leite moça; leite condensado",
            "LAT-008 | Iogurte Natural Batavo 170g | bandeja | 22.00 | iogurte batavo; iogurte",
        ),
        "Frios e embutidos": (
            "FRI-001 | Presunto Cozido Sadia | kg | 34.90 | presunto sadia; presunto",
            "FRI-002 | Calabresa Seara | kg | 27.90 | calabresa; linguiça calabresa",
            "FRI-003 | Bacon em Manta Perdigão | kg | 39.90 | bacon",
            "FRI-004 | Peito de Peru Defumado Sadia | kg | 59.90 | peito de peru",
            "FRI-005 | Salame Italiano Aurora | kg | 79.90 | salame",
        ),
        "Congelados": (
            "CON-001 | Batata Pré-frita McCain 2,5kg | pacote | 42.90 | batata mccain; batata congelada",
            "CON-002 | Filé de Peito de Frango Seara | kg | 21.90 | filé de frango; peito de frango",
            "CON-003 | Hambúrguer Bovino Sadia 56g cx 36 | caixa | 74.90 | hambúrguer sadia; hambúrguer",
            "CON-004 | Pão de Queijo Forno de Minas 1kg | pacote | 29.90 | pão de queijo",
            "CON-005 | Polpa de Maracujá 1kg | pacote | 18.90 | polpa de maracujá",
        ),
        "Hortifruti": (
            "HOR-001 | Ovos Brancos bandeja 30 | bandeja | 19.90 | ovos; bandeja de ovos",
            "HOR-002 | Tomate Italiano | kg | 7.90 | tomate italiano; tomate",
            "HOR-003 | Cebola | kg | 4.90 | cebola",
            "HOR-004 | Batata Inglesa | kg | 5.50 | batata inglesa",
            "HOR-005 | Alface Americana | unidade | 3.90 | alface",
        ),
        "Bebidas": (
            "BEB-001 | Guaraná Antarctica 2L | fardo | 47.90 | guaraná; guaraná antarctica",
            "BEB-002 | Coca-Cola 2L | fardo | 59.90 | coca 2l; coca-cola",
            "BEB-003 | Água Mineral Crystal 500ml | fardo | 16.90 | água crystal; água sem gás",
            "BEB-004 | Suco Del Valle Uva 1L | caixa | 71.90 | suco de uva; del valle uva",
        ),
        "Descartáveis e limpeza": (
            "DES-001 | Copo Descartável 200ml 100un | pacote | 6.90 | copo descartável; copinhos",
            "DES-002 | Detergente Ypê 500ml | caixa | 52.80 | detergente ypê; detergente",
            "DES-003 | Guardanapo Snob 22x20 | pacote | 4.50 | guardanapo",
        ),
    },
    bundles=(("KIT-LANCHE", "Kit Lanchonete", (("LAT-002", 2), ("FRI-001", 2), ("OLE-004", 1))),
             ("KIT-PADARIA", "Kit Padaria", (("MER-006", 4), ("LAT-005", 2), ("HOR-001", 3)))),
    weekdays=(1.3, 1.0, 1.05, 1.0, 1.15, 0.7, 0.1),
    erp="Bling ERP", mail_domains=("gmail.com", "hotmail.com", "uol.com.br", "outlook.com"),
)

HORECA = Trade(
    key="horeca", name="Harbor Supply Co.", slug="harbor", order_prefix="HS", language="en",
    timezone="America/New_York", currency="USD", tone="friendly and concise",
    cities=(("Boston", "+1617", 7), ("Cambridge", "+1617", 7), ("Providence", "+1401", 7),
            ("Portland", "+1207", 7), ("New Haven", "+1203", 7), ("Hartford", "+1860", 7),
            ("Worcester", "+1508", 7), ("Newport", "+1401", 7)),
    business_types=("Diner", "Grill", "Bistro", "Café", "Tavern", "Pizzeria", "Hotel", "Bakery", "Kitchen",
                    "Oyster Bar"),
    business_names=("Rusty Anchor", "Blue Harbor", "Salt & Pine", "Dockside", "Mama Rosa's", "Green Leaf",
                    "Marlowe", "Bayview", "Lighthouse", "Copper Kettle", "North End", "Old Mill",
                    "Harborview", "Pier 9", "Red Door", "Sea Smoke", "Beacon Hill", "Maple & Rye",
                    "Tidewater", "Union Square", "Cobblestone", "Wharf Street", "Driftwood", "Seaport",
                    "Back Bay", "Fenway", "Cape Ann", "Mystic", "Atlantic", "Common Table"),
    staff=("Emily Carter", "Michael Brennan", "Jessica Nguyen", "Tyler Brooks", "Rachel Goldstein",
           "Kevin O'Brien", "Priya Patel", "Marcus Johnson", "Hannah Walsh", "Diego Ramirez"),
    catalog={
        "Gloves & apparel": (
            "GLV-001 | Nitrile Gloves Black Large 100ct | box | 12.99 | black gloves L; large gloves",
            "GLV-002 | Nitrile Gloves Blue Medium 100ct | box | 11.49 | blue gloves M; medium gloves",
            "GLV-003 | Vinyl Gloves Clear Large 100ct | box | 6.99 | vinyl gloves",
            "GLV-004 | Hairnets Black 1000ct | case | 24.50 | hairnets; hair nets",
            "GLV-005 | Disposable Poly Aprons 100ct | pack | 14.75 | poly aprons; aprons",
        ),
        "Trash & liners": (
            "TRS-001 | Trash Bags 33 Gal Black 100ct | case | 29.99 | 33 gal bags; trash bags 33",
            "TRS-002 | Trash Bags 55 Gal Heavy Duty 50ct | case | 36.50 | 55 gal bags; contractor bags",
            "TRS-003 | Can Liners 13 Gal White 200ct | case | 22.99 | kitchen bags; 13 gal liners",
            "TRS-004 | Compostable Bags 13 Gal 100ct | case | 27.75 | compost bags",
        ),
        "Paper goods": (
            "PAP-001 | Paper Towel Rolls 800ft 6 rolls | case | 38.99 | roll towels; paper towel rolls",
            "PAP-002 | Multifold Paper Towels 4000ct | case | 34.50 | multifold towels; multifolds",
            "PAP-003 | Toilet Paper 2-ply 96 rolls | case | 64.99 | toilet paper; TP",
            "PAP-004 | Beverage Napkins White 4000ct | case | 26.99 | bev naps; cocktail napkins",
            "PAP-005 | Dinner Napkins 2-ply 3000ct | case | 44.50 | dinner napkins",
            "PAP-006 | Dispenser Napkins 6000ct | case | 41.25 | dispenser napkins",
        ),
        "Cleaning chemicals": (
            "CHE-001 | Dish Soap Concentrate 1 gal | jug | 14.99 | dish soap",
            "CHE-002 | Heavy Duty Degreaser 1 gal | jug | 18.49 | degreaser",
            "CHE-003 | Quat Sanitizer 1 gal | jug | 21.99 | quat sanitizer; sanitizer",
            "CHE-004 | Bleach 6% 1 gal 6ct | case | 24.99 | bleach",
            "CHE-005 | Glass Cleaner 32oz 12ct | case | 39.99 | glass cleaner",
            "CHE-006 | Neutral Floor Cleaner 1 gal | jug | 16.99 | floor cleaner",
            "CHE-007 | Dish Machine Detergent 5 gal | pail | 89.00 | dish machine detergent; dishwasher soap",
            "CHE-008 | Rinse Aid 5 gal | pail | 79.00 | rinse aid",
            "CHE-009 | Foaming Hand Soap Refill 1000ml 6ct | case | 42.00 | hand soap refill; hand soap",
            "CHE-010 | Oven & Grill Cleaner 32oz 12ct | case | 54.00 | oven cleaner; grill cleaner",
        ),
        "Takeout packaging": (
            "TOG-001 | Hinged Containers 9x9 200ct | case | 48.99 | 9x9 clamshells; 9x9 boxes",
            "TOG-002 | Deli Containers 32oz with Lids 240ct | case | 52.50 | 32oz deli; quart containers",
            "TOG-003 | Deli Containers 16oz with Lids 240ct | case | 44.50 | 16oz deli; pint containers",
            "TOG-004 | Kraft Takeout Boxes #8 300ct | case | 57.25 | kraft boxes; #8 kraft",
            "TOG-005 | Souffle Cups 2oz with Lids 2500ct | case | 38.00 | portion cups; 2oz cups",
            "TOG-006 | Cutlery Kits Fork Knife Napkin 250ct | case | 29.99 | cutlery kits; utensil kits",
            "TOG-007 | Paper Carry-out Bags #20 500ct | case | 46.00 | paper bags; carry out bags",
        ),
        "Cups & lids": (
            "CUP-001 | Hot Cups 12oz 1000ct | case | 68.00 | 12oz hot cups; hot cups",
            "CUP-002 | Hot Cup Lids 12-20oz 1000ct | case | 39.00 | hot lids; coffee lids",
            "CUP-003 | Clear PET Cups 16oz 1000ct | case | 72.00 | 16oz clear cups; cold cups",
            "CUP-004 | Paper Straws Wrapped 3200ct | case | 49.50 | paper straws; straws",
            "CUP-005 | Coffee Cup Sleeves 1000ct | case | 34.00 | cup sleeves; sleeves",
        ),
        "Food wrap & foil": (
            "WRP-001 | Aluminum Foil Roll 18in x 500ft | roll | 32.99 | foil roll; 18 inch foil",
            "WRP-002 | Plastic Film Wrap 18in x 2000ft | roll | 27.49 | plastic wrap; cling film",
            "WRP-003 | Deli Paper Sheets 12x12 1000ct | box | 19.99 | deli paper; deli sheets",
            "WRP-004 | Parchment Pan Liners Half Size 1000ct | box | 45.00 | parchment; pan liners",
            "WRP-005 | Food Storage Bags 1 gal 500ct | box | 24.99 | gallon bags; ziplocks",
        ),
        "Janitorial tools": (
            "JAN-001 | Scrub Sponges 20ct | pack | 12.50 | scrub sponges; sponges",
            "JAN-002 | Wet Mop Heads Large 12ct | case | 59.99 | mop heads",
            "JAN-003 | Microfiber Cloths 24ct | pack | 16.99 | microfiber cloths; rags",
            "JAN-004 | Steel Wool Pads 12ct | pack | 8.49 | steel wool",
            "JAN-005 | Grill Bricks 12ct | box | 28.00 | grill bricks; grill stones",
        ),
    },
    bundles=(("BND-OPEN", "Opening Kit", (("GLV-001", 2), ("CHE-003", 1), ("TRS-001", 1))),
             ("BND-TOGO", "To-Go Starter", (("TOG-001", 1), ("TOG-006", 1), ("TOG-007", 1)))),
    weekdays=(1.25, 1.05, 1.0, 1.1, 1.0, 0.35, 0.15),
    erp="QuickBooks Online", mail_domains=("gmail.com", "outlook.com", "yahoo.com", "icloud.com"),
)

TRADES = (DRINKS, GROCERY, HORECA)
