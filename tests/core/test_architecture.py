"""The layering rules of DESIGN.md, checked on the source itself."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QT_ALLOWED = {ROOT / "studio" / "ui", ROOT / "studio" / "printing"}


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def python_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def test_the_core_never_imports_qt() -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in python_files(ROOT / "studio")
        if not any(allowed in path.parents for allowed in QT_ALLOWED)
        for name in imported_modules(path)
        if name.split(".")[0] in {"PySide6", "PyQt5", "PyQt6", "shiboken6"}
    ]
    assert offenders == []


def test_studio_and_marketplace_share_only_the_http_contract() -> None:
    crossings = [
        f"{path.relative_to(ROOT)} imports {name}"
        for package, other in (("studio", "marketplace"), ("marketplace", "studio"))
        for path in python_files(ROOT / package)
        for name in imported_modules(path)
        if name.split(".")[0] == other
    ]
    assert crossings == []


def test_no_grab_bag_modules() -> None:
    banned = {"utils.py", "helpers.py", "manager.py", "misc.py"}
    found = [
        str(p.relative_to(ROOT))
        for package in ("studio", "marketplace")
        for p in python_files(ROOT / package)
        if p.name in banned
    ]
    assert found == []
