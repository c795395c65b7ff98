"""The house keeps its shape: packages on floors, imports only downward, no circles, small
modules, and each boundary of STYLE.md (typer, tweepy, SQL, rich) in one place.

The import graph is read with `ast` from the source, every import counted (at the top, inside a
function, under TYPE_CHECKING): a lazy import that climbs a floor is still a climb.
"""

from __future__ import annotations

import ast
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "tweetdesk"

# The floors, written once. A module may import from its own package (without circles) or from
# a package on a lower floor; never upward, never sideways into a package on the same floor.
FLOORS: dict[str, int] = {
    "__main__": 8,
    "cli": 7,
    "screen": 6,  # the full-screen front end (`tweetdesk triage`), opened by one cli command
    "desk": 5,
    "alerts": 4,
    "reports": 4,
    "x": 3,
    "sandbox": 3,
    "compose": 3,
    "store": 2,
    "output": 2,
    "config": 2,
    "triage": 1,
    "values": 0,
    "errors": 0,
    "__init__": 0,  # tweetdesk/__init__.py: the version
}
MAX_LINES = 300
# Where each outside library may be imported (STYLE.md: each boundary in one place).
BOUNDARIES = {
    "typer": {"cli"},
    "click": set(),
    "tweepy": {"x/gateway.py"},
    "rich": {"output"},
    "textual": {"screen"},
}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def imports(path: Path, root: Path) -> Iterator[tuple[str, int]]:
    """(imported module, line) for every import in a file, relative ones resolved. For
    `from package import name` both `package` and `package.name` are yielded: `graph` keeps
    `package.name` when it is a module (then the package itself is only Python's machinery)."""
    here = module_name(path, root)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base, node.lineno
            for alias in node.names:  # `from tweetdesk.store import threads`: a module too
                yield f"{base}.{alias.name}", node.lineno


def graph(root: Path) -> dict[str, dict[str, int]]:
    """module -> {tweetdesk module it imports: line}, for the modules that exist."""
    files = {module_name(p, root): p for p in root.rglob("*.py")}
    edges: dict[str, dict[str, int]] = {}
    for name, path in files.items():
        found = dict(imports(path, root))
        submodules = {t.rpartition(".")[0] for t in found if t in files and "." in t}
        edges[name] = {
            target: line
            for target, line in found.items()
            if target in files
            and target not in (name, root.name)
            and not (target in submodules and _names_only_modules(path, root, target, files))
        }
    return edges


def _names_only_modules(path: Path, root: Path, package: str, files: dict[str, Path]) -> bool:
    """Does every `from <package> import ...` in the file name submodules only?"""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == package
            and not node.level
            and any(f"{package}.{a.name}" not in files for a in node.names)
        ):
            return False
    return True


def room(module: str) -> str:
    """The package (or root module) a module lives in: tweetdesk.store.outbox -> store."""
    return module.split(".")[1] if "." in module else "__init__"


def upward(edges: dict[str, dict[str, int]]) -> list[str]:
    found = []
    for source, targets in sorted(edges.items()):
        for target, line in sorted(targets.items()):
            a, b = room(source), room(target)
            if a != b and FLOORS[b] >= FLOORS[a]:
                found.append(f"{source}:{line} imports {target} ({a} floor {FLOORS[a]} -> {b})")
    return found


def circles(edges: dict[str, dict[str, int]]) -> list[list[str]]:
    """Every import circle, found by depth-first search (each reported once, from its start)."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, {})):
            if state.get(nxt) == 1:
                found.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])
    return found


def test_every_package_has_a_floor() -> None:
    rooms = {room(m) for m in graph(PACKAGE)}
    assert rooms <= set(FLOORS), f"give these a floor in FLOORS: {sorted(rooms - set(FLOORS))}"


def test_imports_only_run_down_the_floors() -> None:
    assert upward(graph(PACKAGE)) == []


def test_no_module_imports_itself_round_a_circle() -> None:
    assert circles(graph(PACKAGE)) == []


def test_modules_stay_small() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, f"split these modules (over {MAX_LINES} lines): {long}"


def importers(library: str) -> set[str]:
    return {
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if any(t == library or t.startswith(f"{library}.") for t, _ in imports(p, PACKAGE))
    }


@pytest.mark.parametrize("library", sorted(BOUNDARIES))
def test_each_library_stays_behind_its_boundary(library: str) -> None:
    allowed = BOUNDARIES[library]
    outside = {p for p in importers(library) if p not in allowed and p.split("/")[0] not in allowed}
    assert outside == set()


def test_sql_runs_only_in_the_store() -> None:
    """STYLE.md: SQL lives in store/. A statement executed anywhere else is a leak."""
    leaks = []
    for path in PACKAGE.rglob("*.py"):
        if path.relative_to(PACKAGE).parts[0] == "store":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("execute", "executemany"):
                leaks.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert leaks == []


# --- the checks themselves catch what they are for -----------------------------------------


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    copy = tmp_path / "tweetdesk"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_a_planted_upward_import_is_caught(planted: Path) -> None:
    target = planted / "store" / "outbox.py"
    target.write_text(
        target.read_text() + "\n\ndef _climb() -> None:\n    from tweetdesk.desk import sending\n"
    )
    line = len(target.read_text().splitlines())
    assert (
        f"tweetdesk.store.outbox:{line} imports tweetdesk.desk.sending (store floor 2 -> desk)"
        in (upward(graph(planted)))
    )


def test_a_planted_circle_is_caught(planted: Path) -> None:
    (planted / "triage" / "views.py").write_text(
        (planted / "triage" / "views.py").read_text() + "\nfrom tweetdesk.triage import tags\n"
    )
    tags = planted / "triage" / "tags.py"
    tags.write_text(tags.read_text() + "\nfrom tweetdesk.triage import views\n")
    pair = {"tweetdesk.triage.tags", "tweetdesk.triage.views"}
    assert any(set(c) == pair for c in circles(graph(planted)))
