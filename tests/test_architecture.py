"""The module layout: no import cycle among skw2v's modules, and ``word_vectors.py`` small."""

import ast
import pathlib

import skw2v

PACKAGE_DIR = pathlib.Path(skw2v.__file__).parent


def _module_name(path):
    parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules():
    """``{module name: (path, is a package)}`` of every module of skw2v."""
    return {_module_name(path): (path, path.name == "__init__.py")
            for path in sorted(PACKAGE_DIR.rglob("*.py"))}


def _imports(name, path, is_package, modules):
    """The skw2v modules that ``name`` imports anywhere (module level, inside functions and
    classes), as ``import skw2v.x``, ``from skw2v.x import y``, ``from .x import y`` and
    ``from . import a, b`` (``a`` and ``b`` are submodules when such modules exist)."""
    package = name if is_package else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            targets = [module] + [f"{module}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            # "import skw2v.a.b" imports skw2v.a.b; "from skw2v.a import b" imports skw2v.a,
            # and skw2v.a.b when b is a module. The package skw2v itself is left out: every
            # module is imported through it, so it would close a cycle with any of them.
            if target in modules and target != "skw2v":
                found.add(target)
    found.discard(name)
    return found


def _import_graph():
    modules = _modules()
    return {name: _imports(name, path, is_package, modules)
            for name, (path, is_package) in modules.items()}


def _find_cycle(graph):
    """A list of modules ``[a, b, ..., a]`` forming an import cycle, or None."""
    state = {}  # 1: on the current path, 2: done
    path = []

    def visit(module):
        state[module] = 1
        path.append(module)
        for imported in sorted(graph[module]):
            if state.get(imported) == 1:
                return path[path.index(imported):] + [imported]
            if imported not in state:
                cycle = visit(imported)
                if cycle:
                    return cycle
        path.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state:
            cycle = visit(module)
            if cycle:
                return cycle
    return None


def test_the_import_graph_is_read_from_the_sources():
    graph = _import_graph()
    assert "skw2v._io.common" in graph["skw2v._io.word2vec"]
    assert "skw2v._io.word2vec" in graph["skw2v._io.registry"]  # from . import a, b
    assert "skw2v.word_vectors" in graph["skw2v.plotting"]  # an import inside a function


def test_no_import_cycle_among_skw2v_modules():
    cycle = _find_cycle(_import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_find_cycle_reports_the_cycle():
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": {"b"}, "b": set()}) is None


def test_word_vectors_module_stays_small():
    lines = (PACKAGE_DIR / "word_vectors.py").read_text(encoding="utf-8").count("\n")
    assert lines <= 600, f"word_vectors.py has {lines} lines"
