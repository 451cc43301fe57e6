"""The README's layer sentence as a test: model < course < views < widgets, imports point down.

Every module's imports are read with `ast` (type-only and in-function imports included, since
they tie modules together just the same), resolved to the module they name, and checked.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import kneesci

PACKAGE = Path(kneesci.__file__).parent
LAYERS = ("model", "course", "views", "widgets")
# The package itself re-exports the model and the anatomy data, so it stands with the course:
# views and widgets may use `kneesci.load()`, the model and the course may not.
FACADE_RANK = LAYERS.index("course")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def real_name(name: str) -> str:
    """The module an import names, with the old flat paths (kneesci.cases) resolved."""
    package, _, short = name.rpartition(".")
    if package == "kneesci" and short in kneesci.LAYER_OF:
        return f"kneesci.{kneesci.LAYER_OF[short]}.{short}"
    return name


def imports_of(name: str) -> set[str]:
    """Every module `name` imports (kneesci modules resolved; others by their top name)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                submodule = real_name(f"{target}.{alias.name}")
                found.add(submodule if submodule in MODULES else real_name(target))
    return {real_name(m) for m in found} - {name}


GRAPH = {name: {m for m in imports_of(name) if m in MODULES} for name in MODULES}
EXTERNAL = {
    name: {m.split(".")[0] for m in imports_of(name) if m not in MODULES} for name in MODULES
}


def rank(name: str) -> int | None:
    """The module's layer (0 model .. 3 widgets); None for `kneesci.__main__`, above them all."""
    parts = name.split(".")
    if len(parts) > 1 and parts[1] in LAYERS:
        return LAYERS.index(parts[1])
    return None if name == "kneesci.__main__" else FACADE_RANK


def test_every_module_sits_in_a_layer_folder():
    loose = [n for n in MODULES if n.count(".") == 1 and n.split(".")[1] not in LAYERS]
    assert loose == ["kneesci.__main__"]


def test_the_imports_were_read():
    assert len(MODULES) > 40
    assert "kneesci.model.knowledge_base" in GRAPH["kneesci.model.inference"] or (
        "kneesci.model.inference" in GRAPH["kneesci.model.knowledge_base"]
    )
    assert "matplotlib" in EXTERNAL["kneesci.views.plots"]


def test_no_import_runs_up_a_layer():
    upward = [
        f"{name} -> {target}"
        for name, targets in GRAPH.items()
        for target in targets
        if rank(name) is not None and rank(target) is not None and rank(target) > rank(name)
    ]
    assert upward == []


def test_only_the_views_and_widgets_import_matplotlib():
    drawing = [n for n, ext in EXTERNAL.items() if "matplotlib" in ext]
    assert drawing, "no module imports matplotlib: the test reads nothing"
    assert [n for n in drawing if rank(n) is not None and rank(n) < LAYERS.index("views")] == []


def test_only_the_widgets_import_ipywidgets():
    controls = [n for n, ext in EXTERNAL.items() if ext & {"ipywidgets", "ipyevents"}]
    assert controls, "no module imports ipywidgets: the test reads nothing"
    assert [n for n in controls if rank(n) != LAYERS.index("widgets")] == []


def test_the_model_uses_numpy_and_yaml_only():
    model = [n for n in MODULES if rank(n) == 0]
    assert len(model) >= 10
    outside = {n: EXTERNAL[n] - set(sys.stdlib_module_names) - {"numpy", "yaml"} for n in model}
    assert {n: e for n, e in outside.items() if e} == {}


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import circle as a list of modules, or [] (depth-first search, three colours)."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return []

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return []


def test_find_cycle_finds_a_circle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


def test_the_import_graph_has_no_circle():
    # A package imports its own modules to re-export them; that is not a circle between modules.
    graph = {
        name: {t for t in targets if not name.startswith(f"{t}.")}
        for name, targets in GRAPH.items()
    }
    assert find_cycle(graph) == []


@pytest.mark.parametrize("library", ["matplotlib", "ipywidgets"])
def test_import_kneesci_loads_no_drawing_library(library):
    code = f"import sys, kneesci; print({library!r} in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


def test_the_old_module_paths_name_the_same_modules():
    import kneesci.cases
    import kneesci.course.cases
    import kneesci.describe
    import kneesci.views.describe
    from kneesci.game import Game

    assert kneesci.cases is kneesci.course.cases
    assert kneesci.describe is kneesci.views.describe
    assert Game.__module__ == "kneesci.course.game"
    for short, layer in kneesci.LAYER_OF.items():
        assert (PACKAGE / layer / f"{short}.py").is_file(), short
    assert len(kneesci.LAYER_OF) >= 30
