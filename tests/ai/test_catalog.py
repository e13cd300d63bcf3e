import dataclasses

import pytest

from ai.catalog import normalize
from queries.assistant import CatalogProduct


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Coca-Cola 2L", "coca cola 2l"),
        ("  AZÚCAR   1 Kilo ", "azucar 1kg"),
        ("Água Mineral 1,5 L", "agua mineral 1.5l"),
        ("Água Mineral 1.50 litros", "agua mineral 1.5l"),
        ("leche 500 ML!!", "leche 500ml"),
        ("Feijão, açúcar & café", "feijao acucar cafe"),
        ("Heineken 355ml (lata)", "heineken 355ml lata"),
        ("cocas de 2 lts", "cocas de 2l"),
        ("arroz 5 kgs.", "arroz 5kg"),
        ("Niño 250 gr", "nino 250g"),
        ("2 latas", "2 latas"),  # "l" of "latas" is no litre
        ("coke_zero", "coke zero"),
        ("", ""),
    ],
)
def test_normalize(text, expected):
    assert normalize(text) == expected


def test_normalize_gives_one_key_for_spellings_of_the_same_wording():
    spellings = ["Coca Cola 2 Litros", "coca-cola 2L", "COCA COLA 2 l", "coca  cola 2lt"]
    assert {normalize(s) for s in spellings} == {"coca cola 2l"}


def test_catalog_product_is_frozen_and_hashable():
    p = CatalogProduct(1, "SKU-1", "Arroz 1kg", ("rice",), "bag", 180, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.price_cents = 1  # type: ignore[misc]
    assert {p: 1}[CatalogProduct(1, "SKU-1", "Arroz 1kg", ("rice",), "bag", 180, None)] == 1
