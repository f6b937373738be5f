import csv
from pathlib import Path

import pytest
from sqlmodel import select

from studio.inventory import service as inventory
from studio.inventory.csv_export import export_csv
from studio.inventory.csv_import import ImportCancelled, ImportFailed, guess_mapping, import_csv
from studio.inventory.tables import Item
from studio.storage.database import open_database

ODD_TITLES = [
    "着物 kimono, hand-stitched",
    'Levi\'s 501 "big E" 😀',
    '=HYPERLINK("http://x")',
    "+1 cardigan",
    "-20% tee",
    "@home joggers",
]


def test_round_trip_keeps_odd_characters_and_defuses_formulas(add_item, database, tmp_path):
    for n, title in enumerate(ODD_TITLES):
        add_item(
            title=title,
            description=f'Line one, with comma\nLine "two" {n}\r\nend',
            notes="=1+1",
            list_price_cents=f"{n}.50",
            purchase_date="2026-02-0" + str(n + 1),
            tags="日本, emoji 🎉",
        )
    target = tmp_path / "items.csv"
    with database.session() as session:
        assert export_csv(session, target) == len(ODD_TITLES)

    with target.open(encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)

    other = open_database(tmp_path / "other")
    with other.transaction() as session:
        report = import_csv(session, target)
    assert (report.created, report.updated) == (len(ODD_TITLES), 0)
    with database.session() as a, other.session() as b:
        fields = list(inventory.EDITABLE)
        before = [[getattr(i, f) for f in fields] for i in a.exec(select(Item).order_by(Item.sku))]
        after = [[getattr(i, f) for f in fields] for i in b.exec(select(Item).order_by(Item.sku))]
    assert after == before
    other.close()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding, newline="")
    return path


def test_a_plain_spreadsheet_is_mapped_by_its_column_names(database, tmp_path):
    source = write(
        tmp_path / "sheet.csv",
        "Name;Price;Colour;Location;Whatever\r\n"
        "Wool coat;45,00;camel;C2;x\r\n"
        "Denim jacket;30;blue;C3;y\r\n",
    )
    assert guess_mapping(["Name", "Price", "Colour", "Location", "Whatever"]) == {
        "Name": "title",
        "Price": "list_price_cents",
        "Colour": "color",
        "Location": "bin_location",
        "Whatever": None,
    }
    with database.transaction() as session:
        report = import_csv(session, source)
    assert report.created == 2 and report.ignored_columns == ["Whatever"]
    with database.session() as session:
        coat = session.exec(select(Item).where(Item.title == "Wool coat")).one()
    assert (coat.list_price_cents, coat.color, coat.bin_location, coat.sku) == (
        4500,
        "camel",
        "C2",
        "ITEM-0001",
    )


def test_every_bad_row_is_reported_and_nothing_is_imported(add_item, database, tmp_path):
    add_item(title="Existing", sku="TOP-0001")
    source = write(
        tmp_path / "bad.csv",
        "sku,title,price,purchase_date\n"
        "TOP-0002,Good row,10,2026-01-01\n"
        "TOP-0003,Negative,-4,2026-01-01\n"
        "TOP-0004,,10,\n"
        "TOP-0001,Clash,10,\n"
        "TOP-0002,Twice,10,\n"
        "TOP-0005,Bad date,10,yesterday\n",
    )
    with pytest.raises(ImportFailed) as caught:
        with database.transaction() as session:
            import_csv(session, source)
    problems = [str(p) for p in caught.value.problems]
    assert problems[0].startswith("row 3, List price: cannot be negative")
    assert any(p.startswith("row 4, Title") for p in problems)
    assert any(p.startswith("row 5, SKU: TOP-0001 is already") for p in problems)
    assert any(p.startswith("row 6, SKU: TOP-0002 is also on row 2") for p in problems)
    assert any(p.startswith("row 7, Purchase date") for p in problems)
    with database.session() as session:
        assert [i.sku for i in session.exec(select(Item))] == ["TOP-0001"]


def test_existing_skus_can_be_updated_instead(add_item, database, tmp_path):
    add_item(title="Old title", sku="TOP-0001", list_price_cents="10")
    source = write(tmp_path / "u.csv", "SKU,Title,List price\nTOP-0001,New title,12\n")
    with database.transaction() as session:
        report = import_csv(session, source, update_existing=True)
    assert (report.created, report.updated) == (0, 1)
    with database.session() as session:
        item = session.exec(select(Item)).one()
    assert (item.title, item.list_price_cents) == ("New title", 1200)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02\xff\xfe binary", "Title"),
        (b"price,colour\n10,red\n", "no column is mapped to Title"),
    ],
)
def test_malformed_files_get_a_clear_message(database, tmp_path, content, words):
    source = tmp_path / "odd.csv"
    source.write_bytes(content)
    with pytest.raises(ImportFailed, match=words):
        with database.transaction() as session:
            import_csv(session, source)


def test_a_cancelled_import_leaves_nothing(database, tmp_path):
    rows = "".join(f"Item {n},{n}\n" for n in range(1000))
    source = write(tmp_path / "big.csv", "title,price\n" + rows)
    with pytest.raises(ImportCancelled):
        with database.transaction() as session:
            import_csv(session, source, progress=lambda done, total: done < 400)
    with database.session() as session:
        assert session.exec(select(Item)).all() == []


def test_export_of_a_selection_and_no_partial_file_on_failure(add_item, database, tmp_path):
    keep = add_item(title="Wanted").id
    add_item(title="Not wanted")
    target = tmp_path / "some.csv"
    with database.session() as session:
        assert export_csv(session, target, [keep]) == 1
    assert "Wanted" in target.read_text(encoding="utf-8-sig")
    assert "Not wanted" not in target.read_text(encoding="utf-8-sig")

    def stop(_count: int) -> None:
        raise RuntimeError("disk full")

    many = [add_item(title=f"Filler {n}").id for n in range(600)]
    broken = tmp_path / "broken.csv"
    with pytest.raises(RuntimeError), database.session() as session:
        export_csv(session, broken, many, progress=stop)
    assert list(tmp_path.glob("broken.csv*")) == []
