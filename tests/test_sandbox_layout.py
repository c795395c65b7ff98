"""The simulator's modules import one another without circles, and borrow as little as possible
from the rest of tweetdesk (which is being reorganised around it)."""

from __future__ import annotations

import ast
from pathlib import Path

SANDBOX = Path(__file__).resolve().parents[1] / "tweetdesk" / "sandbox"
PACKAGE = "tweetdesk.sandbox"
ALLOWED_OUTSIDE = {"tweetdesk.config.schema", "tweetdesk.errors"}


def imports_of(path: Path) -> set[str]:
    """Every tweetdesk module `path` imports, TYPE_CHECKING imports included."""
    modules = {p.stem for p in SANDBOX.glob("*.py")}
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("tweetdesk")}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tweetdesk"):
            if node.module == PACKAGE:  # `from tweetdesk.sandbox import fields, problems`
                found |= {f"{PACKAGE}.{a.name}" for a in node.names if a.name in modules}
            else:
                found.add(str(node.module))
    return found


def graph() -> dict[str, set[str]]:
    return {
        f"{PACKAGE}.{path.stem}": imports_of(path)
        for path in SANDBOX.glob("*.py")
        if path.stem != "__init__"
    }


def test_the_sandbox_modules_import_each_other_without_a_circle() -> None:
    edges = graph()
    done: set[str] = set()

    def visit(module: str, trail: list[str]) -> None:
        if module in trail:
            raise AssertionError("import circle: " + " -> ".join([*trail, module]))
        if module in done or module not in edges:
            return
        for target in sorted(edges[module]):
            visit(target, [*trail, module])
        done.add(module)

    for module in sorted(edges):
        visit(module, [])
    assert f"{PACKAGE}.state" not in edges[f"{PACKAGE}.scenario"]


def test_the_sandbox_borrows_only_config_schema_and_errors_from_tweetdesk() -> None:
    outside = {
        target
        for targets in graph().values()
        for target in targets
        if not target.startswith(PACKAGE)
    }
    assert outside <= ALLOWED_OUTSIDE
