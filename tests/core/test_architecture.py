"""The layering rules of DESIGN.md, checked on the source itself."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QT_ALLOWED = {ROOT / "studio" / "ui", ROOT / "studio" / "printing"}
SYNC = ROOT / "studio" / "sync"
# The packages sync is built on: they never reach up into it.
BELOW_SYNC = ("orders", "inventory", "photos", "storage")
# The schema registers every table, sync's too, and the outbox's flush hook, so that every
# process that opens a database has them: the one way up, and only to those modules.
SCHEMA = ROOT / "studio" / "storage" / "schema.py"
SCHEMA_REGISTERS = {"studio.sync.outbox", "studio.sync.tables", "studio.sync.video_ops"}
# The one engine module that knows the adapters: it builds the client for an account.
BUILDS_CLIENTS = SYNC / "connection.py"


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            # `from studio import sync` imports studio.sync: count what may be a module too.
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
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


def _is_in(name: str, package: str) -> bool:
    return name == package or name.startswith(f"{package}.")


def test_the_core_below_sync_never_imports_it() -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for package in BELOW_SYNC
        for path in python_files(ROOT / "studio" / package)
        for name in imported_modules(path)
        if _is_in(name, "studio.sync") and not (path == SCHEMA and name in SCHEMA_REGISTERS)
    ]
    assert offenders == []


def test_the_sync_engine_speaks_only_the_typed_port() -> None:
    """No engine module but connection.py knows an adapter or speaks HTTP, and none reads a
    payload's raw data: feed events, listings and offers arrive as port values."""
    offenders = []
    for path in python_files(SYNC):
        if path == BUILDS_CLIENTS:
            continue
        where = path.relative_to(ROOT)
        offenders += [
            f"{where} imports {name}"
            for name in imported_modules(path)
            if _is_in(name, "studio.marketplaces") or _is_in(name, "httpx")
        ]
        offenders += [
            f"{where}:{node.lineno} reads .{node.attr}"
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Attribute) and node.attr in ("data", "json")
        ]
    assert offenders == []


def test_opening_the_window_loads_none_of_the_heavy_libraries() -> None:
    """Start-up (issue 16): the window's modules, and the jobs its scheduler imports when it
    starts, leave the photo pipeline's, the commands', the HTTP client's and the migrations'
    libraries to the screens and job runs that use them."""
    heavy = ["numpy", "scipy", "onnxruntime", "av", "httpx", "alembic", "reportlab"]
    probe = (
        "import sys, studio.ui.app, studio.ui.main_window, studio.ui.inventory.section, "
        "studio.sync.jobs, studio.seller_tools.jobs, studio.jobs.backup; "
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.strip()
    assert loaded == "[]"
