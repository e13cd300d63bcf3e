"""The layers of docs/architecture.md, checked on every module's imports (lazy ones inside functions too).

From the ground up: core → queries → ai / services → components → sections → pages. A layer imports only
layers below it (ai and services may use each other); only components and above know Streamlit."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("core", "queries", "ai", "services", "demo", "components", "sections", "pages")
# what each layer may import of the project's own packages
ALLOWED = {
    "core": {"core"},
    "queries": {"core", "queries"},
    "ai": {"core", "queries", "ai", "services"},
    "services": {"core", "queries", "ai", "services"},
    "demo": {"core", "queries", "demo"},
    "components": {"core", "queries", "ai", "services", "components"},
    "sections": {"core", "queries", "ai", "services", "components", "sections"},
    "pages": {"core", "queries", "ai", "services", "components", "sections"},
}
# the one import upwards: starting the app loads the demo data into an empty embedded database
EXCEPTIONS = {("core/bootstrap.py", "demo")}
NO_STREAMLIT = ("core", "queries", "ai", "services", "demo")


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("layer", LAYERS)
def test_a_layer_imports_only_layers_below_it(layer):
    wrong = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        rel = str(path.relative_to(ROOT))
        imported = _imports(path)
        own = {name for name in imported if name in LAYERS}
        wrong += [f"{rel} imports {name}" for name in sorted(own - ALLOWED[layer]) if (rel, name) not in EXCEPTIONS]
        if layer in NO_STREAMLIT and "streamlit" in imported:
            wrong.append(f"{rel} imports streamlit")
    assert wrong == []
