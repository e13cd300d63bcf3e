import pytest

from queries.assistant import CatalogProduct
from tests.ai.sample_catalog import CATALOG


@pytest.fixture
def catalog() -> list[CatalogProduct]:
    """The sample catalog: 35 drinks, groceries and produce with en/es/pt aliases."""
    return list(CATALOG)
