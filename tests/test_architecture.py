"""The package's shape: no import circles, and each layer imports only the layers below it.

The import graph is read from the source (``ast``), so an import inside a
function (a lazy import) counts like one at the top; only imports under
``if TYPE_CHECKING:`` are left out, since they never run. Importing a module
of a subpackage also runs that subpackage's ``__init__``, so that counts as an
edge too (except into the importer's own packages, which are already running).
"""

from __future__ import annotations

import ast
import warnings
from pathlib import Path

import pytest

import negotiation_sim

PACKAGE = Path(negotiation_sim.__file__).parent
ROOT = "negotiation_sim"

# From the bottom up; a module may import its own layer and those listed before it.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "core",
        (
            "_moved",
            "identity_cache",
            "deferred",
            "limits",
            "registry",
            "kernels",  # the optional compiled loops, below the code whose rules they mirror
            "sums",  # the products of the model, added in an order fixed on every CPU
            "display",
            "issues",
            "preferences",
            "beliefs",
            "outside_option",
            "signals",
            "strategies",
            "actors",
            "model",
            "engine",  # the lean round loop for batches, after the model it mirrors
            "transcript",
        ),
    ),
    ("scenario", ("scenario",)),
    ("science", ("analysis", "eum")),
    ("ensemble", ("ensemble",)),
    ("output", ("plots",)),
    ("dashboard", ("dashboard",)),  # the SolaraViz page, started by `negotiation-sim dashboard`
    ("cli", ("cli",)),
    ("facade", ("__init__", "loader", "errors", "whatif")),  # the root and the moved paths
)
LEVEL = {top: level for level, (_, tops) in enumerate(LAYERS) for top in tops}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}
PACKAGES = {name for name, path in MODULES.items() if path.name == "__init__.py"}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement except those in the body of ``if TYPE_CHECKING:``."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    """The package's modules that running ``node`` inside ``module`` imports."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            anchor = module if module in PACKAGES else module.rpartition(".")[0]
            for _ in range(node.level - 1):
                anchor = anchor.rpartition(".")[0]
            base = f"{anchor}.{base}".rstrip(".")
        names = [base] + [f"{base}.{alias.name}" for alias in node.names]
    targets = set()
    for name in names:
        if name in MODULES:
            targets.add(name)
            parts = name.split(".")
            targets.update(".".join(parts[:k]) for k in range(2, len(parts)))  # subpackages run
    ancestors = set()
    name = module
    while "." in name:
        name = name.rpartition(".")[0]
        ancestors.add(name)
    return {t for t in targets if t != module and t != ROOT and t not in ancestors}


def import_graph() -> dict[str, set[str]]:
    graph = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        graph[module] = set().union(*(_targets(module, n) for n in _runtime_imports(tree)))
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan 1972)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def layer_of(module: str) -> int:
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    return LEVEL[top]


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    return sorted(
        f"{source} imports {target} ({LAYERS[layer_of(target)][0]} is above "
        f"{LAYERS[layer_of(source)][0]})"
        for source, targets in graph.items()
        for target in targets
        if layer_of(target) > layer_of(source)
    )


def test_every_module_has_a_layer() -> None:
    tops = {name.split(".")[1] if "." in name else "__init__" for name in MODULES}
    assert tops <= set(LEVEL), f"modules without a layer: {sorted(tops - set(LEVEL))}"


def test_no_import_circles() -> None:
    assert cycles(import_graph()) == []


def test_lower_layers_import_nothing_from_higher_ones() -> None:
    assert upward_imports(import_graph()) == []


def test_the_graph_sees_lazy_imports_and_subpackage_inits() -> None:
    """The checks above can fail: a lazy import from the core into the scenario reader is an
    upward edge, and it closes a circle through ``scenario/__init__`` (which imports the builder,
    which imports the actors)."""
    graph = import_graph()
    assert "negotiation_sim.actors" in graph["negotiation_sim.scenario.build"]
    source = "def f():\n    from negotiation_sim.scenario.types import Scenario\n"
    planted = {
        **graph,
        "negotiation_sim.actors": graph["negotiation_sim.actors"].union(
            *(_targets("negotiation_sim.actors", n) for n in _runtime_imports(ast.parse(source)))
        ),
    }
    assert "negotiation_sim.scenario" in planted["negotiation_sim.actors"]
    assert any("negotiation_sim.actors" in c for c in cycles(planted))
    upward = upward_imports(planted)
    assert any(line.startswith("negotiation_sim.actors imports") for line in upward)


def test_type_checking_imports_are_not_edges() -> None:
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import negotiation_sim.cli\n"
    assert _runtime_imports(ast.parse(source))[1:] == []


@pytest.mark.parametrize(
    ("old", "name", "new"),
    [
        ("negotiation_sim.loader", "load_scenario", "negotiation_sim.scenario"),
        ("negotiation_sim.errors", "ScenarioError", "negotiation_sim.scenario"),
        ("negotiation_sim.whatif", "sweep", "negotiation_sim.ensemble"),
    ],
)
def test_moved_module_paths_still_work_and_say_where_to(old: str, name: str, new: str) -> None:
    import importlib
    import sys

    sys.modules.pop(old, None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module = importlib.import_module(old)
    assert getattr(module, name) is getattr(importlib.import_module(new), name)
    messages = [str(w.message) for w in caught if w.category is DeprecationWarning]
    assert len(messages) == 1
    assert new in messages[0]
    assert old in messages[0]
