from pathlib import Path

from PySide6.QtCore import Qt
from sqlmodel import func, select

from studio.inventory.queries import search_ids
from studio.inventory.tables import Item
from studio.storage import backup


def write_rows(path: Path, count: int) -> Path:
    lines = ["Name,Price,Location"] + [
        f"Imported thing {n},{n % 90 + 5},Z{n % 7}" for n in range(count)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def item_count(database) -> int:
    with database.session() as session:
        return session.exec(select(func.count()).select_from(Item)).one()


def test_import_through_the_window_with_column_mapping(qtbot, section, database, tmp_path):
    source = write_rows(tmp_path / "stock.csv", 50)
    section.csv.import_file(source)
    qtbot.waitUntil(lambda: section.csv.mapping_dialog is not None)
    dialog = section.csv.mapping_dialog
    assert dialog.mapping() == {
        "Name": "title",
        "Price": "list_price_cents",
        "Location": "bin_location",
    }
    dialog.accept()
    qtbot.waitUntil(lambda: "Imported 50 new" in section.banner.text.text(), timeout=10_000)
    assert item_count(database) == 350
    qtbot.waitUntil(lambda: section.model.rowCount() == 350 - section_archived(database))


def section_archived(database) -> int:
    with database.session() as session:
        query = select(func.count()).select_from(Item).where(Item.status == "archived")
        return session.exec(query).one()


def test_a_big_import_shows_progress_and_cancels_to_nothing(qtbot, section, database, tmp_path):
    source = write_rows(tmp_path / "big.csv", 10_000)
    section.csv.import_file(source)
    qtbot.waitUntil(lambda: section.csv.mapping_dialog is not None)
    section.csv.mapping_dialog.accept()
    panel = section.window().progress
    assert panel.isVisible() and panel.label.text().startswith("Importing big.csv")
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "cancelled" in section.banner.text.text(), timeout=20_000)
    assert not panel.isVisible()
    assert item_count(database) == 300


def test_a_bad_file_reports_rows_and_imports_nothing(qtbot, section, database, tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text("title,price\nGood,10\nBad,-3\n", encoding="utf-8")
    section.csv.import_file(source)
    qtbot.waitUntil(lambda: section.csv.mapping_dialog is not None)
    section.csv.mapping_dialog.accept()
    qtbot.waitUntil(lambda: hasattr(section.csv, "problems_box"), timeout=10_000)
    assert "row 3, List price: cannot be negative" in section.csv.problems_box.detailedText()
    assert item_count(database) == 300


def test_export_what_the_search_shows(qtbot, section, database, tmp_path):
    qtbot.keyClicks(section.search, "coach")
    with database.session() as session:
        expected = search_ids(session, section.current_query())
    assert 0 < len(expected) < 100
    qtbot.waitUntil(lambda: section.model.ids == expected)
    target = tmp_path / "coach.csv"
    section.csv.export_file(target)
    qtbot.waitUntil(lambda: "Exported" in section.banner.text.text(), timeout=10_000)
    lines = target.read_text(encoding="utf-8-sig").strip().splitlines()
    assert len(lines) == len(section.model.ids) + 1


def test_back_up_from_the_menu(qtbot, window, data_dir):
    window.backup_now()
    qtbot.waitUntil(lambda: "Backed up" in window.inventory.banner.text.text(), timeout=10_000)
    assert len(backup.list_backups(data_dir)) == 1
