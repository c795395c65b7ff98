"""The boundaries of STYLE.md hold: typer only in the cli package, tweepy only in twitter.py,
rich only in the render modules."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "tweetdesk"


def importers(module: str) -> set[str]:
    pattern = re.compile(rf"^\s*(?:import|from)\s+{module}\b", re.MULTILINE)
    return {
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if pattern.search(p.read_text(encoding="utf-8"))
    }


def test_typer_is_imported_only_by_the_cli_package() -> None:
    assert {p for p in importers("typer") if not p.startswith("cli/")} == set()


def test_tweepy_is_imported_only_by_the_gateway() -> None:
    assert importers("tweepy") == {"x/gateway.py"}


def test_no_module_imports_click() -> None:
    assert importers("click") == set()
