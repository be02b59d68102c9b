"""The package's shape: stages import only from stages below them, no import cycles,
no module over about 450 lines. The layers are written here by hand, lowest first."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "kaa_report"

# Lowest first. A module may import from its own layer and the ones before it.
LAYERS = [
    {"errors", "paths", "params", "fmt", "checksums"},
    {"contract"},
    {"validate", "synth"},
    {"metrics"},
    {"privacy"},
    {"exhibits"},
    {"document"},
    {"review"},
    {"pipeline"},
    {"cli", "__main__"},
]
MAX_LINES = 450


def _modules() -> dict[str, Path]:
    out = {}
    for p in sorted(SRC.rglob("*.py")):
        parts = p.relative_to(SRC).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(("kaa_report", *parts))] = p
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Every kaa_report module `name` imports, at the top, inside functions or for type hints."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("kaa_report")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join([*base, node.module] if node.module else base)
            else:
                mod = node.module or ""
            if not mod.startswith("kaa_report"):
                continue
            for a in node.names:  # `from . import fmt` imports the module kaa_report.fmt
                found.add(f"{mod}.{a.name}" if f"{mod}.{a.name}" in MODULES else mod)
    return {m for m in found if m != name}


def _layer(module: str) -> int:
    top = module.split(".")[1] if "." in module else "__init__"
    for i, names in enumerate(LAYERS):
        if top in names:
            return i
    raise AssertionError(f"{module}: not in any layer of tests/test_layers.py")


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def test_the_walk_sees_the_package():
    # A few edges worked out by reading the sources: the layer check is not vacuous.
    assert "kaa_report.metrics.definitions" in GRAPH["kaa_report.exhibits.tables"]
    assert "kaa_report.contract.read" in GRAPH["kaa_report.validate.gx"]
    assert len(MODULES) > 30


@pytest.mark.parametrize("name", [m for m in MODULES if m != "kaa_report"])
def test_lower_stages_never_import_higher_ones(name):
    up = sorted(m for m in GRAPH[name] if m != "kaa_report" and _layer(m) > _layer(name))
    assert not up, f"{name} (layer {_layer(name)}) imports higher stages: {up}"


def test_no_import_cycles():
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> None:
        state[n] = 1
        stack.append(n)
        for m in sorted(GRAPH.get(n, ())):
            if state.get(m) == 1:
                raise AssertionError("import cycle: " + " -> ".join([*stack[stack.index(m):], m]))
            if m in GRAPH and not state.get(m):
                visit(m)
        stack.pop()
        state[n] = 2

    for n in sorted(GRAPH):
        if not state.get(n):
            visit(n)


@pytest.mark.parametrize("name", list(MODULES))
def test_no_module_is_too_long(name):
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{MODULES[name].relative_to(SRC.parent)}: {lines} lines (at most {MAX_LINES})"
